#include "yike/io/osm_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <string>
#include <system_error>
#include <vector>

#include <osmium/io/any_input.hpp>
#include <osmium/memory/buffer.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>

#include "detail/osm_file.hpp"
#include "yike/error.hpp"

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
    const double speed = std::round(static_cast<double>(profile.speed_mm_per_s) * cls->second);
    return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(speed));
}

// A barrier node walkers cannot pass: an unlisted barrier type, a locked one, or one whose
// access forbids walking.
bool blocks_walking(const WalkProfile& profile, const osmium::TagList& tags) {
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

// Pass 1: the walkable ways and their node references.
struct WayPass {
    std::vector<WalkableWay> ways;
    std::vector<std::int64_t> refs;
    std::uint64_t ways_read = 0;
};

WayPass read_ways(const osmium::io::File& file, const WalkProfile& profile) {
    WayPass out;
    osmium::io::Reader reader(file, osmium::osm_entity_bits::way, osmium::io::read_meta::no);
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const osmium::Way& way : buffer.select<osmium::Way>()) {
            ++out.ways_read;
            const std::uint32_t speed = way_speed(profile, way);
            const auto& nodes = way.nodes();
            if (speed == 0 || nodes.size() < 2) {
                continue;
            }
            out.ways.push_back({way.id(), static_cast<std::uint32_t>(out.refs.size()),
                                static_cast<std::uint32_t>(nodes.size()), speed});
            for (const osmium::NodeRef& ref : nodes) {
                out.refs.push_back(ref.ref());
            }
        }
    }
    reader.close();
    return out;
}

// Pass 2: locations and barrier verdicts of the needed nodes (sorted, unique ids).
struct NodePass {
    std::vector<osmium::Location> location; // parallel to the needed ids; undefined if absent
    std::vector<bool> blocking;
};

NodePass read_nodes(const osmium::io::File& file, const WalkProfile& profile, const std::vector<std::int64_t>& needed) {
    NodePass out;
    out.location.assign(needed.size(), osmium::Location{});
    out.blocking.assign(needed.size(), false);
    osmium::io::Reader reader(file, osmium::osm_entity_bits::node, osmium::io::read_meta::no);
    std::size_t hint = 0; // extracts list nodes by ascending id, so the next hit is usually just ahead
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const osmium::Node& node : buffer.select<osmium::Node>()) {
            const std::int64_t id = node.id();
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
            out.location[i] = node.location();
            if (!node.tags().empty() && blocks_walking(profile, node.tags())) {
                out.blocking[i] = true;
            }
        }
    }
    reader.close();
    return out;
}

std::vector<routing::EdgeInput> cut_pieces(const WayPass& ways, const NodePass& nodes,
                                           const std::vector<std::int64_t>& needed, NetworkReport& report) {
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
            const auto i = static_cast<std::size_t>(std::lower_bound(needed.begin(), needed.end(), id) - needed.begin());
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
        }
        flush(way);
    }
    return pieces;
}

} // namespace

WalkNetwork read_walk_network(const std::filesystem::path& osm_file, const WalkProfile& profile) {
    const std::string name = osm_file.string();
    detail::require_osm_file(osm_file);

    WalkNetwork net;
    net.profile_name = profile.name;
    NetworkReport& report = net.report;
    WayPass ways;
    NodePass nodes;
    std::vector<std::int64_t> needed;
    try {
        const osmium::io::File file(name);
        ways = read_ways(file, profile);
        needed = ways.refs;
        std::sort(needed.begin(), needed.end());
        needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
        if (!needed.empty()) {
            nodes = read_nodes(file, profile, needed);
        }
    } catch (const yike::error&) {
        throw;
    } catch (const std::exception& e) {
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        throw io_error(name + ": cannot read OSM data: " + what);
    }

    report.ways_read = ways.ways_read;
    report.walkable_ways = ways.ways.size();
    report.walkable_way_nodes = ways.refs.size();
    report.blocking_barriers = static_cast<std::uint64_t>(std::count(nodes.blocking.begin(), nodes.blocking.end(), true));
    const std::vector<routing::EdgeInput> pieces = cut_pieces(ways, nodes, needed, report);
    ways = WayPass{};
    nodes = NodePass{};
    needed = {};

    net.graph = routing::build_walk_graph(pieces, profile.speed_mm_per_s);
    if (net.graph.edge_count() == 0) {
        throw data_error(name + ": contains no walkable way for profile " + profile.name);
    }
    const routing::Components components = routing::connected_components(net.graph);
    report.component_count = components.count();
    report.largest_component_nodes = components.component_size.empty() ? 0 : components.component_size.front();
    return net;
}

} // namespace yike::io
