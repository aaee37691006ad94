#include "yike/io/osm_network.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <numbers>
#include <optional>
#include <cmath>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <osmium/io/any_input.hpp>
#include <osmium/memory/buffer.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>

#include "detail/osm_file.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "yike/routing/radix_sort.hpp"

namespace yike::io {

namespace {

// A way the profile admits, its node references kept in one flat array.
struct WalkableWay {
    std::int64_t id;
    std::uint32_t first_ref;
    std::uint32_t ref_count;
    std::uint32_t speed_mm_per_s;
};

bool tag_is(const char* value, std::string_view expected) noexcept {
    return value != nullptr && expected == value;
}

bool contains(const std::set<std::string, std::less<>>& set, const char* value) {
    return value != nullptr && set.find(std::string_view(value)) != set.end();
}

// The access rule shared by ways and barrier nodes: foot=* forbidding wins; access=* forbidding
// holds unless foot=* grants walking explicitly.
bool access_forbids(const WalkProfile& profile, const osmium::TagList& tags) {
    const char* foot = tags.get_value_by_key("foot");
    if (contains(profile.forbidden_access, foot)) {
        return true;
    }
    return contains(profile.forbidden_access, tags.get_value_by_key("access")) &&
           !contains(profile.allowed_foot, foot);
}

bool has_sidewalk(const osmium::TagList& tags) {
    const char* sidewalk = tags.get_value_by_key("sidewalk");
    if (tag_is(sidewalk, "yes") || tag_is(sidewalk, "both") || tag_is(sidewalk, "left") || tag_is(sidewalk, "right")) {
        return true;
    }
    for (const char* key : {"sidewalk:both", "sidewalk:left", "sidewalk:right"}) {
        if (tag_is(tags.get_value_by_key(key), "yes")) {
            return true;
        }
    }
    return false;
}

// The sidewalks of the way are mapped as ways of their own (both sides separate, or one side
// separate and the other without a sidewalk).
bool sidewalks_separate(const osmium::TagList& tags) {
    if (tag_is(tags.get_value_by_key("sidewalk"), "separate") || tag_is(tags.get_value_by_key("sidewalk:both"), "separate")) {
        return true;
    }
    const char* left = tags.get_value_by_key("sidewalk:left");
    const char* right = tags.get_value_by_key("sidewalk:right");
    const bool left_ok = tag_is(left, "separate") || tag_is(left, "no");
    const bool right_ok = tag_is(right, "separate") || tag_is(right, "no");
    return left_ok && right_ok && (tag_is(left, "separate") || tag_is(right, "separate"));
}

// A length or height in mm from an OSM value: a plain number is metres ("1.2"), or a number with
// a unit m, cm or mm ("1.2 m", "120 cm", "30mm"). Anything else (feet, "narrow", "1,2") is unknown.
std::optional<double> parse_length_mm(const char* value) {
    if (value == nullptr) {
        return std::nullopt;
    }
    const std::string_view text(value);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || !std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    while (!unit.empty() && unit.front() == ' ') {
        unit.remove_prefix(1);
    }
    if (unit.empty() || unit == "m") {
        return v * 1000.0;
    }
    if (unit == "cm") {
        return v * 10.0;
    }
    if (unit == "mm") {
        return v;
    }
    return std::nullopt;
}

// |incline| in tenths of a percent from "8%", "-8 %", "5°" or a plain number (read as percent, as
// most mappers mean it). "up", "down", "yes" and anything unparsable give no value: the way is
// steep in an unknown measure, which the profile does not guess.
std::optional<double> parse_incline_permille(const char* value) {
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string_view text(value);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || !std::isfinite(v)) {
        return std::nullopt;
    }
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    while (!unit.empty() && unit.front() == ' ') {
        unit.remove_prefix(1);
    }
    if (unit.empty() || unit == "%") {
        return std::abs(v) * 10.0;
    }
    if (unit == "°" || unit == "deg") {
        if (std::abs(v) >= 90.0) {
            return std::nullopt;
        }
        return std::abs(std::tan(v * std::numbers::pi / 180.0)) * 1000.0;
    }
    return std::nullopt;
}

// wheelchair=yes|limited|designated: a mapper judged the way or node usable; it is then exempt
// from the physical rules (steps, kerb, incline, surface, smoothness, width) of the profile.
bool wheelchair_allowed(const WalkProfile& profile, const osmium::TagList& tags) {
    if (!profile.wheelchair_tags) {
        return false;
    }
    const char* w = tags.get_value_by_key("wheelchair");
    return tag_is(w, "yes") || tag_is(w, "limited") || tag_is(w, "designated");
}

bool wheelchair_forbidden(const WalkProfile& profile, const osmium::TagList& tags) {
    return profile.wheelchair_tags && tag_is(tags.get_value_by_key("wheelchair"), "no");
}

// The physical rules of a barrier-free profile on a way: true when one of them blocks it.
bool physically_blocked(const WalkProfile& profile, std::string_view highway, const osmium::TagList& tags) {
    if (!profile.steps_need_ramp && !profile.max_incline_permille && profile.blocked_surfaces.empty() &&
        profile.blocked_smoothness.empty() && !profile.min_width_mm) {
        return false;
    }
    if (profile.steps_need_ramp && highway == "steps" && !tag_is(tags.get_value_by_key("ramp"), "yes") &&
        !tag_is(tags.get_value_by_key("ramp:wheelchair"), "yes")) {
        return true;
    }
    if (profile.max_incline_permille) {
        const auto incline = parse_incline_permille(tags.get_value_by_key("incline"));
        if (incline && *incline > static_cast<double>(*profile.max_incline_permille)) {
            return true;
        }
    }
    if (contains(profile.blocked_surfaces, tags.get_value_by_key("surface")) ||
        contains(profile.blocked_smoothness, tags.get_value_by_key("smoothness"))) {
        return true;
    }
    if (profile.min_width_mm) {
        const auto width = parse_length_mm(tags.get_value_by_key("width"));
        if (width && *width < static_cast<double>(*profile.min_width_mm)) {
            return true;
        }
    }
    return false;
}

// The factor of a value in a factor table, 1 when the value is absent or unlisted.
double factor_of(const std::map<std::string, double, std::less<>>& table, const char* value) {
    if (value == nullptr || table.empty()) {
        return 1.0;
    }
    const auto it = table.find(std::string_view(value));
    return it == table.end() ? 1.0 : it->second;
}

// Speed on the way in mm/s, or 0 if the profile does not admit it.
std::uint32_t way_speed(const WalkProfile& profile, const osmium::Way& way) {
    const osmium::TagList& tags = way.tags();
    const char* highway = tags.get_value_by_key("highway");
    if (highway == nullptr || tag_is(tags.get_value_by_key("route"), "ferry")) {
        return 0;
    }
    const auto cls = profile.highway_speed_factor.find(std::string_view(highway));
    if (cls == profile.highway_speed_factor.end()) {
        return 0;
    }
    if (tag_is(tags.get_value_by_key("area"), "yes") && way.is_closed() && !profile.pedestrian_areas) {
        return 0;
    }
    if (access_forbids(profile, tags)) {
        return 0;
    }
    if (profile.highway_needs_sidewalk_or_foot.contains(cls->first) &&
        !contains(profile.allowed_foot, tags.get_value_by_key("foot")) && !has_sidewalk(tags)) {
        return 0;
    }
    // Walkers keep to the separately mapped sidewalks and cross on the mapped crossings.
    if (profile.separate_sidewalk_classes.contains(cls->first) && sidewalks_separate(tags)) {
        return 0;
    }
    if (wheelchair_forbidden(profile, tags)) {
        return 0;
    }
    if (!wheelchair_allowed(profile, tags) && physically_blocked(profile, cls->first, tags)) {
        return 0;
    }
    double factor = cls->second;
    // Multiplied only when a table is given, so that profiles without one keep their exact speeds.
    if (!profile.surface_speed_factor.empty()) {
        factor *= factor_of(profile.surface_speed_factor, tags.get_value_by_key("surface"));
    }
    if (!profile.smoothness_speed_factor.empty()) {
        factor *= factor_of(profile.smoothness_speed_factor, tags.get_value_by_key("smoothness"));
    }
    const double speed = std::round(static_cast<double>(profile.speed_mm_per_s) * factor);
    return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(speed));
}

// A node of a barrier-free profile that stops a wheelchair: wheelchair=no, or a kerb too high
// (kerb:height above the limit; without a height, a kerb=* value listed as blocking).
bool kerb_or_wheelchair_blocks(const WalkProfile& profile, const osmium::TagList& tags) {
    // Profiles without these rules (walk, senior) skip the tag look-ups.
    if (!profile.wheelchair_tags && !profile.max_kerb_height_mm && profile.blocking_kerbs.empty()) {
        return false;
    }
    if (wheelchair_forbidden(profile, tags)) {
        return true;
    }
    if (wheelchair_allowed(profile, tags)) {
        return false;
    }
    if (profile.max_kerb_height_mm) {
        if (const auto height = parse_length_mm(tags.get_value_by_key("kerb:height"))) {
            return *height > static_cast<double>(*profile.max_kerb_height_mm);
        }
    }
    return contains(profile.blocking_kerbs, tags.get_value_by_key("kerb"));
}

// A barrier node walkers cannot pass: an unlisted barrier type, a locked one, or one whose
// access forbids walking; for barrier-free profiles also a raised kerb or wheelchair=no.
bool blocks_walking(const WalkProfile& profile, const osmium::TagList& tags) {
    if (kerb_or_wheelchair_blocks(profile, tags)) {
        return true;
    }
    const char* barrier = tags.get_value_by_key("barrier");
    if (barrier == nullptr || tag_is(barrier, "no")) {
        return false;
    }
    if (access_forbids(profile, tags)) {
        return true;
    }
    const bool foot_allowed = contains(profile.allowed_foot, tags.get_value_by_key("foot"));
    if (tag_is(tags.get_value_by_key("locked"), "yes") && !foot_allowed) {
        return true;
    }
    return !contains(profile.passable_barriers, barrier) && !foot_allowed;
}

// A signalised crossing (or junction) where walkers wait for green.
bool is_signalised(const osmium::TagList& tags) {
    return tag_is(tags.get_value_by_key("highway"), "traffic_signals") ||
           tag_is(tags.get_value_by_key("crossing"), "traffic_signals");
}

// Extracts list nodes, then ways, each by ascending id, every id once (what osmium and osmconvert
// write). Duplicate ids (last one silently winning) or an unsorted file would make the network
// depend on the order of the file: every command refuses them alike, naming ids and counts.
class IdOrder {
public:
    explicit IdOrder(const char* kind) : m_kind(kind) {}
    void see(std::int64_t id) {
        if (m_count++ > 0) {
            if (id == m_last) {
                if (m_duplicates++ == 0) m_first_duplicate = id;
            } else if (id < m_last) {
                if (m_unsorted++ == 0) m_first_unsorted = std::to_string(id) + " after " + std::to_string(m_last);
            }
        }
        m_last = id;
    }
    // Throws io_error naming the file when an id repeated or went backwards.
    void check(const std::string& file) const {
        if (m_duplicates == 0 && m_unsorted == 0) return;
        std::string what;
        if (m_duplicates > 0) {
            what = std::to_string(m_duplicates) + " duplicate " + m_kind + " id(s) (first: " + std::to_string(m_first_duplicate) + ")";
        }
        if (m_unsorted > 0) {
            what += (what.empty() ? "" : " and ") + std::to_string(m_unsorted) + " " + m_kind +
                    " id(s) out of order (first: " + m_first_unsorted + ")";
        }
        throw io_error(file + ": " + what + "; yike needs an extract sorted by id with each object once "
                       "(osmium sort; osmium merge drops duplicates)");
    }

private:
    const char* m_kind;
    std::uint64_t m_count = 0;
    std::int64_t m_last = 0;
    std::uint64_t m_duplicates = 0;
    std::int64_t m_first_duplicate = 0;
    std::uint64_t m_unsorted = 0;
    std::string m_first_unsorted;
};

// Pass 1: the walkable ways and their node references.
struct WayPass {
    std::vector<WalkableWay> ways;
    std::vector<std::int64_t> refs;
    std::uint64_t ways_read = 0;
};

bool refers_to_any(const osmium::WayNodeList& nodes, const std::vector<std::int64_t>& sorted_ids) {
    for (const osmium::NodeRef& ref : nodes) {
        if (std::binary_search(sorted_ids.begin(), sorted_ids.end(), ref.ref())) {
            return true;
        }
    }
    return false;
}

// One pass over the ways for several profiles at once (each keeps its own walkable ways). With
// `touching`, a profile keeps only its walkable ways that refer to one of touching[p] (sorted ids).
std::vector<WayPass> read_ways(const osmium::io::File& file, std::span<const WalkProfile> profiles,
                               const std::vector<std::vector<std::int64_t>>* touching = nullptr) {
    std::vector<WayPass> out(profiles.size());
    std::uint64_t ways_read = 0;
    IdOrder order("way");
    osmium::io::Reader reader(file, osmium::osm_entity_bits::way, osmium::io::read_meta::no);
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const osmium::Way& way : buffer.select<osmium::Way>()) {
            ++ways_read;
            order.see(way.id());
            const auto& nodes = way.nodes();
            if (nodes.size() < 2) {
                continue;
            }
            for (std::size_t p = 0; p < profiles.size(); ++p) {
                const std::uint32_t speed = way_speed(profiles[p], way);
                if (speed == 0 || (touching != nullptr && !refers_to_any(nodes, (*touching)[p]))) {
                    continue;
                }
                WayPass& pass = out[p];
                pass.ways.push_back({way.id(), static_cast<std::uint32_t>(pass.refs.size()),
                                     static_cast<std::uint32_t>(nodes.size()), speed});
                for (const osmium::NodeRef& ref : nodes) {
                    pass.refs.push_back(ref.ref());
                }
            }
        }
    }
    reader.close();
    order.check(file.filename());
    for (WayPass& pass : out) {
        pass.ways_read = ways_read;
    }
    return out;
}

// Pass 2: locations and barrier verdicts of the needed nodes (sorted, unique ids).
struct NodePass {
    std::vector<osmium::Location> location; // parallel to the needed ids; undefined if absent
    std::vector<bool> blocking;
    std::vector<bool> signalised; // set only when the profile has a signal delay
};

// The needed ids of one profile and where the scan over them stands.
struct NodeLookup {
    const std::vector<std::int64_t>* needed;
    std::size_t hint = 0; // extracts list nodes by ascending id, so the next hit is usually just ahead
};

// One pass over the nodes for several profiles at once.
std::vector<NodePass> read_nodes(const osmium::io::File& file, std::span<const WalkProfile> profiles,
                                 const std::vector<std::vector<std::int64_t>>& needed_per_profile) {
    std::vector<NodePass> out(profiles.size());
    std::vector<NodeLookup> lookup;
    for (std::size_t p = 0; p < profiles.size(); ++p) {
        out[p].location.assign(needed_per_profile[p].size(), osmium::Location{});
        out[p].blocking.assign(needed_per_profile[p].size(), false);
        out[p].signalised.assign(needed_per_profile[p].size(), false);
        lookup.push_back({&needed_per_profile[p]});
    }
    IdOrder order("node");
    std::uint64_t out_of_range = 0;
    std::string first_out_of_range;
    osmium::io::Reader reader(file, osmium::osm_entity_bits::node, osmium::io::read_meta::no);
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const osmium::Node& node : buffer.select<osmium::Node>()) {
            const std::int64_t id = node.id();
            order.see(id);
            // A location outside lon [-180, 180], lat [-90, 90] is corrupt, not missing.
            if (node.location().is_defined() && !node.location().valid()) {
                if (out_of_range++ == 0) {
                    first_out_of_range = "node " + std::to_string(id) + " at lon " +
                                         std::to_string(node.location().lon_without_check()) + ", lat " +
                                         std::to_string(node.location().lat_without_check());
                }
                continue;
            }
            for (std::size_t p = 0; p < profiles.size(); ++p) {
                const std::vector<std::int64_t>& needed = *lookup[p].needed;
                std::size_t& hint = lookup[p].hint;
                std::size_t i = 0;
                if (hint < needed.size() && needed[hint] >= id && (hint == 0 || needed[hint - 1] < id)) {
                    i = hint;
                } else {
                    i = static_cast<std::size_t>(std::lower_bound(needed.begin(), needed.end(), id) - needed.begin());
                }
                hint = i;
                if (i == needed.size() || needed[i] != id) {
                    continue;
                }
                hint = i + 1;
                out[p].location[i] = node.location();
                if (!node.tags().empty() && blocks_walking(profiles[p], node.tags())) {
                    out[p].blocking[i] = true;
                } else if (profiles[p].signal_delay_ms > 0 && !node.tags().empty() && is_signalised(node.tags())) {
                    out[p].signalised[i] = true;
                }
            }
        }
    }
    reader.close();
    order.check(file.filename());
    if (out_of_range > 0) {
        throw io_error(file.filename() + ": " + std::to_string(out_of_range) +
                       " node(s) with coordinates outside lon [-180, 180], lat [-90, 90] (first: " + first_out_of_range + ")");
    }
    return out;
}

// The distinct ids of `refs`, ascending, and for every reference the index of its id among them
// (one radix sort of (id, position) pairs instead of a sort and a binary search per reference).
void needed_ids(const std::vector<std::int64_t>& refs, std::vector<std::int64_t>& needed,
                std::vector<std::uint32_t>& ref_index) {
    std::vector<std::int64_t> keys = refs;
    std::vector<std::uint32_t> position(refs.size());
    for (std::uint32_t k = 0; k < position.size(); ++k) {
        position[k] = k;
    }
    routing::radix_sort(keys, &position);
    needed.clear();
    ref_index.assign(refs.size(), 0);
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (needed.empty() || needed.back() != keys[k]) {
            needed.push_back(keys[k]);
        }
        ref_index[position[k]] = static_cast<std::uint32_t>(needed.size() - 1);
    }
}

std::vector<routing::EdgeInput> cut_pieces(const WayPass& ways, const NodePass& nodes,
                                           const std::vector<std::uint32_t>& ref_index, std::uint32_t signal_delay_ms,
                                           NetworkReport& report) {
    // Each edge at a signalised node carries half the delay (rounded up), so walking through the
    // node costs the whole delay and starting or ending there half of it.
    const routing::Cost half_delay_ms = (signal_delay_ms + 1) / 2;
    std::vector<routing::EdgeInput> pieces;
    pieces.reserve(ways.ways.size());
    routing::EdgeInput current;
    auto flush = [&](const WalkableWay& way) {
        if (current.points.size() >= 2) {
            current.way_id = way.id;
            current.speed_mm_per_s = way.speed_mm_per_s;
            pieces.push_back(std::move(current));
        }
        current = routing::EdgeInput{};
    };
    for (const WalkableWay& way : ways.ways) {
        current = routing::EdgeInput{};
        for (std::uint32_t k = way.first_ref; k < way.first_ref + way.ref_count; ++k) {
            const std::int64_t id = ways.refs[k];
            const std::uint32_t i = ref_index[k];
            const osmium::Location loc = nodes.location[i];
            if (!loc.valid()) {
                // Never bridge a gap in the extract: the way stops before it and resumes after it.
                ++report.missing_nodes;
                flush(way);
                continue;
            }
            const routing::LonLat p{loc.lon_without_check(), loc.lat_without_check()};
            if (nodes.blocking[i]) {
                if (!current.points.empty()) {
                    current.points.push_back(p);
                    current.point_osm_id.push_back(id);
                    current.detach_back = true;
                    flush(way);
                }
                current.detach_front = true;
            }
            current.points.push_back(p);
            current.point_osm_id.push_back(id);
            if (nodes.signalised[i]) {
                // The way is cut at the node, so that the node is a junction and the delay sits on
                // the edges meeting there rather than on one edge that merely passes it.
                if (current.points.size() >= 2) {
                    current.back_delay_ms = half_delay_ms;
                    flush(way);
                    current.points.push_back(p);
                    current.point_osm_id.push_back(id);
                }
                current.front_delay_ms = half_delay_ms;
            }
        }
        flush(way);
    }
    return pieces;
}

} // namespace

WalkNetwork read_walk_network(const std::filesystem::path& osm_file, const WalkProfile& profile, const ElevationModel* dem) {
    return std::move(read_walk_networks(osm_file, std::span(&profile, 1), dem).front());
}

std::vector<WalkNetwork> read_walk_networks(const std::filesystem::path& osm_file, std::span<const WalkProfile> profiles,
                                            const ElevationModel* dem) {
    const std::string name = osm_file.string();
    detail::require_osm_file(osm_file);

    const std::size_t count = profiles.size();
    std::vector<WayPass> ways;
    std::vector<NodePass> nodes;
    std::vector<std::vector<std::int64_t>> needed(count);
    std::vector<std::vector<std::uint32_t>> ref_index(count);
    try {
        const osmium::io::File file(name);
        ways = read_ways(file, profiles);
        bool any_needed = false;
        for (std::size_t p = 0; p < count; ++p) {
            needed_ids(ways[p].refs, needed[p], ref_index[p]);
            any_needed = any_needed || !needed[p].empty();
        }
        if (any_needed) {
            nodes = read_nodes(file, profiles, needed);
        } else {
            nodes.resize(count);
        }
    } catch (...) {
        detail::rethrow_as_osm_read_error(name);
    }

    std::vector<WalkNetwork> out(count);
    for (std::size_t p = 0; p < count; ++p) {
        const WalkProfile& profile = profiles[p];
        WalkNetwork& net = out[p];
        net.profile_name = profile.name;
        NetworkReport& report = net.report;
        report.ways_read = ways[p].ways_read;
        report.walkable_ways = ways[p].ways.size();
        report.walkable_way_nodes = ways[p].refs.size();
        report.blocking_barriers =
            static_cast<std::uint64_t>(std::count(nodes[p].blocking.begin(), nodes[p].blocking.end(), true));
        std::vector<routing::EdgeInput> pieces = cut_pieces(ways[p], nodes[p], ref_index[p], profile.signal_delay_ms, report);
        if (dem != nullptr) {
            apply_slope(pieces, *dem, profile, report.slope);
        }
        ways[p] = WayPass{};
        nodes[p] = NodePass{};
        needed[p] = {};
        ref_index[p] = {};

        net.graph = routing::build_walk_graph(pieces, profile.speed_mm_per_s);
        if (net.graph.edge_count() == 0) {
            throw data_error(name + ": contains no walkable way for profile " + profile.name);
        }
        const routing::Components components = routing::connected_components(net.graph);
        report.component_count = components.count();
        report.largest_component_nodes = components.component_size.empty() ? 0 : components.component_size.front();
    }
    return out;
}

NetworkPartFrame network_part_frame(const routing::WalkGraph& graph) noexcept {
    NetworkPartFrame f;
    f.frame = routing::graph_frame(graph);
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        for (std::uint32_t k = graph.edge_first_point[e] + 1; k < graph.edge_first_point[e + 1]; ++k) {
            const std::int64_t dlon = std::abs(static_cast<std::int64_t>(graph.point_lon_e7[k]) - graph.point_lon_e7[k - 1]);
            const std::int64_t dlat = std::abs(static_cast<std::int64_t>(graph.point_lat_e7[k]) - graph.point_lat_e7[k - 1]);
            f.max_segment_dlon_e7 = static_cast<std::int32_t>(std::max<std::int64_t>(f.max_segment_dlon_e7, dlon));
            f.max_segment_dlat_e7 = static_cast<std::int32_t>(std::max<std::int64_t>(f.max_segment_dlat_e7, dlat));
        }
    }
    return f;
}

namespace {

// Pass 1 of a part: the ids of the nodes inside the box (1e-7 degrees, bounds included), then,
// in the same reading, per profile the walkable ways referring to one of them ("seeds"), whose
// node ids it returns (sorted, unique) for pass 2.
std::vector<std::vector<std::int64_t>> seed_way_nodes(const osmium::io::File& file, std::span<const WalkProfile> profiles,
                                                      std::int64_t west, std::int64_t south, std::int64_t east,
                                                      std::int64_t north) {
    std::vector<std::int64_t> inside;
    std::vector<std::vector<std::int64_t>> refs(profiles.size());
    osmium::io::Reader reader(file, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way, osmium::io::read_meta::no);
    bool sorted = false;
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const auto& object : buffer.select<osmium::OSMObject>()) {
            if (object.type() == osmium::item_type::node) {
                const auto& node = static_cast<const osmium::Node&>(object);
                const osmium::Location loc = node.location();
                if (loc.valid() && loc.x() >= west && loc.x() <= east && loc.y() >= south && loc.y() <= north) {
                    inside.push_back(node.id());
                }
                continue;
            }
            if (object.type() != osmium::item_type::way) {
                continue;
            }
            if (!sorted) {
                // Extracts list nodes before ways, by id; the node pass refuses any other order.
                std::sort(inside.begin(), inside.end());
                sorted = true;
            }
            const auto& way = static_cast<const osmium::Way&>(object);
            const auto& nodes = way.nodes();
            if (nodes.size() < 2 || !refers_to_any(nodes, inside)) {
                continue;
            }
            for (std::size_t p = 0; p < profiles.size(); ++p) {
                if (way_speed(profiles[p], way) == 0) {
                    continue;
                }
                for (const osmium::NodeRef& ref : nodes) {
                    refs[p].push_back(ref.ref());
                }
            }
        }
    }
    reader.close();
    for (auto& r : refs) {
        std::sort(r.begin(), r.end());
        r.erase(std::unique(r.begin(), r.end()), r.end());
    }
    return refs;
}

std::int64_t floor_e7(double degrees) {
    return static_cast<std::int64_t>(std::floor(degrees * 1e7));
}

std::int64_t ceil_e7(double degrees) {
    return static_cast<std::int64_t>(std::ceil(degrees * 1e7));
}

} // namespace

std::vector<WalkNetwork> read_walk_network_parts(const std::filesystem::path& osm_file,
                                                 std::span<const WalkProfile> profiles,
                                                 std::span<const NetworkPartFrame> frames, const DegreeBox& box) {
    YIKE_ASSERT(frames.size() == profiles.size());
    const std::string name = osm_file.string();
    detail::require_osm_file(osm_file);
    const std::size_t count = profiles.size();
    std::vector<WayPass> ways(count);
    std::vector<NodePass> nodes(count);
    std::vector<std::vector<std::int64_t>> needed(count);
    std::vector<std::vector<std::uint32_t>> ref_index(count);
    if (!box.empty()) {
        // A segment whose box meets `box` has both ends within its own extent of it; the margin of
        // a few units covers the rounding between degrees and 1e-7 degrees.
        std::int64_t margin_lon = 0;
        std::int64_t margin_lat = 0;
        for (const NetworkPartFrame& f : frames) {
            margin_lon = std::max<std::int64_t>(margin_lon, f.max_segment_dlon_e7);
            margin_lat = std::max<std::int64_t>(margin_lat, f.max_segment_dlat_e7);
        }
        try {
            const osmium::io::File file(name);
            const auto seeds = seed_way_nodes(file, profiles, floor_e7(box.west) - margin_lon - 2,
                                              floor_e7(box.south) - margin_lat - 2, ceil_e7(box.east) + margin_lon + 2,
                                              ceil_e7(box.north) + margin_lat + 2);
            // Every way sharing a node with a seed (the seeds among them), so that the junctions
            // on the seeds are decided over all the ways that use their nodes.
            ways = read_ways(file, profiles, &seeds);
            bool any_needed = false;
            for (std::size_t p = 0; p < count; ++p) {
                needed_ids(ways[p].refs, needed[p], ref_index[p]);
                any_needed = any_needed || !needed[p].empty();
            }
            if (any_needed) {
                nodes = read_nodes(file, profiles, needed);
            }
        } catch (...) {
            detail::rethrow_as_osm_read_error(name);
        }
    }
    std::vector<WalkNetwork> out(count);
    for (std::size_t p = 0; p < count; ++p) {
        const WalkProfile& profile = profiles[p];
        WalkNetwork& net = out[p];
        net.profile_name = profile.name;
        NetworkReport& report = net.report;
        report.ways_read = ways[p].ways_read;
        report.walkable_ways = ways[p].ways.size();
        report.walkable_way_nodes = ways[p].refs.size();
        std::vector<routing::EdgeInput> pieces;
        if (!ways[p].ways.empty()) {
            report.blocking_barriers =
                static_cast<std::uint64_t>(std::count(nodes[p].blocking.begin(), nodes[p].blocking.end(), true));
            pieces = cut_pieces(ways[p], nodes[p], ref_index[p], profile.signal_delay_ms, report);
        }
        ways[p] = WayPass{};
        nodes[p] = NodePass{};
        needed[p] = {};
        ref_index[p] = {};
        net.graph = routing::build_walk_graph(pieces, profile.speed_mm_per_s, frames[p].frame);
    }
    return out;
}

std::string missing_nodes_text(const std::filesystem::path& osm_file, const NetworkReport& report) {
    return osm_file.string() + ": " + std::to_string(report.missing_nodes) + " of " +
           std::to_string(report.walkable_way_nodes) +
           " walkable way-node references point to nodes missing from the extract; those ways stop at the gaps";
}

} // namespace yike::io
