#include "yike/engine/standards.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/error.hpp"
#include "yike/io/profile.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace {

using namespace yike::engine;

const CategoryMapping& categories() {
    static const CategoryMapping mapping = load_category_mapping();
    return mapping;
}

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    // One folder for the whole test program, removed when it exits.
    static const yike::test::TempDir temp;
    return temp.file(name, text);
}

void expect_error_at(const std::filesystem::path& file, int line, const std::string& fragment) {
    try {
        load_standard(file.string(), categories());
        FAIL() << "no error for " << file;
    } catch (const yike::config_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(file.string() + ":" + std::to_string(line) + ":"), std::string::npos) << what;
        EXPECT_NE(what.find(fragment), std::string::npos) << what;
    }
}

// Lines 1-6; the target table starts on line 7 and its keys follow one per line.
const std::string k_header = "schema_version = 1\n"
                             "id = \"test\"\n"
                             "name_zh = \"测试\"\n"
                             "name_en = \"Test\"\n"
                             "source = \"unit test\"\n"
                             "\n";

// A valid coverage target, one key per line from line 7; `replace` swaps one line for another text.
std::string coverage_target(const std::string& replace_key = {}, const std::string& with = {}) {
    const std::vector<std::pair<std::string, std::string>> lines = {
        {"[[target]]", "[[target]]"},                                   // 7
        {"id", "id = \"t.kindergarten\""},                              // 8
        {"name_zh", "name_zh = \"幼儿园\""},                            // 9
        {"name_en", "name_en = \"Kindergarten within 300 m\""},         // 10
        {"kind", "kind = \"coverage\""},                                // 11
        {"category", "category = \"kindergarten\""},                    // 12
        {"serves", "serves = \"children\""},                            // 13
        {"threshold_m", "threshold_m = 300"},                           // 14
        {"basis", "basis = \"children\""},                              // 15
        {"required_share", "required_share = 1.0"},                    // 16
        {"source", "source = \"GB 50180-2018 Appendix C\""},            // 17
        {"confidence", "confidence = \"W\""},                           // 18
    };
    std::string out;
    for (const auto& [key, text] : lines) {
        out += (key == replace_key ? with : text) + "\n";
    }
    return out;
}

TEST(StandardsShipped, EveryShippedStandardLoadsAndNamesOnlyMappedCategories) {
    const auto infos = list_standards();
    std::vector<std::string> ids;
    for (const auto& info : infos) {
        ids.push_back(info.id);
        const auto s = load_standard(info.id, categories());
        EXPECT_EQ(s.id, info.id);
        EXPECT_EQ(s.targets.size(), info.target_count);
        EXPECT_EQ(s.unconfirmed_count(), info.unconfirmed_count);
        EXPECT_FALSE(s.source.empty());
        for (const auto& t : s.targets) {
            EXPECT_FALSE(t.source.empty()) << t.id;
            for (const auto& c : t.categories) {
                EXPECT_TRUE(categories().contains(c)) << info.id << ": " << t.id << " names " << c;
            }
            if (t.kind == TargetKind::coverage) {
                EXPECT_NE(t.threshold_m.has_value(), t.threshold_minutes.has_value()) << t.id;
            }
            if (t.confidence == Confidence::recalled) {
                EXPECT_FALSE(t.confirmed) << t.id;
            }
        }
        // the same file loads by path too
        EXPECT_EQ(load_standard(info.file.string(), categories()).targets.size(), s.targets.size());
    }
    for (const char* id : {"beijing-15min", "chizhou-2014", "dongcheng-2020", "gb50180-2018", "mofcom-15min", "xiangshan-2021"}) {
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
    }
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

// data/standards/README.md audits every shipped target against its source: one row each, with
// the tag and the confirmation the loader gives it.
TEST(StandardsShipped, ReadmeTableListsEveryTargetWithItsTag) {
    std::ifstream in(yike::io::data_dir() / "standards" / "README.md");
    ASSERT_TRUE(in) << "data/standards/README.md";
    std::map<std::string, std::string> rows; // target id -> its table row
    for (std::string line; std::getline(in, line);) {
        const auto open = line.find("| `");
        if (line.rfind("| ", 0) != 0 || open == std::string::npos) continue;
        const auto close = line.find("` |", open);
        if (close == std::string::npos) continue;
        rows[line.substr(open + 3, close - open - 3)] = line;
    }
    std::size_t targets = 0;
    for (const auto& info : list_standards()) {
        const auto s = load_standard(info.id, categories());
        for (const auto& t : s.targets) {
            ++targets;
            const auto it = rows.find(t.id);
            ASSERT_NE(it, rows.end()) << t.id << " is missing from data/standards/README.md";
            EXPECT_EQ(it->second.rfind("| " + s.id + " | ", 0), 0u) << it->second;
            const std::string tag = "| " + std::string(confidence_tag(t.confidence)) + (t.confirmed ? "" : " unconfirmed") + " |";
            EXPECT_TRUE(it->second.ends_with(tag)) << t.id << ": expected " << tag << " in " << it->second;
        }
    }
    std::size_t listed = 0;
    for (const auto& [id, row] : rows) listed += id.find('.') != std::string::npos ? 1 : 0;
    EXPECT_EQ(listed, targets) << "the table lists a target no standard has";
}

TEST(StandardsShipped, DongchengTargetsFollowThePlan) {
    const auto s = load_standard("dongcheng-2020", categories());
    const auto* dining = s.find("dc.senior_dining");
    ASSERT_NE(dining, nullptr);
    EXPECT_EQ(dining->kind, TargetKind::presence);
    EXPECT_EQ(dining->categories, std::vector<std::string>{"senior_dining"});
    EXPECT_EQ(dining->serves, Serves::seniors);
    EXPECT_EQ(dining->required_share, 1.0);
    EXPECT_EQ(dining->confidence, Confidence::stated);
    EXPECT_FALSE(dining->confirmed); // per community or per sub-district is not stated
    EXPECT_FALSE(dining->note.empty());

    const auto* culture = s.find("dc.culture_10min");
    ASSERT_NE(culture, nullptr);
    EXPECT_EQ(culture->threshold_minutes, 10.0);
    EXPECT_FALSE(culture->threshold_m);
    EXPECT_EQ(culture->require, Require::any);
    EXPECT_TRUE(culture->confirmed);

    const auto* eight = s.find("dc.eight_convenience_functions");
    ASSERT_NE(eight, nullptr);
    EXPECT_EQ(eight->categories.size(), 8u);
    EXPECT_EQ(eight->require, Require::each);
    EXPECT_EQ(eight->unit, AreaUnit::community);

    const auto* rooms = s.find("dc.community_rooms");
    ASSERT_NE(rooms, nullptr);
    EXPECT_EQ(rooms->kind, TargetKind::ratio);
    EXPECT_EQ(rooms->ratio, RatioKind::floor_area_per_community);
    EXPECT_EQ(rooms->min_floor_area_m2, 350.0);
    const auto* care = s.find("dc.elderly_care");
    ASSERT_NE(care, nullptr);
    // the sub-district's care center only: a community 养老驿站 (elderly_day_care) does not stand in
    EXPECT_EQ(care->categories, std::vector<std::string>{"elderly_care_center"});
    EXPECT_EQ(care->unit, AreaUnit::subdistrict);

    const auto* circle = s.find("dc.service_circle");
    ASSERT_NE(circle, nullptr);
    EXPECT_EQ(circle->kind, TargetKind::coverage);
    EXPECT_EQ(circle->threshold_minutes, 15.0);
    EXPECT_EQ(circle->basis, Basis::communities);
    EXPECT_EQ(circle->community_share_covered, 1.0);
    EXPECT_EQ(circle->required_share, 1.0);
    EXPECT_EQ(circle->categories.size(), 11u); // station, health station, volunteers and the eight functions
    EXPECT_FALSE(circle->confirmed);

    const auto* hub = s.find("dc.backbone_subdistrict");
    ASSERT_NE(hub, nullptr);
    EXPECT_EQ(hub->kind, TargetKind::presence);
    EXPECT_EQ(hub->unit, AreaUnit::subdistrict);
    EXPECT_EQ(hub->categories, (std::vector<std::string>{"community_service_center", "social_security_office",
                                                         "judicial_office", "service_hall"}));
    const auto* stations = s.find("dc.backbone_community");
    ASSERT_NE(stations, nullptr);
    EXPECT_EQ(stations->unit, AreaUnit::community);
    EXPECT_TRUE(stations->report_only);
    EXPECT_EQ(stations->categories, (std::vector<std::string>{"community_service_station", "community_health_station",
                                                              "police", "culture_room"}));
}

TEST(StandardsShipped, ChizhouTargetsFollowTheReport) {
    const auto s = load_standard("chizhou-2014", categories());
    const auto* circle = s.find("cz.life_circle_15min");
    ASSERT_NE(circle, nullptr);
    EXPECT_EQ(circle->threshold_minutes, 15.0);
    EXPECT_EQ(circle->require, Require::each);
    EXPECT_EQ(circle->categories, (std::vector<std::string>{"housekeeping", "supermarket", "restaurant"}));
    const auto* health = s.find("cz.health_station");
    ASSERT_NE(health, nullptr);
    EXPECT_EQ(health->kind, TargetKind::presence);
    EXPECT_EQ(health->unit, AreaUnit::community);
    for (const auto& t : s.targets) {
        EXPECT_EQ(t.source.rfind("003_1a6579792d9237d1.txt", 0), 0u) << t.id;
        EXPECT_EQ(t.confidence, Confidence::stated) << t.id;
    }
}

TEST(StandardsShipped, XiangshanRatios) {
    const auto s = load_standard("xiangshan-2021", categories());
    const auto* rooms = s.find("xs.rooms_per_100_households");
    ASSERT_NE(rooms, nullptr);
    EXPECT_EQ(rooms->ratio, RatioKind::floor_area_per_100_households);
    EXPECT_EQ(rooms->min_floor_area_m2, 60.0);
    const auto* staff = s.find("xs.staff_per_households");
    ASSERT_NE(staff, nullptr);
    EXPECT_EQ(staff->ratio, RatioKind::staff_per_households);
    EXPECT_EQ(staff->households_per_staff, 350u);
    EXPECT_EQ(staff->min_staff, 6u);
    EXPECT_EQ(staff->min_staff_below_households, 1500u);
    EXPECT_TRUE(staff->categories.empty());
    EXPECT_TRUE(staff->confirmed);
    for (const char* id : {"xs.culture_education_15min", "xs.health_15min", "xs.elderly_care_15min", "xs.sports_15min"}) {
        const auto* t = s.find(id);
        ASSERT_NE(t, nullptr) << id;
        EXPECT_EQ(t->threshold_minutes, 15.0) << id;
        EXPECT_EQ(t->require, Require::any) << id;
        EXPECT_FALSE(t->confirmed) << id; // share and facility sets are our reading
    }
    EXPECT_EQ(s.find("xs.elderly_care_15min")->serves, Serves::seniors);
    const auto* social = s.find("xs.social_work_station");
    ASSERT_NE(social, nullptr);
    EXPECT_EQ(social->unit, AreaUnit::subdistrict);
    EXPECT_EQ(social->categories, std::vector<std::string>{"social_work_station"});
    EXPECT_TRUE(social->confirmed);
}

TEST(StandardsShipped, GbRadiiAndConfidence) {
    const auto s = load_standard("gb50180-2018", categories());
    const auto* kg = s.find("gb50180.5min.kindergarten");
    ASSERT_NE(kg, nullptr);
    EXPECT_EQ(kg->threshold_m, 300.0);
    EXPECT_EQ(kg->confidence, Confidence::web);
    EXPECT_FALSE(kg->confirmed); // seen for GB 50180-93 only
    const auto* care = s.find("gb50180.5min.elderly_day_care");
    ASSERT_NE(care, nullptr);
    EXPECT_EQ(care->confidence, Confidence::recalled);
    EXPECT_FALSE(care->confirmed);
    EXPECT_EQ(s.find("gb50180.15min.middle_school")->threshold_m, 1000.0);
    EXPECT_EQ(s.find("gb50180.10min.primary_school")->threshold_m, 500.0);
    // 菜市场或生鲜超市: a market, not any greengrocer
    EXPECT_EQ(s.find("gb50180.10min.vegetable_market")->categories, std::vector<std::string>{"wet_market"});
    const auto* canteen = s.find("gb50180.5min.community_canteen");
    ASSERT_NE(canteen, nullptr);
    EXPECT_TRUE(canteen->report_only); // listed in the tier without a radius
    EXPECT_EQ(canteen->confidence, Confidence::recalled);
    EXPECT_EQ(s.unconfirmed_count(), s.targets.size()); // no radius checked against the 2018 text
}

TEST(StandardsShipped, MofcomQualityTypesAreReportOnly) {
    const auto s = load_standard("mofcom-15min", categories());
    const auto* quality = s.find("mofcom.quality_15min");
    ASSERT_NE(quality, nullptr);
    EXPECT_TRUE(quality->report_only);
    EXPECT_FALSE(quality->required_share);
    EXPECT_EQ(s.find("mofcom.convenience_5min")->threshold_minutes, 5.0);
    EXPECT_EQ(s.find("mofcom.daily_8min")->threshold_minutes, 8.0);
    EXPECT_EQ(s.find("mofcom.service_area_per_100_households")->min_floor_area_m2, 30.0);
}

TEST(StandardsShipped, UnknownIdListsShippedStandards) {
    try {
        load_standard("dongcheng-2021", categories());
        FAIL();
    } catch (const yike::config_error& e) {
        EXPECT_NE(std::string(e.what()).find("dongcheng-2020"), std::string::npos) << e.what();
    }
    EXPECT_THROW(load_standard("/nonexistent/x.toml", categories()), yike::io_error);
}

TEST(StandardsDescribe, ShowsEveryTargetAndFlagsUnconfirmedOnes) {
    for (const auto& info : list_standards()) {
        const auto s = load_standard(info.id, categories());
        const auto text = describe_standard(s, categories());
        EXPECT_NE(text.find("# " + s.id), std::string::npos);
        for (const auto& t : s.targets) {
            EXPECT_NE(text.find("| " + t.id + " |"), std::string::npos) << t.id;
            EXPECT_NE(text.find(t.name_en), std::string::npos) << t.id;
        }
        const bool flagged = text.find("(unconfirmed)") != std::string::npos;
        EXPECT_EQ(flagged, s.unconfirmed_count() > 0) << s.id;
    }
    const auto dc = describe_standard(load_standard("dongcheng-2020", categories()), categories());
    EXPECT_NE(dc.find("within 10 min walk (walk profile)"), std::string::npos) << dc;
    EXPECT_NE(dc.find("| presence |"), std::string::npos);
    EXPECT_NE(dc.find(">= 350 m² floor area in each community"), std::string::npos) << dc;
    EXPECT_NE(dc.find("senior_dining (老年餐桌"), std::string::npos) << dc;
    const auto xs = describe_standard(load_standard("xiangshan-2021", categories()), categories());
    EXPECT_NE(xs.find("1 worker per 350 households, at least 6 below 1500 households"), std::string::npos) << xs;

    const auto list = describe_standard_list(list_standards());
    EXPECT_NE(list.find("| gb50180-2018 |"), std::string::npos) << list;
}

TEST(StandardsThreshold, MinutesUseTheServedGroupsProfile) {
    Target t;
    t.kind = TargetKind::coverage;
    t.threshold_minutes = 10;
    EXPECT_EQ(walking_profile_name(t), "walk");
    EXPECT_EQ(threshold_cm(t, 1000), 60'000u); // 10 min at 1 m/s = 600 m
    EXPECT_EQ(threshold_cm(t, 900), 54'000u);
    t.serves = Serves::seniors;
    EXPECT_EQ(walking_profile_name(t), "senior");
    t.threshold_minutes.reset();
    t.threshold_m = 300;
    EXPECT_EQ(threshold_cm(t, 900), 30'000u); // metres do not depend on speed
}

// What a coverage target is judged on: metres are walk-network lengths whatever the group served,
// minutes are times on the served group's network (or the profile key's).
TEST(StandardsThreshold, TargetMeasureFollowsTheUnitAndTheGroupServed) {
    Target t;
    t.kind = TargetKind::coverage;
    t.serves = Serves::seniors;
    t.threshold_m = 300;
    EXPECT_EQ(target_measure(t), (TargetMeasure{yike::routing::Metric::length_cm, Network::walk, 30'000}));
    EXPECT_EQ(walking_network(t), Network::senior); // a 15-minute walk of a unit target would be the senior one
    t.threshold_m.reset();
    t.threshold_minutes = 7.5;
    EXPECT_EQ(target_measure(t), (TargetMeasure{yike::routing::Metric::time_ms, Network::senior, 450'000}));
    t.profile = Network::walk;
    EXPECT_EQ(target_measure(t), (TargetMeasure{yike::routing::Metric::time_ms, Network::walk, 450'000}));
    t.serves = Serves::all;
    t.profile.reset();
    EXPECT_EQ(target_measure(t).network, Network::walk);
    EXPECT_EQ(threshold_budget(0.0004, yike::routing::Metric::time_ms), 24u); // rounded to the nearest ms
    EXPECT_EQ(threshold_budget(12.346, yike::routing::Metric::length_cm), 1'235u);
}

// profile = "walk" | "senior" names the network over the served group's choice.
TEST(StandardsThreshold, ProfileKeyNamesTheNetwork) {
    Target t;
    t.kind = TargetKind::coverage;
    t.threshold_minutes = 10;
    t.profile = Network::senior;
    EXPECT_EQ(walking_profile_name(t), "senior");
    t.serves = Serves::seniors;
    t.profile = Network::walk;
    EXPECT_EQ(walking_profile_name(t), "walk");

    const auto minutes = coverage_target("threshold_m", "threshold_minutes = 10");
    auto with = [&](const std::string& line) {
        return minutes.substr(0, minutes.find("basis")) + line + "\n" + minutes.substr(minutes.find("basis"));
    };
    const auto s = load_standard(write_temp("profile.toml", k_header + with("profile = \"senior\"")).string(), categories());
    ASSERT_EQ(s.targets.size(), 1u);
    EXPECT_EQ(s.targets[0].profile, Network::senior);
    EXPECT_EQ(walking_profile_name(s.targets[0]), "senior"); // serves children, judged on the senior slot
    expect_error_at(write_temp("profile_bad.toml", k_header + with("profile = \"wheelchair\"")), 15,
                    "'profile' must be \"walk\" or \"senior\"");
    const auto metres = coverage_target();
    expect_error_at(write_temp("profile_metres.toml",
                               k_header + metres.substr(0, metres.find("basis")) + "profile = \"walk\"\n" +
                                   metres.substr(metres.find("basis"))),
                    15, "'profile' applies only to threshold_minutes");
}

TEST(StandardsErrors, ValidTemplateLoads) {
    // guards the error tests below: each differs from this file by one line
    const auto s = load_standard(write_temp("valid.toml", k_header + coverage_target()).string(), categories());
    ASSERT_EQ(s.targets.size(), 1u);
    EXPECT_EQ(s.targets[0].line, 7);
    EXPECT_EQ(s.targets[0].threshold_m, 300.0);
    EXPECT_FALSE(s.targets[0].confirmed); // [W]: see StandardsConfirmation
}

// The one confirmation rule, tag by tag: only [S] is confirmed; W, R and D never are.
TEST(StandardsConfirmation, OnlyStatedNumbersAreConfirmed) {
    auto load = [](const std::string& name, const std::string& lines) {
        return load_standard(write_temp(name, k_header + coverage_target("confidence", lines)).string(), categories())
            .targets.at(0);
    };
    // S: confirmed by default; may opt out with a note saying why
    EXPECT_TRUE(load("tag_s.toml", "confidence = \"S\"").confirmed);
    EXPECT_TRUE(load("tag_s_true.toml", "confidence = \"S\"\nconfirmed = true").confirmed);
    const auto s_ours = load("tag_s_ours.toml", "confidence = \"S\"\nconfirmed = false\nnote = \"our reading\"");
    EXPECT_FALSE(s_ours.confirmed);
    expect_error_at(write_temp("tag_s_no_note.toml",
                               k_header + coverage_target("confidence", "confidence = \"S\"\nconfirmed = false")),
                    7, "add a note");
    // W, R, D: never confirmed, need no note (the tag says why), and cannot be declared confirmed
    for (const char* tag : {"W", "R", "D"}) {
        const std::string q = std::string("confidence = \"") + tag + "\"";
        const auto t = load(std::string("tag_") + tag + ".toml", q);
        EXPECT_FALSE(t.confirmed) << tag;
        EXPECT_TRUE(t.note.empty()) << tag;
        EXPECT_FALSE(load(std::string("tag_") + tag + "_false.toml", q + "\nconfirmed = false").confirmed) << tag;
        expect_error_at(write_temp(std::string("tag_") + tag + "_true.toml",
                                   k_header + coverage_target("confidence", q + "\nconfirmed = true")),
                        19, std::string("a [") + tag + "] number cannot be confirmed");
    }
}

TEST(StandardsConfirmation, ShippedFlagsFollowTheTags) {
    for (const auto& info : list_standards()) {
        const auto s = load_standard(info.id, categories());
        for (const auto& t : s.targets) {
            if (t.confidence != Confidence::stated) {
                EXPECT_FALSE(t.confirmed) << t.id;
            } else if (!t.confirmed) {
                EXPECT_FALSE(t.note.empty()) << t.id << ": an unconfirmed [S] target must say why";
            }
        }
    }
    // every MOFCOM number comes from a secondary source: the whole standard is unconfirmed
    const auto mofcom = load_standard("mofcom-15min", categories());
    EXPECT_EQ(mofcom.unconfirmed_count(), mofcom.targets.size());
}

TEST(StandardsErrors, UnknownCategoryNamesFileAndLine) {
    expect_error_at(write_temp("unknown_category.toml", k_header + coverage_target("category", "category = \"kindergarden\"")),
                    12, "unknown category 'kindergarden'");
    expect_error_at(write_temp("unknown_in_list.toml",
                               k_header + coverage_target("category", "categories = [\"kindergarten\", \"creche\"]")),
                    12, "unknown category 'creche'");
}

TEST(StandardsErrors, TypoedKeyNamesFileAndLine) {
    expect_error_at(write_temp("typo.toml", k_header + coverage_target("threshold_m", "treshold_m = 300")), 14,
                    "unknown key 'treshold_m'");
    expect_error_at(write_temp("typo_top.toml", "schema_version = 1\nname = \"x\"\n" + coverage_target()), 2,
                    "unknown key 'name'");
    // a key of another kind is named as such
    expect_error_at(write_temp("wrong_kind.toml", k_header + coverage_target("threshold_m", "threshold_m = 300\nmin_staff = 6")),
                    15, "does not apply to a coverage target");
}

TEST(StandardsErrors, BadNumbersNameFileAndLine) {
    expect_error_at(write_temp("negative.toml", k_header + coverage_target("threshold_m", "threshold_m = -300")), 14,
                    "must be > 0");
    expect_error_at(write_temp("zero_minutes.toml", k_header + coverage_target("threshold_m", "threshold_minutes = 0")), 14,
                    "must be > 0");
    expect_error_at(write_temp("share_high.toml", k_header + coverage_target("required_share", "required_share = 1.5")), 16,
                    "(0, 1]");
    expect_error_at(write_temp("share_zero.toml", k_header + coverage_target("required_share", "required_share = 0")), 16,
                    "(0, 1]");
    expect_error_at(write_temp("text_threshold.toml", k_header + coverage_target("threshold_m", "threshold_m = \"300\"")), 14,
                    "must be a number");
}

TEST(StandardsErrors, MissingOrInconsistentFieldsNameTheTarget) {
    expect_error_at(write_temp("no_source.toml", k_header + coverage_target("source", "")), 7, "needs 'source'");
    expect_error_at(write_temp("no_confidence.toml", k_header + coverage_target("confidence", "")), 7, "needs 'confidence'");
    expect_error_at(write_temp("bad_confidence.toml", k_header + coverage_target("confidence", "confidence = \"high\"")), 18,
                    "S, W, R, D");
    expect_error_at(write_temp("no_threshold.toml", k_header + coverage_target("threshold_m", "")), 7, "exactly one");
    expect_error_at(write_temp("two_thresholds.toml",
                               k_header + coverage_target("threshold_m", "threshold_m = 300\nthreshold_minutes = 5")),
                    7, "exactly one");
    expect_error_at(write_temp("no_share.toml", k_header + coverage_target("required_share", "")), 7, "required_share");
    expect_error_at(write_temp("communities.toml", k_header + coverage_target("basis", "basis = \"communities\"")), 7,
                    "community_share_covered");
    expect_error_at(write_temp("recalled_confirmed.toml",
                               k_header + coverage_target("confidence", "confidence = \"R\"\nconfirmed = true")),
                    19, "cannot be confirmed");
    expect_error_at(write_temp("unconfirmed_without_note.toml",
                               k_header + coverage_target("confidence", "confidence = \"S\"\nconfirmed = false")),
                    7, "add a note");
    const std::string target = coverage_target();
    expect_error_at(write_temp("duplicate_target.toml", k_header + target + target), 19, "duplicate target id");
}

TEST(StandardsErrors, RatioTargets) {
    const std::string staff = "[[target]]\n"                                // 7
                              "id = \"t.staff\"\n"                          // 8
                              "name_zh = \"社工\"\n"                        // 9
                              "name_en = \"Staff\"\n"                       // 10
                              "kind = \"ratio\"\n"                          // 11
                              "ratio = \"staff_per_households\"\n"          // 12
                              "households_per_staff = 350\n"                // 13
                              "min_staff = 6\n"                             // 14
                              "source = \"unit test\"\n"                    // 15
                              "confidence = \"S\"\n";                       // 16
    const auto ok = load_standard(write_temp("staff.toml", k_header + staff).string(), categories());
    EXPECT_EQ(ok.targets.at(0).households_per_staff, 350u);
    EXPECT_FALSE(ok.targets.at(0).min_staff_below_households);
    expect_error_at(write_temp("staff_float.toml", k_header + staff + "min_floor_area_m2 = 60\n"), 17,
                    "does not apply to ratio = \"staff_per_households\"");
    std::string zero = staff;
    zero.replace(zero.find("= 350"), 5, "= 0");
    expect_error_at(write_temp("staff_zero.toml", k_header + zero), 13, "positive integer");
    std::string area = staff;
    area.replace(area.find("ratio = \"staff_per_households\""), 30, "ratio = \"floor_area_per_100_households\"");
    expect_error_at(write_temp("area_no_category.toml", k_header + area), 13, "does not apply");
}

} // namespace

namespace {

using namespace yike::engine;

TEST(StandardsCombined, KeepsTargetsInTheOrderGivenAndNamesTheirStandard) {
    const auto dc = load_standard("dongcheng-2020", categories());
    const auto gb = load_standard("gb50180-2018", categories());
    ASSERT_EQ(dc.parts.size(), 1U);
    EXPECT_EQ(dc.parts.front().id, "dongcheng-2020");
    const auto both = load_standard("gb50180-2018, dongcheng-2020", categories());
    EXPECT_EQ(both.id, "gb50180-2018+dongcheng-2020");
    ASSERT_EQ(both.parts.size(), 2U);
    EXPECT_EQ(both.parts[0].id, "gb50180-2018");
    EXPECT_EQ(both.parts[1].id, "dongcheng-2020");
    ASSERT_EQ(both.targets.size(), gb.targets.size() + dc.targets.size());
    for (std::size_t i = 0; i < both.targets.size(); ++i) {
        const bool first = i < gb.targets.size();
        const auto& single = first ? gb.targets[i] : dc.targets[i - gb.targets.size()];
        EXPECT_EQ(both.targets[i].id, single.id);
        EXPECT_EQ(both.targets[i].standard, first ? "gb50180-2018" : "dongcheng-2020");
        EXPECT_EQ(both.targets[i].confirmed, single.confirmed);
    }
    EXPECT_EQ(both.unconfirmed_count(), gb.unconfirmed_count() + dc.unconfirmed_count());
}

TEST(StandardsCombined, RefusesATargetIdDefinedTwiceAndAStandardListedTwice) {
    const auto a = write_temp("a.toml", k_header + coverage_target());
    std::string other = k_header;
    other.replace(other.find("id = \"test\""), 11, "id = \"other\"");
    const auto b = write_temp("b.toml", other + coverage_target());
    try {
        load_standard(a.string() + "," + b.string(), categories());
        FAIL() << "no error for a target id defined twice";
    } catch (const yike::config_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(b.string() + ":7: target id 't.kindergarten' is also defined by standard test"),
                  std::string::npos)
            << what;
    }
    EXPECT_THROW(load_standard("mofcom-15min,mofcom-15min", categories()), yike::config_error);
    EXPECT_THROW(load_standard("mofcom-15min,,gb50180-2018", categories()), yike::config_error);
    EXPECT_THROW(load_standard("mofcom-15min,no-such-standard", categories()), yike::config_error);
}

} // namespace
