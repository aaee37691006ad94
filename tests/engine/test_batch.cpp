// Batch files (engine/batch.hpp): a [[run]] holds scenario keys, or names a scenario and overrides
// some of its keys, paths relative to the batch file; mistakes are refused naming file:line and run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "yike/engine/batch.hpp"
#include "yike/error.hpp"

namespace yike::engine {
namespace {

namespace fs = std::filesystem;

class BatchFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("yike-batch-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
                 std::to_string(::getpid()));
        fs::create_directories(m_dir / "scenarios");
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(m_dir / name) << text;
        return m_dir / name;
    }
    // The message of the config_error loading `text` as a batch file throws.
    std::string error_of(const std::string& text) const {
        const auto file = write("batch.toml", text);
        try {
            (void)load_batch(file);
        } catch (const config_error& e) {
            return e.what();
        }
        return "(no error)";
    }
    fs::path m_dir;
};

const char* scenario = R"(osm = "../osm/city.osm.pbf"
standard = "gb50180-2018"
max_snap_m = 200
out = "../somewhere"
[demand]
source = "households"
path = "../layers/households.csv"
households_field = "hh"
[areas]
grid_cell_m = 250
[[facilities]]
path = "../layers/clinics.csv"
category = "clinic"
)";

TEST_F(BatchFileTest, ItemsReadScenarioKeysRelativeToTheBatchFile) {
    const auto file = write("batch.toml", R"([[run]]
name = "a"
osm = "a.osm.pbf"
standard = "mofcom-15min"
out = "out/a"
[run.areas]
grid_cell_m = 300

[[run]]
name = "b"
osm = "/abs/b.osm.pbf"
out = "out/b"
decay = "gaussian"
)");
    const BatchFile b = load_batch(file);
    ASSERT_EQ(b.items.size(), 2U);
    const auto& a = b.items[0];
    EXPECT_EQ(a.name, "a");
    EXPECT_EQ(a.line, 1U);
    EXPECT_EQ(a.settings.osm, (m_dir / "a.osm.pbf").lexically_normal());
    EXPECT_EQ(a.settings.out, (m_dir / "out/a").lexically_normal());
    EXPECT_EQ(a.settings.standard, "mofcom-15min");
    EXPECT_EQ(a.settings.grid_cell_m, 300.0);
    EXPECT_FALSE(a.settings.gaussian_decay);
    const auto& bb = b.items[1];
    EXPECT_EQ(bb.line, 9U);
    EXPECT_EQ(bb.settings.osm, fs::path("/abs/b.osm.pbf"));
    EXPECT_EQ(bb.settings.standard, CoverageSettings{}.standard);
    EXPECT_TRUE(bb.settings.gaussian_decay);
    // The definition (for the resume hash) leaves out name and out, not the settings.
    EXPECT_EQ(a.definition.find("out/a"), std::string::npos);
    EXPECT_NE(a.definition.find("mofcom-15min"), std::string::npos);
}

TEST_F(BatchFileTest, OverridesKeepTheScenarioKeysTheyDoNotName) {
    write("scenarios/base.toml", scenario);
    const BatchFile b = load_batch(write("batch.toml", R"([[run]]
name = "base"
scenario = "scenarios/base.toml"
out = "out/base"

[[run]]
name = "over"
scenario = "scenarios/base.toml"
out = "out/over"
standard = "mofcom-15min"
[run.demand]
households_field = "households"
[[run.facilities]]
path = "pharmacies.csv"
category = "pharmacy"
)"));
    ASSERT_EQ(b.items.size(), 2U);
    const auto& base = b.items[0].settings;
    EXPECT_EQ(b.items[0].scenario, (m_dir / "scenarios/base.toml").lexically_normal());
    // Paths of the scenario stay relative to the scenario; the item's own folder replaces its out.
    EXPECT_EQ(base.osm, (m_dir / "osm/city.osm.pbf").lexically_normal());
    EXPECT_EQ(base.out, (m_dir / "out/base").lexically_normal());
    EXPECT_EQ(base.standard, "gb50180-2018");
    EXPECT_EQ(base.demand_source, DemandSource::households_layer);
    ASSERT_EQ(base.facility_layers.size(), 1U);

    const auto& over = b.items[1].settings;
    EXPECT_EQ(over.standard, "mofcom-15min");
    EXPECT_EQ(over.max_snap_m, 200.0);
    EXPECT_EQ(over.grid_cell_m, 250.0);
    // A demand table sets its keys only: the source and path stay the scenario's.
    EXPECT_EQ(over.demand_source, DemandSource::households_layer);
    EXPECT_EQ(over.demand_path, (m_dir / "layers/households.csv").lexically_normal());
    EXPECT_EQ(over.demand_options.households_field, "households");
    // A facilities list replaces the scenario's, its paths relative to the batch file.
    ASSERT_EQ(over.facility_layers.size(), 1U);
    EXPECT_EQ(over.facility_layers[0].path, (m_dir / "pharmacies.csv").lexically_normal());
    EXPECT_EQ(over.facility_layers[0].options.category, "pharmacy");
}

TEST_F(BatchFileTest, MistakesNameFileLineRunAndKey) {
    const std::string osm = "osm = \"x.osm.pbf\"\n";
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\n" + osm + "out = \"a\"\nstandrad = \"x\"\n")
                  .find("batch.toml:5: run 'a': unknown key 'standrad'"),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\n" + osm).find("batch.toml:1: run 'a': missing key 'out'"),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\nout = \"a\"\n").find("run 'a': missing key 'osm'"), std::string::npos);
    EXPECT_NE(error_of("[[run]]\n" + osm + "out = \"a\"\n").find("batch.toml:1: a [[run]] needs name"),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a/b\"\n" + osm + "out = \"a\"\n").find("run name 'a/b'"), std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\n" + osm + "out = \"a\"\n[[run]]\nname = \"a\"\n" + osm + "out = \"b\"\n")
                  .find("batch.toml:5: run 'a': name used twice (also line 1)"),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\n" + osm + "out = \"x\"\n[[run]]\nname = \"b\"\n" + osm + "out = \"./x\"\n")
                  .find("/x' is also the folder of run 'a' (line 1)"),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\n" + osm + "out = \"x\"\n[[run]]\nname = \"b\"\n" + osm + "out = \"x/y\"\n")
                  .find("/x/y' lies inside the folder of run 'a'"),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\nscenario = \"none.toml\"\nout = \"x\"\n")
                  .find("batch.toml:3: run 'a': scenario: "),
              std::string::npos);
    EXPECT_NE(error_of("[[run]]\nname = \"a\"\n" + osm + "out = \"x\"\nmax_snap_m = -1\n")
                  .find("batch.toml:5: run 'a': max_snap_m must be"),
              std::string::npos);
    EXPECT_NE(error_of("osm = \"x\"\n").find("unknown key 'osm' (a batch file holds [[run]] tables)"), std::string::npos);
    EXPECT_NE(error_of("").find("no [[run]] table"), std::string::npos);
    // A bad scenario is named through the item that uses it.
    write("scenarios/bad.toml", "osm = \"x\"\nstandrad = \"y\"\n");
    const auto e = error_of("[[run]]\nname = \"a\"\nscenario = \"scenarios/bad.toml\"\nout = \"x\"\n");
    EXPECT_NE(e.find("batch.toml:1: run 'a': scenario: "), std::string::npos) << e;
    EXPECT_NE(e.find("bad.toml:2: unknown key 'standrad'"), std::string::npos) << e;
}

TEST_F(BatchFileTest, MissingFileIsAnIoError) {
    EXPECT_THROW((void)load_batch(m_dir / "none.toml"), io_error);
}

} // namespace
} // namespace yike::engine
