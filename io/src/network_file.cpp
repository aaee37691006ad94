#include "yike/io/network_file.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "yike/error.hpp"
#include "yike/routing/graph_file.hpp"

namespace yike::io {

namespace {

// The extra block: seven 64-bit report fields, the profile name's length, then its bytes.
constexpr std::size_t report_fields = 7;

} // namespace

void save_walk_network(const std::filesystem::path& path, const WalkNetwork& network) {
    const NetworkReport& r = network.report;
    const std::uint64_t fields[report_fields + 1] = {r.ways_read,
                                                     r.walkable_ways,
                                                     r.walkable_way_nodes,
                                                     r.missing_nodes,
                                                     r.blocking_barriers,
                                                     r.component_count,
                                                     r.largest_component_nodes,
                                                     network.profile_name.size()};
    std::vector<std::byte> extra(sizeof fields + network.profile_name.size());
    std::memcpy(extra.data(), fields, sizeof fields);
    std::memcpy(extra.data() + sizeof fields, network.profile_name.data(), network.profile_name.size());
    routing::save_walk_graph(path, network.graph, extra);
}

WalkNetwork load_walk_network(const std::filesystem::path& path) {
    routing::LoadedGraph loaded = routing::load_walk_graph(path);
    std::uint64_t fields[report_fields + 1] = {};
    if (loaded.extra.size() < sizeof fields) {
        throw io_error(path.string() + ": graph file lacks the network statistics (not written by `yike graph --save`)");
    }
    std::memcpy(fields, loaded.extra.data(), sizeof fields);
    if (fields[report_fields] != loaded.extra.size() - sizeof fields) {
        throw io_error(path.string() + ": graph file is inconsistent (profile name)");
    }
    WalkNetwork net;
    net.graph = std::move(loaded.graph);
    net.report.ways_read = fields[0];
    net.report.walkable_ways = fields[1];
    net.report.walkable_way_nodes = fields[2];
    net.report.missing_nodes = fields[3];
    net.report.blocking_barriers = fields[4];
    net.report.component_count = static_cast<std::uint32_t>(fields[5]);
    net.report.largest_component_nodes = static_cast<std::uint32_t>(fields[6]);
    net.profile_name.assign(reinterpret_cast<const char*>(loaded.extra.data() + sizeof fields),
                            static_cast<std::size_t>(fields[report_fields]));
    return net;
}

} // namespace yike::io
