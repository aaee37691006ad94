// A tile reads only its halo's part of the extract (io::read_walk_network_parts). Its graph, cut to
// a box, must equal the whole network's graph cut to the same box node for node and edge for edge
// (same OSM ids, points, costs, projection, relative order), for every box: tested on a generated
// city built to break a careless reader (long segments crossing boxes with no node inside, ways
// curving around boxes, junctions just outside, barriers that detach ends, signals, gaps) and on
// the real extracts. Edge keys name the same edges in both.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "graph_equal.hpp"
#include "routing/random_graph.hpp"
#include "support/temp_dir.hpp"
#include "yike/engine/tiles.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"

namespace yike::engine {
namespace {

namespace fs = std::filesystem;

const fs::path data_osm = fs::path(YIKE_DATA_DIR) / "osm";

// A city of N x N street corners (about 60 m apart) with random ways over them, written as OSM
// XML sorted by id. The odd parts are what a reader of a part can get wrong:
//   - with `long_ways`, long straight ways of two or three nodes across the whole city (segments
//     crossing a box without a node in it), and a ring path around the city with only its
//     corners as nodes (its edge's box holds every box, while no segment comes near most);
//   - ways that wander over many corners, revisit them, repeat a node, close on themselves;
//   - locked gates (walkers cannot pass: the way is cut and its ends detached), traffic signals
//     (the way is cut, a delay on each side), raised kerbs (blocking the wheelchair profile);
//   - references to nodes the file lacks, and ways that walkers may not use.
std::string generated_city(std::uint64_t seed, int n, bool long_ways) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jitter(-0.00015, 0.00015);
    std::uniform_int_distribution<int> corner(0, n - 1);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double lon0 = 116.30;
    const double lat0 = 39.95;
    const double step = 0.0006;
    struct Node {
        std::int64_t id;
        double lon;
        double lat;
        std::string tags;
    };
    std::vector<Node> nodes;
    auto id_of = [&](int x, int y) { return static_cast<std::int64_t>(1000 + y * n + x); };
    std::set<std::int64_t> absent; // referenced, never written
    for (int y = 0; y < n; ++y) {
        for (int x = 0; x < n; ++x) {
            Node node{id_of(x, y), lon0 + x * step + jitter(rng), lat0 + y * step + jitter(rng), ""};
            const double r = unit(rng);
            if (r < 0.03) {
                node.tags = R"(<tag k="barrier" v="gate"/><tag k="locked" v="yes"/>)";
            } else if (r < 0.07) {
                node.tags = R"(<tag k="highway" v="traffic_signals"/>)";
            } else if (r < 0.10) {
                node.tags = R"(<tag k="barrier" v="kerb"/><tag k="kerb" v="raised"/>)";
            } else if (r < 0.11) {
                absent.insert(node.id);
                continue;
            }
            nodes.push_back(node);
        }
    }
    // Trails: straight paths with a shape node every ~10 m across the city, from one street corner
    // to another, with a short dead-end spur every ~60 shape nodes (~500 m). A trail's edge through a box runs
    // to the next spur's junction, often outside the box; a reader that did not read the spur would
    // take that junction for a shape node and give the trail a longer edge.
    std::vector<std::vector<std::int64_t>> trail_ways;
    std::int64_t next_id = 200000;
    for (int t = 0; t < 4; ++t) {
        const int ax = corner(rng);
        const int bx = corner(rng);
        const bool across = t % 2 == 0;
        const std::int64_t from = across ? id_of(0, ax) : id_of(ax, 0);
        const std::int64_t to = across ? id_of(n - 1, bx) : id_of(bx, n - 1);
        const auto at = [&](std::int64_t id) {
            return std::find_if(nodes.begin(), nodes.end(), [&](const Node& x) { return x.id == id; });
        };
        if (at(from) == nodes.end() || at(to) == nodes.end()) continue;
        const double alon = at(from)->lon, alat = at(from)->lat, blon = at(to)->lon, blat = at(to)->lat;
        const int steps = (n - 1) * 6;
        std::vector<std::int64_t> trail{from};
        for (int k = 1; k < steps; ++k) {
            const double f = static_cast<double>(k) / steps;
            // Off the grid's lines by a third of a block, so it crosses no street corner.
            const double lon = alon + f * (blon - alon) + (across ? 0.0 : step / 3);
            const double lat = alat + f * (blat - alat) + (across ? step / 3 : 0.0);
            nodes.push_back({next_id, lon, lat, ""});
            trail.push_back(next_id++);
            if (k % 60 == 0) {
                nodes.push_back({next_id, lon + (across ? 0.0 : 0.0003), lat + (across ? 0.0003 : 0.0), ""});
                trail_ways.push_back({trail.back(), next_id++});
            }
        }
        trail.push_back(to);
        trail_ways.push_back(trail);
    }
    // The ring's corners, outside the grid.
    const std::int64_t ring = 900;
    const double pad = 3 * step;
    nodes.push_back({ring + 0, lon0 - pad, lat0 - pad, ""});
    nodes.push_back({ring + 1, lon0 + (n - 1) * step + pad, lat0 - pad, ""});
    nodes.push_back({ring + 2, lon0 + (n - 1) * step + pad, lat0 + (n - 1) * step + pad, ""});
    nodes.push_back({ring + 3, lon0 - pad, lat0 + (n - 1) * step + pad, ""});
    std::sort(nodes.begin(), nodes.end(), [](const Node& a, const Node& b) { return a.id < b.id; });

    std::vector<std::vector<std::int64_t>> ways;
    std::vector<std::string> way_tags;
    const char* highways[] = {"footway", "residential", "path", "steps", "living_street", "service", "pedestrian"};
    for (int w = 0; w < 4 * n; ++w) {
        int x = corner(rng);
        int y = corner(rng);
        std::vector<std::int64_t> refs{id_of(x, y)};
        const int length = 1 + static_cast<int>(unit(rng) * unit(rng) * 3 * n);
        for (int k = 0; k < length; ++k) {
            switch (corner(rng) % 4) {
            case 0: x = std::min(n - 1, x + 1); break;
            case 1: x = std::max(0, x - 1); break;
            case 2: y = std::min(n - 1, y + 1); break;
            default: y = std::max(0, y - 1); break;
            }
            refs.push_back(id_of(x, y));
            if (unit(rng) < 0.03) refs.push_back(refs.back()); // a repeated node
        }
        if (unit(rng) < 0.1) refs.push_back(refs.front()); // closed
        ways.push_back(refs);
        std::string tags = std::string(R"(<tag k="highway" v=")") + highways[corner(rng) % 7] + "\"/>";
        if (unit(rng) < 0.05) tags += R"(<tag k="foot" v="no"/>)";
        way_tags.push_back(tags);
    }
    // Long straight ways: corner to corner across the city, some through one middle corner.
    for (int w = 0; w < (long_ways ? 6 : 0); ++w) {
        std::vector<std::int64_t> refs{id_of(corner(rng), 0)};
        if (w % 2 == 0) refs.push_back(id_of(corner(rng), n / 2));
        refs.push_back(id_of(corner(rng), n - 1));
        ways.push_back(refs);
        way_tags.push_back(R"(<tag k="highway" v="footway"/>)");
        ways.push_back({id_of(0, corner(rng)), id_of(n - 1, corner(rng))});
        way_tags.push_back(R"(<tag k="highway" v="residential"/>)");
    }
    for (const auto& t : trail_ways) {
        ways.push_back(t);
        way_tags.push_back(R"(<tag k="highway" v="path"/>)");
    }
    // The ring around the city, joined to the grid at one corner.
    if (long_ways) {
        ways.push_back({ring + 0, ring + 1, ring + 2, ring + 3, ring + 0, id_of(0, 0)});
        way_tags.push_back(R"(<tag k="highway" v="path"/>)");
    }

    std::ostringstream s;
    s.precision(12);
    s << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"yike test\">\n";
    for (const Node& node : nodes) {
        s << "<node id=\"" << node.id << "\" version=\"1\" lat=\"" << node.lat << "\" lon=\"" << node.lon << "\">"
          << node.tags << "</node>\n";
    }
    for (std::size_t w = 0; w < ways.size(); ++w) {
        s << "<way id=\"" << 50000 + w << "\" version=\"1\">";
        for (const auto ref : ways[w]) s << "<nd ref=\"" << ref << "\"/>";
        s << way_tags[w] << "</way>\n";
    }
    s << "</osm>\n";
    return s.str();
}

std::vector<io::WalkProfile> profiles() {
    return {io::load_profile("walk"), io::load_profile("senior"), io::load_profile("wheelchair")};
}

io::DegreeBox frame_box(const routing::GraphFrame& f) {
    return {f.min_lon_e7 * 1e-7, f.min_lat_e7 * 1e-7, f.max_lon_e7 * 1e-7, f.max_lat_e7 * 1e-7};
}

// Boxes over (and just past) a frame: a few large ones, many small ones (a box around one street
// corner has junctions just outside it), thin ones, and the whole frame.
std::vector<io::DegreeBox> boxes_over(const io::DegreeBox& f, std::uint64_t seed, int count) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<io::DegreeBox> out{f};
    const double w = f.east - f.west;
    const double h = f.north - f.south;
    for (int i = 0; i < count; ++i) {
        const double size = i % 3 == 0 ? 0.3 : (i % 3 == 1 ? 0.05 : 0.005);
        const double bw = w * size * (0.2 + unit(rng));
        const double bh = h * size * (0.2 + unit(rng)) * (i % 5 == 4 ? 0.05 : 1.0);
        const double west = f.west - 0.1 * w + unit(rng) * 1.2 * w;
        const double south = f.south - 0.1 * h + unit(rng) * 1.2 * h;
        out.push_back({west, south, west + bw, south + bh});
    }
    return out;
}

struct Counts {
    std::uint64_t parts = 0;        // (box, profile) pairs compared
    std::uint64_t non_empty = 0;    // ... whose cut graph has edges
    std::uint64_t smaller_read = 0; // ... where the part read fewer ways than the whole
};

// For every box and profile: the part's graph cut to the box equals the whole graph cut to it,
// and the keys of its edges name, in the whole graph, the edges the cut kept.
void expect_parts_equal(const fs::path& osm, const std::vector<io::DegreeBox>& boxes, Counts& counts) {
    const std::vector<io::WalkProfile> ps = profiles();
    const std::vector<io::WalkNetwork> whole = io::read_walk_networks(osm, ps);
    std::vector<io::NetworkPartFrame> frames;
    std::vector<EdgeKeyIndex> indexes;
    for (const auto& net : whole) {
        frames.push_back(io::network_part_frame(net.graph));
        indexes.emplace_back(net.graph);
    }
    for (const io::DegreeBox& box : boxes) {
        const std::vector<io::WalkNetwork> part = io::read_walk_network_parts(osm, ps, frames, box);
        ASSERT_EQ(part.size(), ps.size());
        for (std::size_t p = 0; p < ps.size(); ++p) {
            SCOPED_TRACE(osm.filename().string() + ", profile " + ps[p].name + ", box " + std::to_string(box.west) + " " +
                         std::to_string(box.south) + " " + std::to_string(box.east) + " " + std::to_string(box.north));
            std::vector<std::uint32_t> map;
            const routing::WalkGraph expected = cut_graph_to_box(whole[p].graph, box, &map);
            const routing::WalkGraph got = cut_graph_to_box(part[p].graph, box);
            got.check_invariants();
            test::expect_same_graph(expected, got);
            const std::vector<EdgeKey> keys = edge_keys(got);
            ASSERT_EQ(keys.size(), map.size());
            for (std::size_t e = 0; e < keys.size(); ++e) {
                ASSERT_EQ(indexes[p].find(keys[e]), map[e]) << "edge " << e << " of the part";
            }
            ++counts.parts;
            counts.non_empty += expected.edge_count() > 0 ? 1 : 0;
            counts.smaller_read += part[p].report.walkable_ways < whole[p].report.walkable_ways ? 1 : 0;
        }
    }
}

TEST(TileReader, PartOfAGeneratedCityEqualsTheWholeGraphCutToTheBox) {
    test::TempDir tmp;
    const std::uint64_t seed = test::test_seed();
    for (std::uint64_t round = 0; round < 3; ++round) {
        const fs::path osm = tmp.dir() / ("city" + std::to_string(round) + ".osm");
        // Long segments across the city widen what every part must read to about all of it (the
        // reader's margin is the longest segment): rounds with them test exactness, the others
        // also that a part leaves ways out.
        const bool long_ways = round == 0;
        std::ofstream(osm) << generated_city(seed + round, 40, long_ways);
        const io::WalkNetwork walk = io::read_walk_network(osm, io::load_profile("walk"));
        Counts counts;
        std::vector<io::DegreeBox> boxes = boxes_over(frame_box(routing::graph_frame(walk.graph)), seed + round, 30);
        // And boxes of about 10 m around points of the streets (shape points of trails among them):
        // their edges mostly end at junctions far outside.
        std::mt19937_64 rng(seed + round);
        for (int i = 0; i < 20; ++i) {
            const auto k = static_cast<std::size_t>(rng() % walk.graph.point_lon_e7.size());
            const double lon = walk.graph.point_lon_e7[k] * 1e-7;
            const double lat = walk.graph.point_lat_e7[k] * 1e-7;
            boxes.push_back({lon - 0.0001, lat - 0.0001, lon + 0.0001, lat + 0.0001});
        }
        expect_parts_equal(osm, boxes, counts);
        EXPECT_GE(counts.non_empty, counts.parts / 3);
        if (!long_ways) {
            EXPECT_GE(counts.smaller_read, counts.parts / 3);
        }
    }
}

TEST(TileReader, AnEmptyBoxReadsNothing) {
    const std::vector<io::WalkProfile> ps = profiles();
    const std::vector<io::NetworkPartFrame> frames(ps.size());
    const auto part = io::read_walk_network_parts(data_osm / "monaco.osm.pbf", ps, frames, io::DegreeBox{});
    for (const auto& net : part) {
        EXPECT_EQ(net.graph.edge_count(), 0U);
        EXPECT_EQ(net.report.walkable_ways, 0U);
    }
}

// The real extracts, on boxes of tile-and-halo size and smaller ones.
TEST(TileReader, PartsOfRealExtractsEqualTheWholeGraphCutToTheBox) {
    for (const char* name : {"monaco.osm.pbf", "liechtenstein.osm.pbf", "beijing-haidian-cau.osm.bz2"}) {
        const fs::path osm = data_osm / name;
        const io::WalkNetwork walk = io::read_walk_network(osm, io::load_profile("walk"));
        Counts counts;
        expect_parts_equal(osm, boxes_over(frame_box(routing::graph_frame(walk.graph)), test::test_seed(), 8), counts);
        EXPECT_GE(counts.non_empty, 3U) << name;
        EXPECT_GE(counts.smaller_read, 3U) << name;
    }
}

} // namespace
} // namespace yike::engine
