// Every config reader of io (profiles, standards, category and POI mappings, scenario and batch
// files) reads through one TOML layer: a syntax error, a value of the wrong type and an unknown
// key each give one line naming the file, the line and the key, the same way in every reader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>

#include "yike/error.hpp"
#include "yike/io/batch.hpp"
#include "yike/io/categories.hpp"
#include "yike/io/poi_mapping.hpp"
#include "yike/io/profile.hpp"
#include "yike/io/scenario.hpp"
#include "yike/io/standards.hpp"

namespace fs = std::filesystem;
namespace io = yike::io;

namespace {

class ConfigFiles : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() / ("yike_test_config_" + std::to_string(::getpid()) + "_" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path write(const std::string& text) const {
        const fs::path p = m_dir / "config.toml";
        std::ofstream(p) << text;
        return p;
    }

    // The message `read` throws (config_error) for `text`, with the file's name replaced by FILE.
    std::string message(const std::string& text, const std::function<void(const fs::path&)>& read) const {
        const fs::path p = write(text);
        try {
            read(p);
        } catch (const yike::config_error& e) {
            std::string what = e.what();
            const auto at = what.find(p.string());
            EXPECT_EQ(at, 0u) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
            return at == std::string::npos ? what : "FILE" + what.substr(p.string().size());
        }
        ADD_FAILURE() << "accepted:\n" << text;
        return {};
    }

    fs::path m_dir;
};

const io::CategoryMapping& shipped_categories() {
    static const io::CategoryMapping mapping = io::load_category_mapping();
    return mapping;
}

void read_profile(const fs::path& p) { (void)io::load_profile(p.string()); }
void read_standard(const fs::path& p) { (void)io::load_standard(p.string(), shipped_categories()); }
void read_categories(const fs::path& p) { (void)io::load_category_mapping(p); }
void read_poi(const fs::path& p) { (void)io::load_poi_mapping("amap", shipped_categories(), p); }
void read_scenario(const fs::path& p) { (void)io::load_scenario(p); }
void read_batch(const fs::path& p) { (void)io::load_batch(p); }

} // namespace

TEST_F(ConfigFiles, SyntaxErrorsNameFileAndLine) {
    const std::string text = "# a comment\nkey = \n";
    EXPECT_EQ(message(text, read_profile).rfind("FILE:2: malformed TOML: ", 0), 0u);
    for (const auto& read : {read_standard, read_categories, read_poi, read_scenario, read_batch}) {
        const auto m = message(text, read);
        EXPECT_EQ(m.rfind("FILE:2: ", 0), 0u) << m;
    }
}

TEST_F(ConfigFiles, WrongTypesNameLineAndKey) {
    EXPECT_EQ(message("name = \"x\"\nspeed_m_per_s = \"fast\"\n", read_profile),
              "FILE:2: profile key 'speed_m_per_s' must be a number");
    EXPECT_EQ(message("schema_version = 1\nid = 3\n", read_standard), "FILE:2: 'id' must be a non-empty string");
    EXPECT_EQ(message("schema_version = 1\n[[category]]\nid = \"a\"\nproxy = 1\n", read_categories),
              "FILE:4: 'proxy' must be true or false");
    EXPECT_EQ(message("osm = \"x.pbf\"\nstandard = 5\n", read_scenario), "FILE:2: standard must be a non-empty string");
    EXPECT_EQ(message("[[run]]\nname = \"a\"\nout = \"o\"\nosm = \"x.pbf\"\nosm_facilities = \"no\"\n", read_batch),
              "FILE:5: run 'a': osm_facilities must be true or false");
}

TEST_F(ConfigFiles, UnknownKeysNameLineAndKey) {
    EXPECT_EQ(message("name = \"x\"\n\nspeed = 1\n", read_profile).rfind("FILE:3: profile key 'speed' unknown key", 0), 0u);
    EXPECT_EQ(message("schema_version = 1\nowner = \"x\"\n", read_standard),
              "FILE:2: unknown key 'owner' (expected schema_version, id, name_zh, name_en, source, note or [[target]])");
    EXPECT_EQ(message("schema_version = 1\ncolour = 1\n", read_categories),
              "FILE:2: unknown key 'colour' (expected schema_version or [[category]])");
    EXPECT_EQ(message("schema_version = 1\nprovider = \"amap\"\n[[rule]]\ncategory = \"pharmacy\"\nclas = []\n", read_poi),
              "FILE:5: unknown key 'clas' in [[rule]]");
    EXPECT_EQ(message("osm = \"x.pbf\"\n[demand]\nsource = \"estimate\"\npersons = 3\n", read_scenario),
              "FILE:4: unknown key 'demand.persons'");
    EXPECT_EQ(message("jobs = 2\n", read_batch), "FILE:1: unknown key 'jobs' (a batch file holds [[run]] tables)");
}

TEST_F(ConfigFiles, MissingFiles) {
    const auto missing = m_dir / "missing.toml";
    EXPECT_THROW(io::load_scenario(missing), yike::io_error);
    EXPECT_THROW(io::load_batch(missing), yike::io_error);
    EXPECT_THROW(io::load_category_mapping(missing), yike::io_error);
    EXPECT_THROW((void)io::load_standard(missing.string(), shipped_categories()), yike::io_error);
    // A profile named by a path that does not exist is a bad option, as it always was.
    EXPECT_THROW(io::load_profile(missing.string()), yike::config_error);
}
