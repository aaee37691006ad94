// Tile results: the core rows of one tile run in a small binary file, and the merge of all tiles
// of a manifest back into the CoverageData of the whole run. Doubles are stored bit for bit, so
// the merged figures are the tile runs' own.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <type_traits>

#include "yike/assert.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/tiles.hpp"
#include "yike/error.hpp"
#include "yike/viz/tile_result.hpp"

namespace yike::viz {

// The format is the engine's data model written down: its types are used throughout.
using namespace engine;

namespace {

constexpr char kMagic[8] = {'Y', 'I', 'K', 'E', 'T', 'I', 'L', 'E'};
// 2: senior snaps of demand and facilities; 3: facility issues (POI exports); 4: snapped edges
// named by EdgeKey (a tile reads only its halo and never learns the whole graph's edge ids)
constexpr std::uint32_t kVersion = 4;

class Writer {
public:
    template <class T>
    void pod(T v) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const char*>(&v);
        m_bytes.insert(m_bytes.end(), p, p + sizeof v);
    }
    void u32(std::uint32_t v) { pod(v); }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        m_bytes.insert(m_bytes.end(), s.begin(), s.end());
    }
    void point(routing::LonLat p) {
        pod(p.lon);
        pod(p.lat);
    }
    void points(const std::vector<routing::LonLat>& ps) {
        u32(static_cast<std::uint32_t>(ps.size()));
        for (const auto& p : ps) point(p);
    }
    void opt(const std::optional<double>& v) {
        pod<std::uint8_t>(v ? 1 : 0);
        pod(v.value_or(0.0));
    }
    void origin(const std::optional<routing::Origin>& o, const std::vector<EdgeKey>& keys) {
        pod<std::uint8_t>(o ? 1 : 0);
        if (o) {
            const EdgeKey& k = keys.at(o->edge); // the merge finds the edge in the whole graph
            pod(k.way_id);
            pod(k.tail_osm_id);
            pod(k.head_osm_id);
            pod(k.geometry);
            u32(k.rank);
            u32(o->offset_cm);
            u32(o->offnet_cm);
            u32(o->source);
        }
    }
    [[nodiscard]] const std::vector<char>& bytes() const noexcept { return m_bytes; }

private:
    std::vector<char> m_bytes;
};

class Reader {
public:
    Reader(std::filesystem::path file, std::vector<char> bytes) : m_file(std::move(file)), m_bytes(std::move(bytes)) {}
    template <class T>
    T pod() {
        T v;
        need(sizeof v);
        std::memcpy(&v, m_bytes.data() + m_at, sizeof v);
        m_at += sizeof v;
        return v;
    }
    std::uint32_t u32() { return pod<std::uint32_t>(); }
    std::uint32_t count(std::uint64_t at_most) {
        const auto n = u32();
        if (n > at_most) bad();
        return n;
    }
    std::string str() {
        const auto n = u32();
        need(n);
        std::string s(m_bytes.data() + m_at, n);
        m_at += n;
        return s;
    }
    routing::LonLat point() {
        routing::LonLat p;
        p.lon = pod<double>();
        p.lat = pod<double>();
        return p;
    }
    std::vector<routing::LonLat> points() {
        std::vector<routing::LonLat> ps(count(m_bytes.size()));
        for (auto& p : ps) p = point();
        return ps;
    }
    std::optional<double> opt() {
        const auto has = pod<std::uint8_t>();
        const auto v = pod<double>();
        return has != 0 ? std::optional<double>(v) : std::nullopt;
    }
    std::optional<routing::Origin> origin(const EdgeKeyIndex& edges) {
        if (pod<std::uint8_t>() == 0) return std::nullopt;
        routing::Origin o;
        EdgeKey k;
        k.way_id = pod<std::int64_t>();
        k.tail_osm_id = pod<std::int64_t>();
        k.head_osm_id = pod<std::int64_t>();
        k.geometry = pod<std::uint64_t>();
        k.rank = u32();
        o.edge = edges.find(k);
        if (o.edge == routing::invalid_id) {
            throw data_error(m_file.string() + ": snapped to a street piece of way " + std::to_string(k.way_id) +
                             " that the extract's walking network does not hold (the extract changed since the tiles ran?)");
        }
        o.offset_cm = u32();
        o.offnet_cm = u32();
        o.source = u32();
        return o;
    }
    [[nodiscard]] bool done() const noexcept { return m_at == m_bytes.size(); }
    [[noreturn]] void bad() const { throw data_error(m_file.string() + ": not a yike tile result, or truncated"); }

private:
    void need(std::size_t n) const {
        if (m_bytes.size() - m_at < n) bad();
    }
    std::filesystem::path m_file;
    std::vector<char> m_bytes;
    std::size_t m_at = 0;
};

void put_area(Writer& w, const io::AreaRecord& a) {
    w.str(a.id);
    w.str(a.name);
    w.str(a.parent_id);
    w.u32(static_cast<std::uint32_t>(a.geometry.polygons.size()));
    for (const auto& poly : a.geometry.polygons) {
        // As many rings as the file had (an exterior, then holes); none for an empty polygon.
        const bool empty = poly.exterior.points.empty() && poly.holes.empty();
        w.u32(empty ? 0U : static_cast<std::uint32_t>(1 + poly.holes.size()));
        if (!empty) {
            for (const routing::Ring* ring : routing::rings_of(poly)) w.points(ring->points);
        }
    }
    w.pod<std::uint8_t>(a.repaired ? 1 : 0);
    w.opt(a.households);
}

io::AreaRecord get_area(Reader& r) {
    io::AreaRecord a;
    a.id = r.str();
    a.name = r.str();
    a.parent_id = r.str();
    a.geometry.polygons.resize(r.count(1U << 28));
    for (auto& poly : a.geometry.polygons) {
        const std::uint32_t rings = r.count(1U << 28);
        for (std::uint32_t k = 0; k < rings; ++k) {
            if (k == 0) {
                poly.exterior.points = r.points();
            } else {
                poly.holes.push_back(routing::Ring{r.points()});
            }
        }
    }
    a.repaired = r.pod<std::uint8_t>() != 0;
    a.households = r.opt();
    return a;
}

void put_snap(Writer& w, const SiteSnap& s, const std::vector<EdgeKey>& keys) {
    w.origin(s.origin, keys);
    w.pod(s.distance_m);
    w.pod<std::uint8_t>(s.via_entrance ? 1 : 0);
    w.point(s.snapped);
    w.str(s.reason);
}

SiteSnap get_snap(Reader& r, const EdgeKeyIndex& edges) {
    SiteSnap s;
    s.origin = r.origin(edges);
    s.distance_m = r.pod<double>();
    s.via_entrance = r.pod<std::uint8_t>() != 0;
    s.snapped = r.point();
    s.reason = r.str();
    return s;
}

void put_nearest(Writer& w, const NearestResult& n, std::size_t i) {
    w.u32(n.cost[i]);
    w.u32(n.facility[i]);
}

void get_nearest(Reader& r, NearestResult& n, std::size_t i) {
    n.cost[i] = r.u32();
    n.facility[i] = r.u32();
}

// The header every tile of a run must share: the run's inputs and warnings, areas and sizes.
void put_header(Writer& w, const CoverageData& data, std::uint32_t demand_total) {
    w.u32(data.run.walk_speed_mm_per_s);
    w.u32(data.run.senior_speed_mm_per_s);
    w.u32(data.run.gaussian_decay ? 1U : 0U);
    w.u32(static_cast<std::uint32_t>(data.run.inputs.size()));
    for (const auto& [k, v] : data.run.inputs) {
        w.str(k);
        w.str(v);
    }
    w.u32(static_cast<std::uint32_t>(data.run.warnings.size()));
    for (const auto& m : data.run.warnings) w.str(m);
    // Every tile reads the whole POI exports, so every tile holds all of their issues.
    w.u32(static_cast<std::uint32_t>(data.facility_issues.size()));
    for (const auto& i : data.facility_issues) {
        for (const auto* text : {&i.source, &i.id, &i.name, &i.issue, &i.classes, &i.categories}) w.str(*text);
        w.pod(i.row);
    }
    w.pod(data.grid.cell_m);
    w.u32(static_cast<std::uint32_t>(data.communities.size()));
    for (const auto& a : data.communities) put_area(w, a);
    w.u32(static_cast<std::uint32_t>(data.subdistricts.size()));
    for (const auto& a : data.subdistricts) put_area(w, a);
    w.u32(demand_total);
    w.u32(static_cast<std::uint32_t>(data.facilities.size()));
    w.u32(static_cast<std::uint32_t>(data.costs.size()));
    for (const auto& c : data.costs) {
        w.str(c.category);
        w.u32(static_cast<std::uint32_t>(c.facilities.size()));
        for (const auto f : c.facilities) w.u32(f);
        w.pod<std::uint8_t>(c.catchment ? 1 : 0);
    }
}

} // namespace

void write_tile_result(const std::filesystem::path& file, const TileStamp& stamp, const CoverageData& data,
                       const TileCutInfo& cut) {
    Writer w;
    for (const char c : kMagic) w.pod(c);
    w.u32(kVersion);
    w.pod(stamp.manifest_id);
    w.pod(stamp.settings_hash);
    w.u32(stamp.index);
    w.u32(stamp.count);
    // The header goes in as its own byte block so the merge can compare tiles' headers whole.
    // The tile run holds only its halo's demand records; rows are written under the whole run's indices.
    YIKE_ASSERT(cut.demand_index.size() == data.demand.size());
    Writer header;
    put_header(header, data, cut.demand_total);
    w.u32(static_cast<std::uint32_t>(header.bytes().size()));
    for (const char c : header.bytes()) w.pod(c);

    std::vector<std::uint32_t> demand; // the tile run's records of the core
    for (std::uint32_t k = 0; k < data.demand.size(); ++k) {
        if (cut.core_demand.at(cut.demand_index[k]) != 0) demand.push_back(k);
    }
    std::vector<std::uint32_t> facilities;
    for (std::uint32_t f = 0; f < data.facilities.size(); ++f) {
        if (cut.core_facility[f] != 0) facilities.push_back(f);
    }
    w.u32(static_cast<std::uint32_t>(demand.size()));
    for (const auto i : demand) {
        const auto& d = data.demand[i];
        w.u32(cut.demand_index[i]);
        w.str(d.id);
        w.point(d.location);
        w.points(d.entrances);
        w.pod(d.households);
        w.pod(d.population);
        w.pod(d.seniors);
        w.pod(d.children);
        w.str(d.source);
        put_snap(w, data.demand_snaps[i], cut.walk_edge);
        put_snap(w, data.demand_senior_snaps[i], cut.senior_edge);
    }
    w.u32(static_cast<std::uint32_t>(facilities.size()));
    for (const auto f : facilities) {
        const auto& r = data.facilities[f];
        w.u32(f);
        w.str(r.id);
        w.str(r.name);
        w.str(r.category);
        w.point(r.location);
        w.points(r.entrances);
        w.opt(r.capacity);
        w.opt(r.floor_area_m2);
        w.opt(r.staff);
        w.str(r.source);
        put_snap(w, data.facility_snaps[f], cut.walk_edge);
        put_snap(w, data.facility_senior_snaps[f], cut.senior_edge);
    }
    for (const auto& c : data.costs) {
        for (const auto i : demand) {
            put_nearest(w, c.length, i);
            put_nearest(w, c.walk_time, i);
            put_nearest(w, c.senior_time, i);
            if (c.catchment) w.pod(c.catchment->demand_access[i]);
        }
        if (c.catchment) {
            for (std::uint32_t k = 0; k < c.facilities.size(); ++k) {
                if (cut.core_facility[c.facilities[k]] == 0) continue;
                w.u32(k);
                w.pod(c.catchment->facility_ratio[k]);
                w.pod(c.catchment->facility_demand[k]);
            }
        }
    }
    const auto temp = std::filesystem::path(file.string() + ".part");
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(w.bytes().data(), static_cast<std::streamsize>(w.bytes().size()));
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(temp, ec);
            throw io_error(file.string() + ": cannot write the tile result");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw io_error(file.string() + ": cannot write the tile result (" + ec.message() + ")");
    }
}

void merge_tile_results(const std::vector<std::filesystem::path>& files, const TileStamp& expected,
                        CoverageData& data, std::vector<std::optional<routing::Origin>>& facility_senior,
                        const routing::WalkGraph& walk, const routing::WalkGraph& senior) {
    const EdgeKeyIndex walk_edges(walk);
    const EdgeKeyIndex senior_edges(senior);
    std::vector<char> first_header;
    std::vector<std::uint8_t> demand_seen;
    std::vector<std::uint8_t> facility_seen;
    std::vector<std::vector<std::uint8_t>> ratio_seen;
    for (std::uint32_t t = 0; t < files.size(); ++t) {
        const auto& file = files[t];
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) {
            throw data_error(file.string() + ": tile " + std::to_string(t) + " is missing (not computed, or failed)");
        }
        std::ifstream in(file, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.eof() && in.fail()) {
            throw io_error(file.string() + ": cannot read the tile result");
        }
        Reader r(file, std::move(bytes));
        for (const char c : kMagic) {
            if (r.pod<char>() != c) r.bad();
        }
        if (r.u32() != kVersion) {
            throw data_error(file.string() + ": a tile result of another yike version");
        }
        const auto manifest_id = r.pod<std::uint64_t>();
        const auto settings_hash = r.pod<std::uint64_t>();
        const auto index = r.u32();
        const auto count = r.u32();
        if (manifest_id != expected.manifest_id || count != expected.count) {
            throw data_error(file.string() + ": tile from another manifest (not the one in this folder)");
        }
        if (index != t) {
            throw data_error(file.string() + ": holds tile " + std::to_string(index) + ", not tile " + std::to_string(t));
        }
        if (settings_hash != expected.settings_hash) {
            throw data_error(file.string() + ": tile " + std::to_string(t) +
                             " was computed with other settings than the manifest's (rerun it)");
        }
        const auto header_size = r.u32();
        std::vector<char> header(header_size);
        for (auto& c : header) c = r.pod<char>();
        Reader h(file, header);
        if (t == 0) {
            first_header = header;
            data.run.walk_speed_mm_per_s = h.u32();
            data.run.senior_speed_mm_per_s = h.u32();
            data.run.gaussian_decay = h.u32() != 0;
            data.run.inputs.resize(h.count(1U << 20));
            for (auto& [k, v] : data.run.inputs) {
                k = h.str();
                v = h.str();
            }
            data.run.warnings.resize(h.count(1U << 20));
            for (auto& m : data.run.warnings) m = h.str();
            data.facility_issues.resize(h.count(1U << 28));
            for (auto& i : data.facility_issues) {
                for (auto* text : {&i.source, &i.id, &i.name, &i.issue, &i.classes, &i.categories}) *text = h.str();
                i.row = h.pod<std::uint64_t>();
            }
            data.grid.cell_m = h.pod<double>();
            data.communities.resize(h.count(1U << 28));
            for (auto& a : data.communities) a = get_area(h);
            data.subdistricts.resize(h.count(1U << 28));
            for (auto& a : data.subdistricts) a = get_area(h);
            const auto n = h.count(1U << 31);
            const auto f = h.count(1U << 31);
            data.demand.resize(n);
            data.demand_snaps.resize(n);
            data.demand_senior_snaps.resize(n);
            data.facilities.resize(f);
            data.facility_snaps.resize(f);
            data.facility_senior_snaps.resize(f);
            facility_senior.assign(f, std::nullopt);
            demand_seen.assign(n, 0);
            facility_seen.assign(f, 0);
            data.costs.resize(h.count(1U << 20));
            ratio_seen.resize(data.costs.size());
            for (std::size_t c = 0; c < data.costs.size(); ++c) {
                auto& cc = data.costs[c];
                cc.category = h.str();
                cc.facilities.resize(h.count(f));
                for (auto& x : cc.facilities) x = h.u32();
                for (NearestResult* nr : {&cc.length, &cc.walk_time, &cc.senior_time}) {
                    nr->cost.assign(n, routing::inf_cost);
                    nr->facility.assign(n, routing::invalid_id);
                }
                if (h.pod<std::uint8_t>() != 0) {
                    cc.catchment.emplace();
                    cc.catchment->demand_access.assign(n, 0.0);
                    cc.catchment->facility_ratio.assign(cc.facilities.size(), 0.0);
                    cc.catchment->facility_demand.assign(cc.facilities.size(), 0.0);
                    ratio_seen[c].assign(cc.facilities.size(), 0);
                }
            }
            if (!h.done()) h.bad();
        } else if (header != first_header) {
            throw data_error(file.string() + ": tile " + std::to_string(t) +
                             " read other inputs than tile 0 (the extract, layers or options changed between tiles)");
        }
        const std::uint32_t n = static_cast<std::uint32_t>(data.demand.size());
        const std::uint32_t f_count = static_cast<std::uint32_t>(data.facilities.size());
        std::vector<std::uint32_t> demand(r.count(n));
        for (auto& i : demand) {
            i = r.u32();
            if (i >= n || demand_seen[i] != 0) r.bad();
            demand_seen[i] = 1;
            auto& d = data.demand[i];
            d.id = r.str();
            d.location = r.point();
            d.entrances = r.points();
            d.households = r.pod<double>();
            d.population = r.pod<double>();
            d.seniors = r.pod<double>();
            d.children = r.pod<double>();
            d.source = r.str();
            data.demand_snaps[i] = get_snap(r, walk_edges);
            data.demand_senior_snaps[i] = get_snap(r, senior_edges);
        }
        std::vector<std::uint32_t> facilities(r.count(f_count));
        for (auto& f : facilities) {
            f = r.u32();
            if (f >= f_count || facility_seen[f] != 0) r.bad();
            facility_seen[f] = 1;
            auto& rec = data.facilities[f];
            rec.id = r.str();
            rec.name = r.str();
            rec.category = r.str();
            rec.location = r.point();
            rec.entrances = r.points();
            rec.capacity = r.opt();
            rec.floor_area_m2 = r.opt();
            rec.staff = r.opt();
            rec.source = r.str();
            data.facility_snaps[f] = get_snap(r, walk_edges);
            data.facility_senior_snaps[f] = get_snap(r, senior_edges);
            facility_senior[f] = data.facility_senior_snaps[f].origin;
        }
        std::vector<std::uint8_t> in_tile(f_count, 0);
        for (const auto f : facilities) in_tile[f] = 1;
        for (std::size_t c = 0; c < data.costs.size(); ++c) {
            auto& cc = data.costs[c];
            for (const auto i : demand) {
                get_nearest(r, cc.length, i);
                get_nearest(r, cc.walk_time, i);
                get_nearest(r, cc.senior_time, i);
                if (cc.catchment) cc.catchment->demand_access[i] = r.pod<double>();
            }
            if (cc.catchment) {
                std::size_t in_core = 0;
                for (const auto fi : cc.facilities) {
                    in_core += in_tile[fi];
                }
                for (std::size_t j = 0; j < in_core; ++j) {
                    const auto k = r.u32();
                    if (k >= cc.facilities.size() || ratio_seen[c][k] != 0) r.bad();
                    ratio_seen[c][k] = 1;
                    cc.catchment->facility_ratio[k] = r.pod<double>();
                    cc.catchment->facility_demand[k] = r.pod<double>();
                }
            }
        }
        if (!r.done()) r.bad();
    }
    if (files.empty()) {
        throw data_error("merge: the manifest lists no tile");
    }
    // Every point belongs to exactly one tile's core; a gap means the tiles disagree on the grid.
    const auto missing_demand = std::count(demand_seen.begin(), demand_seen.end(), 0);
    const auto missing_facilities = std::count(facility_seen.begin(), facility_seen.end(), 0);
    if (missing_demand > 0 || missing_facilities > 0) {
        throw data_error(files.front().parent_path().string() + ": the tiles hold no result for " +
                         std::to_string(missing_demand) + " demand points and " + std::to_string(missing_facilities) +
                         " facilities");
    }
}

} // namespace yike::viz
