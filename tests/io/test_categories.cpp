#include "yike/io/categories.hpp"
#include "yike/error.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <string>

namespace {

using yike::io::CategoryMapping;
using yike::io::Tags;
using yike::io::TagCondition;

const CategoryMapping& shipped() {
    static const CategoryMapping mapping = yike::io::load_category_mapping();
    return mapping;
}

bool has(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A file in a fresh per-process temp folder; the name carries the test's name so errors can be
// checked for it.
std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    // One folder for the whole test program, removed when it exits.
    static const yike::test::TempDir temp;
    return temp.file(name, text);
}

// Expects config_error whose message names the file and the line.
void expect_error_at(const std::filesystem::path& file, int line, const std::string& fragment) {
    try {
        yike::io::load_category_mapping(file);
        FAIL() << "no error for " << file;
    } catch (const yike::config_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(file.string() + ":" + std::to_string(line) + ":"), std::string::npos) << what;
        EXPECT_NE(what.find(fragment), std::string::npos) << what;
    }
}

const std::string k_header = "schema_version = 1\n"; // line 1

TEST(CategoryMapping, ShippedMappingLoadsWithTheCategoriesStandardsNeed) {
    const auto& m = shipped();
    EXPECT_GE(m.categories().size(), 40u);
    for (const char* id :
         {"senior_dining", "elderly_day_care", "community_health_station", "community_health_center", "culture_room",
          "culture_center", "vegetable_market", "supermarket", "convenience_store", "pharmacy", "kindergarten",
          "primary_school", "middle_school", "sports_ground", "fitness_outdoor", "community_service_station",
          "post_parcel", "laundry", "hairdresser", "repair", "breakfast", "bank", "bus_stop", "public_toilet",
          "recycling", "park", "library"}) {
        const auto* c = m.find(id);
        ASSERT_NE(c, nullptr) << id;
        EXPECT_FALSE(c->name_zh.empty()) << id;
        EXPECT_FALSE(c->name_en.empty()) << id;
        EXPECT_GT(c->line, 1) << id;
    }
    EXPECT_EQ(m.find("no_such_category"), nullptr);
    EXPECT_TRUE(m.find("senior_dining")->proxy);
}

TEST(CategoryMatching, PlainTags) {
    const auto& m = shipped();
    EXPECT_TRUE(has(m.match({{"amenity", "pharmacy"}}), "pharmacy"));
    EXPECT_TRUE(has(m.match({{"shop", "greengrocer"}}), "vegetable_market"));
    EXPECT_TRUE(has(m.match({{"amenity", "marketplace"}}), "vegetable_market"));
    EXPECT_TRUE(has(m.match({{"shop", "convenience"}}), "convenience_store"));
    EXPECT_TRUE(has(m.match({{"highway", "bus_stop"}}), "bus_stop"));
    EXPECT_TRUE(has(m.match({{"public_transport", "platform"}, {"bus", "yes"}}), "bus_stop"));
    EXPECT_FALSE(has(m.match({{"public_transport", "platform"}}), "bus_stop"));
    EXPECT_TRUE(m.match({}).empty());
    EXPECT_TRUE(m.match({{"highway", "residential"}, {"name", "东四北大街"}}).empty());
    // shop=chemist is a drugstore, not a pharmacy
    EXPECT_FALSE(has(m.match({{"shop", "chemist"}}), "pharmacy"));
}

TEST(CategoryMatching, AllOfConditionsAndNegations) {
    const auto& m = shipped();
    const Tags dining{{"amenity", "social_facility"}, {"social_facility", "soup_kitchen"}, {"social_facility:for", "senior"}};
    EXPECT_TRUE(has(m.match(dining), "senior_dining"));
    const Tags homeless{{"amenity", "social_facility"}, {"social_facility", "soup_kitchen"}, {"social_facility:for", "homeless"}};
    EXPECT_FALSE(has(m.match(homeless), "senior_dining"));
    // day care without social_facility:for counts (the "!key" branch), day care for children does not
    EXPECT_TRUE(has(m.match({{"amenity", "social_facility"}, {"social_facility", "day_care"}}), "elderly_day_care"));
    EXPECT_FALSE(has(m.match({{"amenity", "social_facility"}, {"social_facility", "day_care"}, {"social_facility:for", "child"}}),
                     "elderly_day_care"));
    // recycling containers are bins, not recycling points
    EXPECT_TRUE(has(m.match({{"amenity", "recycling"}, {"recycling_type", "centre"}}), "recycling"));
    EXPECT_TRUE(has(m.match({{"amenity", "recycling"}}), "recycling"));
    const auto bins = m.match({{"amenity", "recycling"}, {"recycling_type", "container"}});
    EXPECT_FALSE(has(bins, "recycling"));
    EXPECT_TRUE(has(bins, "waste_collection_point"));
    // private pitches do not count as sports grounds
    EXPECT_TRUE(has(m.match({{"leisure", "pitch"}}), "sports_ground"));
    EXPECT_FALSE(has(m.match({{"leisure", "pitch"}, {"access", "private"}}), "sports_ground"));
}

TEST(CategoryMatching, NamePatterns) {
    const auto& m = shipped();
    const Tags clinic{{"amenity", "clinic"}, {"name", "东四街道社区卫生服务站"}};
    const auto station = m.match(clinic);
    EXPECT_TRUE(has(station, "community_health_station"));
    EXPECT_TRUE(has(station, "clinic"));
    EXPECT_FALSE(has(station, "community_health_center"));
    // the name can come from the caller or from name:zh
    EXPECT_TRUE(has(m.match({{"amenity", "clinic"}}, "东四街道社区卫生服务站"), "community_health_station"));
    EXPECT_TRUE(has(m.match({{"amenity", "clinic"}, {"name:zh", "交道口社区卫生服务中心"}}), "community_health_center"));

    EXPECT_TRUE(has(m.match({{"amenity", "restaurant"}, {"name", "北新桥老年餐桌"}}), "senior_dining"));
    EXPECT_TRUE(has(m.match({{"amenity", "social_facility"}, {"name", "朝阳门养老驿站"}}), "elderly_day_care"));
    EXPECT_FALSE(has(m.match({{"amenity", "social_facility"}, {"name", "朝阳门养老驿站"}}), "post_parcel"));
    EXPECT_TRUE(has(m.match({{"shop", "yes"}, {"name", "菜鸟驿站"}}), "post_parcel"));
    EXPECT_TRUE(has(m.match({{"building", "retail"}, {"name", "东四菜市场"}}), "vegetable_market"));
    EXPECT_TRUE(has(m.match({{"shop", "supermarket"}, {"name", "每日生鲜"}}), "vegetable_market"));
}

TEST(CategoryMatching, NameScopeAndExclusions) {
    const auto& m = shipped();
    // a bus stop named after a market is not a market: name patterns need a scope tag
    const auto stop = m.match({{"highway", "bus_stop"}, {"name", "东四菜市场"}});
    EXPECT_TRUE(has(stop, "bus_stop"));
    EXPECT_FALSE(has(stop, "vegetable_market"));
    // 菜市口 is a place in Beijing
    EXPECT_FALSE(has(m.match({{"amenity", "bank"}, {"name", "中国银行菜市口支行"}}), "vegetable_market"));
    // senior high schools are not junior middle schools by name, but school=secondary still counts
    EXPECT_TRUE(has(m.match({{"amenity", "school"}, {"name", "北京市第五中学"}}), "middle_school"));
    EXPECT_FALSE(has(m.match({{"amenity", "school"}, {"name", "北京市第五中学高中部"}}), "middle_school"));
    EXPECT_TRUE(has(m.match({{"amenity", "school"}, {"school", "secondary"}, {"name", "北京市第五中学高中部"}}),
                    "middle_school"));
    const auto nine_year = m.match({{"amenity", "school"}, {"name", "和平里九年一贯制学校"}});
    EXPECT_TRUE(has(nine_year, "primary_school"));
    EXPECT_TRUE(has(nine_year, "middle_school"));
}

TEST(CategoryTagCondition, Parsing) {
    using Op = TagCondition::Op;
    auto c = yike::io::parse_tag_condition("amenity=clinic|doctors");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->key, "amenity");
    EXPECT_EQ(c->op, Op::equals);
    EXPECT_EQ(c->values, (std::vector<std::string>{"clinic", "doctors"}));
    c = yike::io::parse_tag_condition("shop=*");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->op, Op::present);
    c = yike::io::parse_tag_condition("access!=private|no");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->op, Op::not_equals);
    EXPECT_EQ(c->key, "access");
    c = yike::io::parse_tag_condition("!social_facility:for");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->op, Op::absent);
    EXPECT_EQ(c->key, "social_facility:for");
    for (const char* bad : {"", "amenity", "=clinic", "amenity=", "amenity=a||b", "amenity=a|", "!", "a b=c", "a=*|b"}) {
        EXPECT_FALSE(yike::io::parse_tag_condition(bad)) << bad;
    }
}

TEST(CategoryTagCondition, Evaluation) {
    const Tags tags{{"amenity", "clinic"}, {"access", "yes"}};
    auto holds = [&](const char* text) { return yike::io::tag_condition_holds(*yike::io::parse_tag_condition(text), tags); };
    EXPECT_TRUE(holds("amenity=clinic"));
    EXPECT_TRUE(holds("amenity=doctors|clinic"));
    EXPECT_FALSE(holds("amenity=doctors"));
    EXPECT_TRUE(holds("amenity=*"));
    EXPECT_FALSE(holds("shop=*"));
    EXPECT_TRUE(holds("access!=private|no"));
    EXPECT_FALSE(holds("access!=yes"));
    EXPECT_TRUE(holds("foot!=no"));
    EXPECT_TRUE(holds("!shop"));
    EXPECT_FALSE(holds("!amenity"));
}

TEST(CategoryMappingErrors, UnknownKeyNamesFileAndLine) {
    const auto file = write_temp("typo_key.toml", k_header +
                                                      "[[category]]\n"             // 2
                                                      "id = \"pharmacy\"\n"        // 3
                                                      "name_zh = \"药店\"\n"       // 4
                                                      "name_en = \"Pharmacy\"\n"   // 5
                                                      "tag_any = [\"amenity=pharmacy\"]\n" // 6
                                                      "osm_quality = \"good\"\n");
    expect_error_at(file, 6, "tag_any");
}

TEST(CategoryMappingErrors, BadConditionNamesFileAndLine) {
    const auto file = write_temp("bad_condition.toml", k_header +
                                                           "[[category]]\n"
                                                           "id = \"pharmacy\"\n"
                                                           "name_zh = \"药店\"\n"
                                                           "name_en = \"Pharmacy\"\n"
                                                           "osm_quality = \"good\"\n"                     // 6
                                                           "tags_any = [\"amenity=pharmacy\", \"shop\"]\n"); // 7
    expect_error_at(file, 7, "bad tag condition 'shop'");
}

TEST(CategoryMappingErrors, DuplicateIdsAndMissingFields) {
    const std::string entry = "[[category]]\nid = \"bank\"\nname_zh = \"银行\"\nname_en = \"Bank\"\n"
                              "tags_any = [\"amenity=bank\"]\nosm_quality = \"good\"\n";
    expect_error_at(write_temp("duplicate.toml", k_header + entry + entry), 8, "duplicate category id 'bank'");
    expect_error_at(write_temp("no_quality.toml", k_header + "[[category]]\nid = \"bank\"\nname_zh = \"银行\"\n"
                                                             "name_en = \"Bank\"\ntags_any = [\"amenity=bank\"]\n"),
                    2, "osm_quality");
    expect_error_at(write_temp("bad_id.toml", k_header + "[[category]]\nid = \"Bank\"\n"), 3, "snake_case");
    expect_error_at(write_temp("matches_nothing.toml", k_header + "[[category]]\nid = \"bank\"\nname_zh = \"银行\"\n"
                                                                  "name_en = \"Bank\"\nosm_quality = \"good\"\n"),
                    2, "matches nothing");
}

TEST(CategoryMappingErrors, SyntaxErrorNamesFileAndLine) {
    const auto file = write_temp("syntax.toml", k_header + "[[category]]\nid = \"bank\nname_zh = \"银行\"\n");
    expect_error_at(file, 3, "");
}

TEST(CategoryMappingErrors, MissingFileIsAnIoError) {
    EXPECT_THROW(yike::io::load_category_mapping("/nonexistent/osm.toml"), yike::io_error);
}

} // namespace
