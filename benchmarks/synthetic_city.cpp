// synthetic_city: writes a deterministic, synthetic but plausible city as OSM PBF, for the scale
// ladder (run_ladder.sh). Correctness is tested on real extracts; this only has to look like a
// city to the reader and the engine, at any size from about 1e4 to 5e6 walkable way-nodes.
//
//   synthetic_city --way-nodes N [--seed S] --out city.osm.pbf
//
// The city is a jittered grid of ~70 m blocks with curved streets of several highway classes,
// missing street pieces (dead ends), service stubs, diagonal footpaths, a river (waterway=river
// plus a natural=water polygon) crossed by few bridges, walled compounds (barrier=wall) entered
// through gates (barrier=gate, entrance=gate), buildings with building:levels, and facility nodes
// of twenty kinds tagged as data/categories/osm.toml maps them.
//
// Randomness comes from a self-contained SplitMix64 so the output is the same byte for byte on
// every machine and standard library for the same arguments.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <numbers>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <osmium/builder/osm_object_builder.hpp>
#include <osmium/io/any_output.hpp>
#include <osmium/io/writer.hpp>
#include <osmium/memory/buffer.hpp>
#include <osmium/osm/location.hpp>

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double range(double lo, double hi) { return lo + (hi - lo) * unit(); }
    bool chance(double p) { return unit() < p; }
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(unit() * n); }

private:
    std::uint64_t m_state;
};

struct Node {
    double x_m;
    double y_m;
    std::uint32_t tags; // index into City::tag_sets, 0 = untagged
};

struct Way {
    std::uint32_t first_ref;
    std::uint32_t ref_count;
    std::uint32_t tags;
    bool walkable;
};

// Everything is built in memory first so that nodes, then ways, are written in ascending id order
// as OSM files are expected to be.
class City {
public:
    City() { tag_sets.emplace_back(); }

    std::uint32_t tag_set(const Tags& tags) {
        for (std::uint32_t i = 0; i < tag_sets.size(); ++i) {
            if (tag_sets[i] == tags) {
                return i;
            }
        }
        tag_sets.push_back(tags);
        return static_cast<std::uint32_t>(tag_sets.size() - 1);
    }
    std::uint32_t node(double x, double y, std::uint32_t tags = 0) {
        nodes.push_back({x, y, tags});
        return static_cast<std::uint32_t>(nodes.size() - 1);
    }
    void way(const std::vector<std::uint32_t>& node_refs, std::uint32_t tags, bool walkable) {
        if (node_refs.size() < 2) {
            return;
        }
        ways.push_back({static_cast<std::uint32_t>(refs.size()), static_cast<std::uint32_t>(node_refs.size()), tags, walkable});
        refs.insert(refs.end(), node_refs.begin(), node_refs.end());
        if (walkable) {
            walkable_way_nodes += node_refs.size();
        }
    }
    // A closed rectangle rotated by `angle`, as a way of five references.
    void rectangle(double cx, double cy, double w, double h, double angle, std::uint32_t tags) {
        const double c = std::cos(angle);
        const double s = std::sin(angle);
        std::vector<std::uint32_t> ring;
        for (const auto& [dx, dy] : std::array<std::pair<double, double>, 4>{{{-w, -h}, {w, -h}, {w, h}, {-w, h}}}) {
            ring.push_back(node(cx + (dx * c - dy * s) / 2, cy + (dx * s + dy * c) / 2));
        }
        ring.push_back(ring.front());
        way(ring, tags, false);
    }

    std::vector<Tags> tag_sets;
    std::vector<Node> nodes;
    std::vector<Way> ways;
    std::vector<std::uint32_t> refs;
    std::uint64_t walkable_way_nodes = 0;
};

struct Facility {
    Tags tags;
    double per_block; // expected count per block
};

// Facilities of the categories of the gb50180-2018 standard's targets (and a few everyday shops),
// tagged as data/categories/osm.toml maps them, with densities loosely like a Chinese city's.
std::vector<Facility> facility_kinds() {
    return {
        {{{"shop", "convenience"}}, 0.20},
        {{{"amenity", "pharmacy"}}, 0.06},
        {{{"shop", "supermarket"}}, 0.03},
        {{{"amenity", "kindergarten"}}, 0.03},
        {{{"amenity", "childcare"}}, 0.02},
        {{{"amenity", "school"}, {"isced:level", "1"}}, 0.015},
        {{{"amenity", "school"}, {"isced:level", "2"}}, 0.008},
        {{{"amenity", "clinic"}, {"name", "社区卫生服务中心"}}, 0.004},
        {{{"amenity", "clinic"}, {"name", "社区卫生服务站"}}, 0.02},
        {{{"amenity", "community_centre"}, {"name", "社区服务站"}}, 0.015},
        {{{"amenity", "arts_centre"}, {"name", "文化活动中心"}}, 0.004},
        {{{"leisure", "sports_centre"}}, 0.006},
        {{{"leisure", "pitch"}, {"sport", "multi"}}, 0.03},
        {{{"leisure", "fitness_station"}}, 0.03},
        {{{"amenity", "marketplace"}}, 0.01},
        {{{"highway", "bus_stop"}}, 0.05},
        {{{"railway", "subway_entrance"}}, 0.002},
        {{{"amenity", "waste_disposal"}}, 0.3},
        {{{"amenity", "social_facility"}, {"social_facility", "day_care"}, {"social_facility:for", "senior"}}, 0.01},
        {{{"leisure", "playground"}}, 0.04},
    };
}

constexpr double block_m = 70.0;
constexpr int shape_points = 3; // interior points of a street piece between two junctions

struct Generator {
    City city;
    SplitMix64 rng;
    int grid; // junctions per side
    int river_row; // the river runs between junction rows river_row and river_row + 1
    std::vector<std::uint32_t> junction;
    std::vector<std::uint32_t> mid_h; // middle point of the horizontal piece right of a junction (or none)
    std::vector<std::uint32_t> mid_v; // middle point of the vertical piece above a junction (or none)
    static constexpr std::uint32_t none = 0xFFFFFFFFU;

    Generator(int g, std::uint64_t seed) : rng(seed), grid(g), river_row(g / 2 - 1) {}

    std::size_t at(int i, int j) const { return static_cast<std::size_t>(j) * grid + i; }

    std::uint32_t street_tags(SplitMix64& r, bool bridge) {
        static const std::array<const char*, 6> classes{"residential", "residential", "tertiary", "secondary", "primary", "living_street"};
        Tags t{{"highway", classes[r.below(classes.size())]}};
        if (bridge) {
            t.emplace_back("bridge", "yes");
            t.emplace_back("layer", "1");
        }
        return city.tag_set(t);
    }

    // The interior points of the piece from junction a to b, bowed sideways a little.
    std::vector<std::uint32_t> piece_points(std::uint32_t a, std::uint32_t b) {
        const Node na = city.nodes[a];
        const Node nb = city.nodes[b];
        const double bow = rng.range(-4.0, 4.0);
        const double dx = nb.x_m - na.x_m;
        const double dy = nb.y_m - na.y_m;
        const double len = std::hypot(dx, dy);
        std::vector<std::uint32_t> pts;
        for (int k = 1; k <= shape_points; ++k) {
            const double t = static_cast<double>(k) / (shape_points + 1);
            const double off = bow * std::sin(std::numbers::pi * t);
            pts.push_back(city.node(na.x_m + dx * t - dy / len * off, na.y_m + dy * t + dx / len * off));
        }
        return pts;
    }

    bool river_crossing(int j) const { return j == river_row; }
    bool is_bridge(int i) const { return i % 14 == 7; }

    void streets() {
        junction.resize(static_cast<std::size_t>(grid) * grid);
        mid_h.assign(junction.size(), none);
        mid_v.assign(junction.size(), none);
        for (int j = 0; j < grid; ++j) {
            for (int i = 0; i < grid; ++i) {
                const double river_gap = j > river_row ? 40.0 : 0.0; // the river widens that block row
                junction[at(i, j)] = city.node(i * block_m + rng.range(-12, 12), j * block_m + river_gap + rng.range(-12, 12));
            }
        }
        // Horizontal streets, row by row, as ways of a few blocks; a missing piece ends a way.
        for (int j = 0; j < grid; ++j) {
            lines(j, true);
        }
        for (int i = 0; i < grid; ++i) {
            lines(i, false);
        }
    }

    // One street line (row j if horizontal, else column): consecutive pieces joined into ways.
    void lines(int line, bool horizontal) {
        std::vector<std::uint32_t> refs;
        std::uint32_t tags = street_tags(rng, false);
        int left_in_way = 3 + static_cast<int>(rng.below(10));
        auto flush = [&] {
            city.way(refs, tags, true);
            refs.clear();
            tags = street_tags(rng, false);
            left_in_way = 3 + static_cast<int>(rng.below(10));
        };
        for (int k = 0; k + 1 < grid; ++k) {
            const std::size_t from = horizontal ? at(k, line) : at(line, k);
            const std::size_t to = horizontal ? at(k + 1, line) : at(line, k + 1);
            const bool over_river = !horizontal && river_crossing(k);
            if (over_river && !is_bridge(line)) {
                flush();
                continue;
            }
            if (!over_river && rng.chance(0.07)) {
                flush(); // a missing piece: both neighbours become dead ends unless joined elsewhere
                continue;
            }
            const std::vector<std::uint32_t> pts = piece_points(junction[from], junction[to]);
            (horizontal ? mid_h : mid_v)[from] = pts[shape_points / 2];
            if (over_river) {
                flush();
                city.way({junction[from], pts[0], pts[1], pts[2], junction[to]}, street_tags(rng, true), true);
                continue;
            }
            if (refs.empty()) {
                refs.push_back(junction[from]);
            }
            refs.insert(refs.end(), pts.begin(), pts.end());
            refs.push_back(junction[to]);
            if (--left_in_way == 0) {
                flush();
            }
        }
        flush();
    }

    void river() {
        const double width = grid * block_m;
        const double y0 = river_row * block_m + 55.0; // centre line of the widened (110 m) block row
        std::vector<std::uint32_t> centre;
        std::vector<std::uint32_t> north;
        std::vector<std::uint32_t> south;
        for (double x = -100.0; x <= width + 100.0; x += 50.0) {
            const double y = y0 + 6.0 * std::sin(x / 400.0);
            centre.push_back(city.node(x, y));
            north.push_back(city.node(x, y + 14.0));
            south.push_back(city.node(x, y - 14.0));
        }
        city.way(centre, city.tag_set({{"waterway", "river"}, {"name", "Synthetic River"}}), false);
        std::vector<std::uint32_t> ring = south;
        ring.insert(ring.end(), north.rbegin(), north.rend());
        ring.push_back(ring.front());
        city.way(ring, city.tag_set({{"natural", "water"}, {"water", "river"}}), false);
    }

    void buildings(double x0, double y0, double x1, double y1, int count) {
        for (int b = 0; b < count; ++b) {
            const Tags tags{{"building", rng.chance(0.7) ? "apartments" : "residential"},
                            {"building:levels", std::to_string(1 + rng.below(rng.chance(0.5) ? 6 : 24))}};
            city.rectangle(rng.range(x0 + 8, x1 - 8), rng.range(y0 + 8, y1 - 8), rng.range(8, 14), rng.range(8, 12),
                           rng.range(-0.2, 0.2), city.tag_set(tags));
        }
    }

    void blocks(const std::vector<Facility>& kinds) {
        const std::uint32_t footway = city.tag_set({{"highway", "footway"}});
        const std::uint32_t service = city.tag_set({{"highway", "service"}});
        const std::uint32_t wall = city.tag_set({{"barrier", "wall"}});
        const std::uint32_t gate = city.tag_set({{"barrier", "gate"}, {"entrance", "gate"}});
        for (int j = 0; j + 1 < grid; ++j) {
            for (int i = 0; i + 1 < grid; ++i) {
                if (j == river_row) {
                    continue; // the river's block row holds only water and bridges
                }
                const Node sw = city.nodes[junction[at(i, j)]];
                const Node ne = city.nodes[junction[at(i + 1, j + 1)]];
                const double x0 = sw.x_m;
                const double y0 = sw.y_m;
                const double x1 = ne.x_m;
                const double y1 = ne.y_m;
                const double cx = (x0 + x1) / 2;
                // A walled compound in about one block in forty (and always near the centre),
                // entered through a gate on its south and north sides.
                if ((i == grid / 2 && j == grid / 2 + 2) || rng.chance(0.025)) {
                    const double inset = 12.0;
                    const double wx0 = x0 + inset;
                    const double wx1 = x1 - inset;
                    const double wy0 = y0 + inset;
                    const double wy1 = y1 - inset;
                    const std::uint32_t g_south = city.node(cx, wy0, gate);
                    const std::uint32_t g_north = city.node(cx, wy1, gate);
                    const std::uint32_t c1 = city.node(wx0, wy0);
                    const std::uint32_t c2 = city.node(wx1, wy0);
                    const std::uint32_t c3 = city.node(wx1, wy1);
                    const std::uint32_t c4 = city.node(wx0, wy1);
                    city.way({c1, g_south, c2, c3, g_north, c4, c1}, wall, false);
                    const std::uint32_t centre = city.node(cx, (wy0 + wy1) / 2);
                    std::vector<std::uint32_t> path;
                    if (mid_h[at(i, j)] != none) {
                        path.push_back(mid_h[at(i, j)]);
                    }
                    path.insert(path.end(), {g_south, centre, g_north});
                    if (mid_h[at(i, j + 1)] != none) {
                        path.push_back(mid_h[at(i, j + 1)]);
                    }
                    city.way(path, footway, true);
                    buildings(wx0, wy0, wx1, wy1, 3);
                } else {
                    if (rng.chance(0.2)) { // a diagonal footpath across the block
                        const Node a = city.nodes[junction[at(i, j)]]; // copies: city.node() may reallocate
                        const Node b = city.nodes[junction[at(i + 1, j + 1)]];
                        std::vector<std::uint32_t> path{junction[at(i, j)]};
                        for (int k = 1; k <= 2; ++k) {
                            const double t = k / 3.0;
                            path.push_back(city.node(a.x_m + (b.x_m - a.x_m) * t + rng.range(-3, 3),
                                                     a.y_m + (b.y_m - a.y_m) * t + rng.range(-3, 3)));
                        }
                        path.push_back(junction[at(i + 1, j + 1)]);
                        city.way(path, footway, true);
                    }
                    if (mid_h[at(i, j)] != none && rng.chance(0.35)) { // a service stub ending in the block
                        const Node start = city.nodes[mid_h[at(i, j)]];
                        const std::uint32_t p1 = city.node(start.x_m + rng.range(-3, 3), start.y_m + 15);
                        const std::uint32_t p2 = city.node(start.x_m + rng.range(-6, 6), start.y_m + 30);
                        city.way({mid_h[at(i, j)], p1, p2}, service, true);
                    }
                    buildings(x0, y0, x1, y1, 2 + static_cast<int>(rng.below(4)));
                }
                for (const Facility& f : kinds) {
                    if (rng.chance(f.per_block)) {
                        city.node(rng.range(x0 + 6, x1 - 6), rng.range(y0 + 6, y1 - 6), city.tag_set(f.tags));
                    }
                }
            }
        }
    }
};

int run(std::uint64_t way_nodes, std::uint64_t seed, const std::string& out) {
    // About 9.8 walkable way-nodes per block (two street pieces of five references, plus paths).
    const int grid = std::max(8, static_cast<int>(std::lround(std::sqrt(static_cast<double>(way_nodes) / 9.8))));
    Generator gen(grid, seed);
    gen.streets();
    gen.river();
    gen.blocks(facility_kinds());
    City& city = gen.city;

    // Beijing's latitude; metres to degrees with the local radii (plenty for a test city).
    const double lat0 = 39.9;
    const double lon0 = 116.4 - grid * block_m / 2 / (111'320.0 * std::cos(lat0 * std::numbers::pi / 180));
    const double m_per_deg_lat = 111'132.0;
    const double m_per_deg_lon = 111'320.0 * std::cos(lat0 * std::numbers::pi / 180);
    const double lat_base = lat0 - grid * block_m / 2 / m_per_deg_lat;

    osmium::io::Header header;
    header.set("generator", "yike synthetic_city");
    osmium::io::Writer writer{osmium::io::File{out}, header, osmium::io::overwrite::allow};
    osmium::memory::Buffer buffer{1 << 20, osmium::memory::Buffer::auto_grow::yes};
    auto maybe_flush = [&] {
        if (buffer.committed() > (1U << 20) - 4096) {
            writer(std::move(buffer));
            buffer = osmium::memory::Buffer{1 << 20, osmium::memory::Buffer::auto_grow::yes};
        }
    };
    auto add_tags = [&](auto& parent, std::uint32_t tags) {
        if (tags != 0) {
            osmium::builder::TagListBuilder tb{parent};
            for (const auto& [k, v] : city.tag_sets[tags]) {
                tb.add_tag(k, v);
            }
        }
    };
    for (std::size_t n = 0; n < city.nodes.size(); ++n) {
        const Node& node = city.nodes[n];
        {
            osmium::builder::NodeBuilder nb{buffer};
            nb.set_id(static_cast<osmium::object_id_type>(n + 1)).set_version(1).set_visible(true);
            nb.set_location(osmium::Location{lon0 + node.x_m / m_per_deg_lon, lat_base + node.y_m / m_per_deg_lat});
            nb.set_user("");
            add_tags(nb, node.tags);
        }
        buffer.commit();
        maybe_flush();
    }
    for (std::size_t w = 0; w < city.ways.size(); ++w) {
        const Way& way = city.ways[w];
        {
            osmium::builder::WayBuilder wb{buffer};
            wb.set_id(static_cast<osmium::object_id_type>(w + 1)).set_version(1).set_visible(true);
            wb.set_user("");
            {
                osmium::builder::WayNodeListBuilder wnl{wb};
                for (std::uint32_t k = way.first_ref; k < way.first_ref + way.ref_count; ++k) {
                    wnl.add_node_ref(static_cast<osmium::object_id_type>(city.refs[k] + 1));
                }
            }
            add_tags(wb, way.tags);
        }
        buffer.commit();
        maybe_flush();
    }
    writer(std::move(buffer));
    writer.close();
    std::printf("%s: grid %d x %d blocks of %.0f m, %zu nodes, %zu ways, %llu walkable way-nodes\n", out.c_str(), grid - 1,
                grid - 1, block_m, city.nodes.size(), city.ways.size(), static_cast<unsigned long long>(city.walkable_way_nodes));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::uint64_t way_nodes = 0;
    std::uint64_t seed = 20261122;
    std::string out;
    for (int a = 1; a < argc; ++a) {
        const std::string_view arg = argv[a];
        if (a + 1 < argc && arg == "--way-nodes") {
            way_nodes = std::strtoull(argv[++a], nullptr, 10);
        } else if (a + 1 < argc && arg == "--seed") {
            seed = std::strtoull(argv[++a], nullptr, 10);
        } else if (a + 1 < argc && arg == "--out") {
            out = argv[++a];
        } else {
            out.clear();
            break;
        }
    }
    if (way_nodes < 1000 || way_nodes > 50'000'000 || out.empty()) {
        std::fprintf(stderr, "usage: synthetic_city --way-nodes N (1000..5e7) [--seed S] --out FILE.osm.pbf\n");
        return 2;
    }
    try {
        return run(way_nodes, seed, out);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "synthetic_city: %s: %s\n", out.c_str(), e.what());
        return 1;
    }
}
