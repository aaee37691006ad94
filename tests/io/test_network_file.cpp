// A walking network saved with save_walk_network and loaded back equals the one read from OSM.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "graph_equal.hpp"
#include "yike/error.hpp"
#include "yike/io/network_file.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/graph_file.hpp"

namespace fs = std::filesystem;

namespace {

TEST(NetworkFile, MonacoRoundTrip) {
    const fs::path monaco = fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
    const fs::path file = fs::temp_directory_path() / ("yike-network-file-" + std::to_string(::getpid()) + ".ykg");
    for (const char* profile_name : {"walk", "senior"}) {
        const yike::io::WalkProfile profile = yike::io::load_profile(profile_name);
        const yike::io::WalkNetwork net = yike::io::read_walk_network(monaco, profile);
        yike::io::save_walk_network(file, net);
        const yike::io::WalkNetwork back = yike::io::load_walk_network(file);
        const auto& a = net.graph;
        const auto& b = back.graph;
        EXPECT_GT(a.node_count(), 1000U);
        yike::test::expect_same_graph(a, b);
        EXPECT_EQ(net.report.ways_read, back.report.ways_read);
        EXPECT_EQ(net.report.walkable_ways, back.report.walkable_ways);
        EXPECT_EQ(net.report.walkable_way_nodes, back.report.walkable_way_nodes);
        EXPECT_EQ(net.report.missing_nodes, back.report.missing_nodes);
        EXPECT_EQ(net.report.blocking_barriers, back.report.blocking_barriers);
        EXPECT_EQ(net.report.component_count, back.report.component_count);
        EXPECT_EQ(net.report.largest_component_nodes, back.report.largest_component_nodes);
        EXPECT_EQ(back.profile_name, profile_name);
    }
    fs::remove(file);
}

std::string file_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// Reading several profiles at once gives, for each, exactly the network read on its own.
TEST(NetworkFile, OneReadingForSeveralProfilesEqualsSeparateReadings) {
    const fs::path monaco = fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
    const fs::path dir = fs::temp_directory_path() / ("yike-network-profiles-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const yike::io::WalkProfile profiles[] = {yike::io::load_profile("walk"), yike::io::load_profile("senior"),
                                              yike::io::with_speed(yike::io::load_profile("walk"), 1.4)};
    const std::vector<yike::io::WalkNetwork> together = yike::io::read_walk_networks(monaco, profiles);
    ASSERT_EQ(together.size(), 3U);
    for (std::size_t p = 0; p < 3; ++p) {
        const yike::io::WalkNetwork alone = yike::io::read_walk_network(monaco, profiles[p]);
        yike::io::save_walk_network(dir / "alone.ykg", alone);
        yike::io::save_walk_network(dir / "together.ykg", together[p]);
        EXPECT_EQ(file_bytes(dir / "alone.ykg"), file_bytes(dir / "together.ykg")) << profiles[p].name;
        EXPECT_EQ(alone.report.missing_nodes, together[p].report.missing_nodes);
    }
    // Each profile's own speeds were applied.
    EXPECT_NE(together[0].graph.edge_time_ms, together[1].graph.edge_time_ms);
    EXPECT_NE(together[0].graph.edge_time_ms, together[2].graph.edge_time_ms);
    EXPECT_EQ(together[0].graph.edge_length_cm, together[2].graph.edge_length_cm);
    fs::remove_all(dir);
}

TEST(NetworkFile, GraphWithoutNetworkStatisticsIsRejected) {
    const fs::path file = fs::temp_directory_path() / ("yike-network-file-bare-" + std::to_string(::getpid()) + ".ykg");
    yike::routing::WalkGraph g;
    g.first_out = {0};
    yike::routing::save_walk_graph(file, g);
    try {
        (void)yike::io::load_walk_network(file);
        ADD_FAILURE() << "loaded a graph file without the io block";
    } catch (const yike::io_error& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
    fs::remove(file);
}

} // namespace
