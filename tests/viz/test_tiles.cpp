// Tiled coverage runs: the tiles' merged results equal the monolithic run's, field by field and
// report file by report file; a halo below the bound is caught by the same comparison; the merge
// refuses tiles of another manifest, other settings, or a missing tile.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "support/temp_dir.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/viz/report.hpp"
#include "yike/engine/standards.hpp"
#include "yike/engine/tiles.hpp"
#include "yike/error.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/viz/tile_result.hpp"

namespace yike::engine {
namespace {

namespace fs = std::filesystem;
using viz::merge_tile_results;
using viz::TileStamp;
using viz::write_tile_result;

const std::string monaco = std::string(YIKE_DATA_DIR) + "/osm/monaco.osm.pbf";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

class TilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_settings.osm = monaco;
        m_settings.standard = "mofcom-15min";
        m_settings.threads = 2;
        // An AMap export with a POI of no category: its issue must reach the merged report too.
        fs::create_directories(shared_dir());
        const fs::path pois = shared_dir() / "pois.csv";
        if (!fs::exists(pois)) {
            std::ofstream(pois) << "id,name,typecode,location\nm1,Carrefour City,060200,\"7.4246,43.7384\"\n"
                                   "m2,Hotel de Paris,100100,\"7.4279,43.7395\"\n";
        }
        FacilityLayerSource layer;
        layer.path = pois;
        layer.options.poi_format = "amap";
        m_settings.facility_layers.push_back(layer);
        // What yike tiles puts in the manifest: the grid and the whole networks' facts, with which
        // each tile reads only its halo's part of the extract.
        const io::WalkProfile both[] = {io::load_profile("walk"), io::load_profile("senior")};
        std::vector<io::WalkNetwork> whole = io::read_walk_networks(monaco, both);
        m_grid = make_tile_grid(whole[0].graph, 2.0);
        m_facts = tile_network_facts(whole[0], whole[1]);
        m_walk = std::move(whole[0].graph);
        m_senior = std::move(whole[1].graph);
    }

    // The monolithic run and the exact tiles' files are shared by the tests (each tile reads the
    // whole extract, which is most of a test's time).
    static const CoverageData& monolithic(const CoverageSettings& s) {
        static const CoverageData mono = run_coverage(s);
        return mono;
    }
    static fs::path shared_dir() {
        return fs::temp_directory_path() / ("yike-tiles-shared-" + std::to_string(::getpid()));
    }
    static void TearDownTestSuite() { fs::remove_all(shared_dir()); }
    std::vector<fs::path> exact_tiles() {
        static std::vector<fs::path> files;
        if (files.empty()) {
            fs::create_directories(shared_dir());
            files = run_tiles(std::nullopt, shared_dir() / "exact");
        }
        return files;
    }

    // Every tile of the grid through run_coverage and write_tile_result. `dropped` counts the tiles
    // that kept fewer demand records than the region has.
    std::vector<fs::path> run_tiles(const std::optional<double>& halo_m, const fs::path& prefix,
                                    std::uint32_t* dropped = nullptr) const {
        const TileStamp stamp{42, 7, 0, m_grid.count()};
        std::vector<fs::path> files;
        for (std::uint32_t i = 0; i < m_grid.count(); ++i) {
            CoverageSettings s = m_settings;
            s.tile = TileWindow{m_grid, i, halo_m, m_facts};
            CoverageNetworks net;
            const CoverageData data = run_coverage(s, {}, &net);
            EXPECT_TRUE(net.tile_cut.has_value());
            // The tile's demand records are a subsequence of the region's holding its whole core.
            const TileCutInfo& cut = *net.tile_cut;
            EXPECT_EQ(cut.demand_index.size(), data.demand.size());
            EXPECT_EQ(cut.core_demand.size(), cut.demand_total);
            EXPECT_TRUE(std::adjacent_find(cut.demand_index.begin(), cut.demand_index.end(), std::greater_equal<>()) ==
                        cut.demand_index.end()); // strictly increasing
            std::uint32_t core_kept = 0;
            for (const auto k : cut.demand_index) {
                EXPECT_LT(k, cut.demand_total);
                core_kept += k < cut.demand_total && cut.core_demand[k] != 0 ? 1 : 0;
            }
            EXPECT_EQ(core_kept, cut.core_demand_count);
            if (dropped != nullptr && cut.demand_index.size() < cut.demand_total) ++*dropped;
            files.push_back(prefix.string() + "_" + std::to_string(i) + ".tile");
            TileStamp st = stamp;
            st.index = i;
            write_tile_result(files.back(), st, data, *net.tile_cut);
        }
        return files;
    }
    TileStamp stamp() const { return {42, 7, 0, m_grid.count()}; }
    CoverageData merge(const std::vector<fs::path>& files, const TileStamp& stamp) const {
        CoverageData merged;
        std::vector<std::optional<routing::Origin>> senior;
        merge_tile_results(files, stamp, merged, senior, m_walk, m_senior);
        merged.categories = load_category_mapping(m_settings.category_mapping);
        merged.standard = load_standard(m_settings.standard, merged.categories);
        add_unsnapped_warnings(merged);
        return merged;
    }
    // Counts the demand points whose costs or snaps differ (0: identical).
    static std::size_t differences(const CoverageData& a, const CoverageData& b) {
        EXPECT_EQ(a.demand.size(), b.demand.size());
        EXPECT_EQ(a.costs.size(), b.costs.size());
        std::size_t diff = 0;
        for (std::size_t i = 0; i < std::min(a.demand.size(), b.demand.size()); ++i) {
            bool same = a.demand[i].id == b.demand[i].id && same_bits(a.demand[i].households, b.demand[i].households);
            const auto& sa = a.demand_snaps[i];
            const auto& sb = b.demand_snaps[i];
            same = same && sa.origin.has_value() == sb.origin.has_value() && same_bits(sa.distance_m, sb.distance_m) &&
                   sa.reason == sb.reason;
            if (same && sa.origin) {
                same = sa.origin->edge == sb.origin->edge && sa.origin->offset_cm == sb.origin->offset_cm &&
                       sa.origin->offnet_cm == sb.origin->offnet_cm;
            }
            for (std::size_t c = 0; same && c < std::min(a.costs.size(), b.costs.size()); ++c) {
                const auto& ca = a.costs[c];
                const auto& cb = b.costs[c];
                same = ca.category == cb.category && ca.length.cost[i] == cb.length.cost[i] &&
                       ca.length.facility[i] == cb.length.facility[i] && ca.walk_time.cost[i] == cb.walk_time.cost[i] &&
                       ca.walk_time.facility[i] == cb.walk_time.facility[i] &&
                       ca.senior_time.cost[i] == cb.senior_time.cost[i] &&
                       ca.senior_time.facility[i] == cb.senior_time.facility[i] &&
                       ca.catchment.has_value() == cb.catchment.has_value() &&
                       (!ca.catchment || same_bits(ca.catchment->demand_access[i], cb.catchment->demand_access[i]));
            }
            diff += same ? 0 : 1;
        }
        return diff;
    }
    // The report folders of both runs, compared file by file (summary, tables, layers).
    void expect_same_reports(const CoverageData& a, const CoverageData& b) {
        viz::write_report(m_dir / "report_a", a, evaluate(a));
        viz::write_report(m_dir / "report_b", b, evaluate(b));
        std::size_t files = 0;
        for (const auto& entry : fs::directory_iterator(m_dir / "report_a")) {
            const auto other = m_dir / "report_b" / entry.path().filename();
            ASSERT_TRUE(fs::exists(other)) << other;
            EXPECT_TRUE(slurp(entry.path()) == slurp(other)) << entry.path().filename() << " differs";
            ++files;
        }
        EXPECT_GE(files, 6U);
    }

    void expect_refusals();

    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
    CoverageSettings m_settings;
    TileGrid m_grid;
    TileNetworkFacts m_facts;
    routing::WalkGraph m_walk;
    routing::WalkGraph m_senior;
};

TEST_F(TilesTest, GridPutsEveryPointInExactlyOneTileAndClampsOutsiders) {
    ASSERT_GE(m_grid.count(), 4U);
    const routing::LonLat inside{m_grid.lon0 + 1.5 * m_grid.dlon, m_grid.lat0 + 0.5 * m_grid.dlat};
    EXPECT_EQ(m_grid.tile_of(inside), 1U);
    EXPECT_EQ(m_grid.tile_of({m_grid.lon0 - 5.0, m_grid.lat0 - 5.0}), 0U);
    EXPECT_EQ(m_grid.tile_of({m_grid.lon0 + 1e3, m_grid.lat0 + 1e3}), m_grid.count() - 1);
    EXPECT_EQ(m_grid.tile_of({std::nan(""), 0.0}), m_grid.tile_of({m_grid.lon0, 0.0}));
    EXPECT_THROW(make_tile_grid({0, 0}, {1, 1}, 0.0), config_error);
    EXPECT_THROW(make_tile_grid({0, 0}, {10, 10}, 0.1), config_error); // far too many tiles
}

TEST_F(TilesTest, MergedTilesEqualTheMonolithicRunAndForeignTilesAreRefused) {
    const CoverageData& mono = monolithic(m_settings);
    const CoverageData merged = merge(exact_tiles(), stamp());
    EXPECT_EQ(differences(mono, merged), 0U);
    EXPECT_EQ(mono.run.inputs, merged.run.inputs);
    EXPECT_EQ(mono.run.warnings, merged.run.warnings);
    ASSERT_EQ(mono.facility_issues.size(), 1U);
    ASSERT_EQ(merged.facility_issues.size(), 1U);
    EXPECT_EQ(merged.facility_issues[0].id, "m2");
    EXPECT_EQ(merged.facility_issues[0].row, 2U);
    EXPECT_EQ(merged.facility_issues[0].classes, mono.facility_issues[0].classes);
    ASSERT_EQ(mono.facilities.size(), merged.facilities.size());
    for (std::size_t f = 0; f < mono.facilities.size(); ++f) {
        EXPECT_EQ(mono.facilities[f].id, merged.facilities[f].id);
        EXPECT_TRUE(same_bits(mono.facility_snaps[f].distance_m, merged.facility_snaps[f].distance_m));
    }
    expect_same_reports(mono, merged);
    expect_refusals();
}

TEST_F(TilesTest, AHaloBelowTheBoundChangesResultsAndTheComparisonCatchesIt) {
    const CoverageData& mono = monolithic(m_settings);
    // 150 m: less than the snap distance alone; households near tile edges lose streets and shops.
    std::uint32_t dropped = 0;
    const CoverageData merged = merge(run_tiles(150.0, m_dir / "small", &dropped), stamp());
    EXPECT_GT(differences(mono, merged), 0U);
    // Tiles whose halo leaves demand out drop those records; the merge still finds every point once.
    EXPECT_GT(dropped, 0U);
    EXPECT_EQ(merged.demand.size(), mono.demand.size());
}

// The merge refuses tiles of another manifest, other settings, a swapped or missing or damaged tile.
void TilesTest::expect_refusals() {
    const TileStamp stamp = this->stamp();
    std::vector<fs::path> files;
    for (const auto& f : exact_tiles()) { // a copy: this test damages them
        files.push_back(m_dir / f.filename());
        fs::copy_file(f, files.back());
    }
    auto refused = [&](const std::vector<fs::path>& f, const TileStamp& st, const std::string& phrase) {
        try {
            merge(f, st);
            ADD_FAILURE() << "merge accepted; expected: " << phrase;
        } catch (const data_error& e) {
            EXPECT_NE(std::string(e.what()).find(phrase), std::string::npos) << e.what();
        }
    };
    TileStamp other_manifest = stamp;
    other_manifest.manifest_id = 43;
    refused(files, other_manifest, "another manifest");
    TileStamp other_settings = stamp;
    other_settings.settings_hash = 8;
    refused(files, other_settings, "other settings");
    auto swapped = files;
    std::swap(swapped[0], swapped[1]);
    refused(swapped, stamp, "not tile 0");
    fs::remove(files[1]);
    refused(files, stamp, "tile 1 is missing");
    std::ofstream(files[1]) << "not a tile";
    refused(files, stamp, "not a yike tile result");
}

TEST_F(TilesTest, TileIndexOutOfRangeIsAConfigError) {
    CoverageSettings s = m_settings;
    s.tile = TileWindow{m_grid, m_grid.count(), std::nullopt, std::nullopt};
    EXPECT_THROW(run_coverage(s), config_error);
}

} // namespace
} // namespace yike::engine
