#pragma once
// Two walking graphs equal array by array (a graph file's round trip, a rebuilt graph), the
// projection included; each array is its own expectation, so a failure names the array.
#include <gtest/gtest.h>

#include "yike/routing/graph.hpp"

namespace yike::test {

inline void expect_same_graph(const routing::WalkGraph& a, const routing::WalkGraph& b) {
    EXPECT_EQ(a.first_out, b.first_out);
    EXPECT_EQ(a.node_lon_e7, b.node_lon_e7);
    EXPECT_EQ(a.node_lat_e7, b.node_lat_e7);
    EXPECT_EQ(a.node_x_m, b.node_x_m);
    EXPECT_EQ(a.node_y_m, b.node_y_m);
    EXPECT_EQ(a.node_osm_id, b.node_osm_id);
    EXPECT_EQ(a.head, b.head);
    EXPECT_EQ(a.arc_time_ms, b.arc_time_ms);
    EXPECT_EQ(a.arc_length_cm, b.arc_length_cm);
    EXPECT_EQ(a.arc_edge, b.arc_edge);
    EXPECT_EQ(a.edge_tail, b.edge_tail);
    EXPECT_EQ(a.edge_head, b.edge_head);
    EXPECT_EQ(a.edge_time_ms, b.edge_time_ms);
    EXPECT_EQ(a.edge_length_cm, b.edge_length_cm);
    EXPECT_EQ(a.edge_way_id, b.edge_way_id);
    EXPECT_EQ(a.edge_first_point, b.edge_first_point);
    EXPECT_EQ(a.point_lon_e7, b.point_lon_e7);
    EXPECT_EQ(a.point_lat_e7, b.point_lat_e7);
    EXPECT_EQ(a.point_x_m, b.point_x_m);
    EXPECT_EQ(a.point_y_m, b.point_y_m);
    EXPECT_EQ(a.walk_speed_mm_per_s, b.walk_speed_mm_per_s);
    EXPECT_EQ(a.projection.origin().lon, b.projection.origin().lon);
    EXPECT_EQ(a.projection.origin().lat, b.projection.origin().lat);
    const routing::XY p{123.5, -77.25};
    EXPECT_EQ(a.projection.inverse(p).lon, b.projection.inverse(p).lon);
    EXPECT_EQ(a.projection.inverse(p).lat, b.projection.inverse(p).lat);
}

} // namespace yike::test
