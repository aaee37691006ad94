#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/profile.hpp"

namespace fs = std::filesystem;
using yike::io::load_profile;
using yike::io::WalkProfile;
using yike::io::with_speed;

namespace {

class ProfileFiles : public ::testing::Test {
protected:

    fs::path write(const std::string& file_name, const std::string& text) const {
        const fs::path p = m_dir / file_name;
        std::ofstream(p) << text;
        return p;
    }

    // A valid profile; `extra` is appended before the highway table, `factors` inside it.
    static std::string profile_text(const std::string& top, const std::string& factors = "footway = 1.0\n") {
        return "name = \"test\"\nspeed_m_per_s = 1.2\nforbidden_access = [\"no\", \"private\"]\n"
               "allowed_foot = [\"yes\", \"designated\"]\n" +
               top + "\n[highway_speed_factor]\n" + factors;
    }

    // Loading must fail with config_error whose message names the file and contains `needle`.
    void expect_rejected(const std::string& text, const std::string& needle) const {
        const fs::path p = write("bad.toml", text);
        try {
            (void)load_profile(p.string());
            FAIL() << "accepted a profile that should fail with '" << needle << "'";
        } catch (const yike::config_error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(p.string()), std::string::npos) << what;
            EXPECT_NE(what.find(needle), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        }
    }

    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
};

} // namespace

TEST(Profile, EveryShippedProfileLoads) {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(YIKE_DATA_DIR) / "profiles")) {
        if (entry.path().extension() != ".toml") {
            continue;
        }
        const WalkProfile p = load_profile(entry.path().stem().string());
        EXPECT_EQ(p.name, entry.path().stem().string());
        EXPECT_GT(p.speed_mm_per_s, 0U);
        EXPECT_FALSE(p.highway_speed_factor.empty());
        EXPECT_FALSE(p.highway_speed_factor.contains("motorway"));
        EXPECT_TRUE(p.highway_speed_factor.contains("footway"));
        ++count;
    }
    EXPECT_GE(count, 2);
}

TEST(Profile, WalkIsOneMetrePerSecondWithSlowSteps) {
    const WalkProfile walk = load_profile("walk");
    EXPECT_EQ(walk.name, "walk");
    EXPECT_EQ(walk.speed_mm_per_s, 1000U);
    EXPECT_DOUBLE_EQ(walk.highway_speed_factor.at("steps"), 0.5);
    EXPECT_DOUBLE_EQ(walk.highway_speed_factor.at("footway"), 1.0);
    EXPECT_TRUE(walk.highway_needs_sidewalk_or_foot.contains("trunk"));
    EXPECT_TRUE(walk.forbidden_access.contains("private"));
    EXPECT_TRUE(walk.allowed_foot.contains("yes"));
    EXPECT_TRUE(walk.passable_barriers.contains("gate"));
    EXPECT_FALSE(walk.passable_barriers.contains("wall"));
    EXPECT_TRUE(walk.pedestrian_areas);
    EXPECT_EQ(walk.source, fs::path(YIKE_DATA_DIR) / "profiles" / "walk.toml");
}

TEST(Profile, SeniorIsSlowerThanWalk) {
    const WalkProfile walk = load_profile("walk");
    const WalkProfile senior = load_profile("senior");
    EXPECT_EQ(senior.speed_mm_per_s, 900U);
    EXPECT_LT(senior.speed_mm_per_s, walk.speed_mm_per_s);
    EXPECT_LT(senior.highway_speed_factor.at("steps") * senior.speed_mm_per_s,
              walk.highway_speed_factor.at("steps") * walk.speed_mm_per_s);
}

TEST(Profile, WithSpeedReplacesTheBaseSpeed) {
    const WalkProfile p = with_speed(load_profile("walk"), 1.4);
    EXPECT_EQ(p.speed_mm_per_s, 1400U);
    EXPECT_EQ(p.name, "walk");
    EXPECT_EQ(with_speed(p, 10.0).speed_mm_per_s, 10000U);
    for (const double bad : {0.0, -1.0, 10.5, std::nan("")}) {
        try {
            (void)with_speed(p, bad);
            FAIL() << "accepted speed " << bad;
        } catch (const yike::config_error& e) {
            EXPECT_NE(std::string(e.what()).find("walk.toml"), std::string::npos) << e.what();
        }
    }
}

TEST(Profile, UnknownNameListsTheShippedProfiles) {
    try {
        (void)load_profile("jogger");
        FAIL() << "unknown profile accepted";
    } catch (const yike::config_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("jogger"), std::string::npos) << what;
        EXPECT_NE(what.find("walk"), std::string::npos) << what;
        EXPECT_NE(what.find("senior"), std::string::npos) << what;
    }
}

TEST_F(ProfileFiles, LoadsAFileByPathAndTheDataDirFromTheEnvironment) {
    const fs::path p = write("brisk.toml", profile_text("", "footway = 1.0\nsteps = 0.25\n"));
    const WalkProfile brisk = load_profile(p.string());
    EXPECT_EQ(brisk.name, "test");
    EXPECT_EQ(brisk.speed_mm_per_s, 1200U);
    EXPECT_DOUBLE_EQ(brisk.highway_speed_factor.at("steps"), 0.25);
    EXPECT_TRUE(brisk.passable_barriers.empty());
    EXPECT_TRUE(brisk.pedestrian_areas);
    EXPECT_EQ(brisk.source, p);

    fs::create_directories(m_dir / "data" / "profiles");
    fs::copy_file(p, m_dir / "data" / "profiles" / "brisk.toml");
    const char* old = std::getenv("YIKE_DATA_DIR");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("YIKE_DATA_DIR", (m_dir / "data").c_str(), 1);
    EXPECT_EQ(yike::io::data_dir(), m_dir / "data");
    const WalkProfile by_name = load_profile("brisk");
    EXPECT_THROW((void)load_profile("walk"), yike::config_error);
    if (old != nullptr) {
        ::setenv("YIKE_DATA_DIR", saved.c_str(), 1);
    } else {
        ::unsetenv("YIKE_DATA_DIR");
    }
    EXPECT_EQ(by_name.speed_mm_per_s, 1200U);
    EXPECT_EQ(load_profile("walk").speed_mm_per_s, 1000U);
}

TEST_F(ProfileFiles, MissingFileIsNamed) {
    const fs::path p = m_dir / "nowhere.toml";
    try {
        (void)load_profile(p.string());
        FAIL();
    } catch (const yike::config_error& e) {
        EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    }
}

TEST_F(ProfileFiles, MalformedTomlIsRejected) {
    expect_rejected("name = \"x\"\nspeed_m_per_s = = 1\n", "malformed TOML");
    expect_rejected("[highway_speed_factor\nfootway = 1\n", "malformed TOML");
}

TEST_F(ProfileFiles, BadValuesAreRejectedNamingTheKey) {
    expect_rejected(profile_text("") + "steps = 0\n", "highway_speed_factor.steps");
    expect_rejected(profile_text("") + "steps = \"slow\"\n", "highway_speed_factor.steps");
    expect_rejected(profile_text("") + "motorway = 1.0\n", "highway_speed_factor.motorway");
    expect_rejected(profile_text("") + "construction = 1.0\n", "highway_speed_factor.construction");
    expect_rejected(profile_text("needs_sidewalk_or_foot = [\"trunk\"]"), "needs_sidewalk_or_foot");
    expect_rejected(profile_text("passable_barriers = \"gate\""), "passable_barriers");
    expect_rejected(profile_text("passable_barriers = [1, 2]"), "passable_barriers");
    expect_rejected(profile_text("pedestrian_areas = \"yes\""), "pedestrian_areas");
    expect_rejected(profile_text("spead_m_per_s = 1.0"), "spead_m_per_s");
    expect_rejected(profile_text("allowed_foot_extra = 1"), "allowed_foot_extra");
    expect_rejected("name = \"x\"\nspeed_m_per_s = -1.0\nforbidden_access = []\nallowed_foot = []\n"
                    "[highway_speed_factor]\nfootway = 1.0\n",
                    "speed_m_per_s");
    expect_rejected("name = \"x\"\nspeed_m_per_s = \"fast\"\nforbidden_access = []\nallowed_foot = []\n"
                    "[highway_speed_factor]\nfootway = 1.0\n",
                    "speed_m_per_s");
    expect_rejected("name = \"x\"\nspeed_m_per_s = 1.0\nforbidden_access = [\"no\"]\nallowed_foot = [\"no\"]\n"
                    "[highway_speed_factor]\nfootway = 1.0\n",
                    "allowed_foot");
    expect_rejected("speed_m_per_s = 1.0\nforbidden_access = []\nallowed_foot = []\n"
                    "[highway_speed_factor]\nfootway = 1.0\n",
                    "'name'");
    expect_rejected("name = \"x\"\nspeed_m_per_s = 1.0\nforbidden_access = []\nallowed_foot = []\n",
                    "highway_speed_factor");
    expect_rejected("name = \"x\"\nspeed_m_per_s = 1.0\nallowed_foot = []\n[highway_speed_factor]\nfootway = 1.0\n",
                    "forbidden_access");
    expect_rejected("name = \"x\"\nspeed_m_per_s = 1.0\nforbidden_access = []\nallowed_foot = []\n"
                    "[highway_speed_factor]\n",
                    "highway_speed_factor");
}
