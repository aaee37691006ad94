// Category fixes of issue 14, tested on names as they appear in Chinese OSM data. Names marked
// "Haidian" are real objects of the shared extract beijing-haidian-cau.osm.bz2 (with their tags);
// the others are the usual forms of Beijing and Anhui shop and facility names.
#include "yike/io/categories.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

using yike::io::CategoryMapping;
using yike::io::Tags;

const CategoryMapping& shipped() {
    static const CategoryMapping mapping = yike::io::load_category_mapping();
    return mapping;
}

bool is(const Tags& tags, const std::string& category) {
    const auto ids = shipped().match(tags);
    return std::find(ids.begin(), ids.end(), category) != ids.end();
}

TEST(CategoryNames, WetMarketIsNotAGreengrocer) {
    // GB 50180's 菜市场或生鲜超市 is a market, not the vegetable shop next door.
    EXPECT_TRUE(is({{"amenity", "marketplace"}, {"name", "东四农贸市场"}}, "wet_market"));
    EXPECT_TRUE(is({{"building", "retail"}, {"name", "朝内菜市场"}}, "wet_market"));
    EXPECT_TRUE(is({{"shop", "supermarket"}, {"name", "钱大妈生鲜超市"}}, "wet_market"));
    EXPECT_FALSE(is({{"shop", "greengrocer"}, {"name", "便民菜店"}}, "wet_market"));
    EXPECT_FALSE(is({{"shop", "greengrocer"}, {"name", "鲜丰水果蔬菜"}}, "wet_market"));
    EXPECT_FALSE(is({{"highway", "bus_stop"}, {"name", "东四菜市场"}}, "wet_market"));
    EXPECT_FALSE(is({{"amenity", "bank"}, {"name", "中国银行菜市口支行"}}, "wet_market"));
    // vegetable retail (Dongcheng's 蔬菜零售) still takes all of them
    EXPECT_TRUE(is({{"shop", "greengrocer"}, {"name", "便民菜店"}}, "vegetable_market"));
    EXPECT_TRUE(is({{"amenity", "marketplace"}, {"name", "东四农贸市场"}}, "vegetable_market"));
}

TEST(CategoryNames, CultureStationAndCenterFollowDongchengUsage) {
    // 依托街道综合文化站、社区文化中心: the sub-district station is the center, the community
    // center is the room.
    EXPECT_TRUE(is({{"amenity", "arts_centre"}, {"name", "东四街道综合文化站"}}, "culture_center"));
    EXPECT_TRUE(is({{"building", "yes"}, {"name", "东四街道综合文化站"}}, "culture_center"));
    EXPECT_FALSE(is({{"building", "yes"}, {"name", "东四街道综合文化站"}}, "culture_room"));
    EXPECT_TRUE(is({{"building", "yes"}, {"name", "南锣鼓巷社区文化中心"}}, "culture_room"));
    EXPECT_FALSE(is({{"building", "yes"}, {"name", "南锣鼓巷社区文化中心"}}, "culture_center"));
    EXPECT_TRUE(is({{"building", "yes"}, {"name", "东城区文化馆"}}, "culture_center"));
    EXPECT_TRUE(is({{"building", "yes"}, {"name", "交道口社区文化活动室"}}, "culture_room"));
}

TEST(CategoryNames, ConvenienceStoresAndSupermarketsByName) {
    // Haidian: node 2623025030 and node 4603600794 (全时, a chain) are tagged shop=convenience.
    EXPECT_TRUE(is({{"shop", "convenience"}, {"name", "all day 24小时便利店"}}, "convenience_store"));
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "好邻居便利店"}}, "convenience_store"));
    EXPECT_TRUE(is({{"building", "retail"}, {"name", "7-ELEVEn便利店"}}, "convenience_store"));
    // Haidian node 5671638103: a 小卖部 tagged shop=supermarket is a convenience store by name
    // (and still a supermarket by its tag).
    const Tags kiosk = {{"shop", "supermarket"}, {"name", "石科院小卖部"}};
    EXPECT_TRUE(is(kiosk, "convenience_store"));
    EXPECT_TRUE(is(kiosk, "supermarket"));
    // Haidian node 10707024844: 物美, tagged shop=supermarket.
    EXPECT_TRUE(is({{"shop", "supermarket"}, {"name", "物美"}, {"brand", "物美"}}, "supermarket"));
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "华联超市"}}, "supermarket"));
    EXPECT_FALSE(is({{"shop", "yes"}, {"name", "华联超市"}}, "convenience_store"));
    EXPECT_FALSE(is({{"shop", "yes"}, {"name", "兴隆小超市"}}, "supermarket"));
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "兴隆小超市"}}, "convenience_store"));
    EXPECT_FALSE(is({{"shop", "convenience"}, {"name", "好邻居超市"}}, "supermarket")); // tagged a convenience store
    EXPECT_FALSE(is({{"highway", "bus_stop"}, {"name", "物美超市站"}}, "supermarket"));
    EXPECT_FALSE(is({{"highway", "bus_stop"}, {"name", "物美超市站"}}, "convenience_store"));
}

TEST(CategoryNames, HairdressersByName) {
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "丝域美发"}}, "hairdresser"));
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "老北京理发店"}}, "hairdresser"));
    EXPECT_TRUE(is({{"building", "retail"}, {"name", "时尚发廊"}}, "hairdresser"));
    EXPECT_TRUE(is({{"shop", "beauty"}, {"name", "丽人美容院"}}, "hairdresser"));
    EXPECT_FALSE(is({{"shop", "yes"}, {"name", "美发用品批发"}}, "hairdresser"));
    EXPECT_FALSE(is({{"highway", "bus_stop"}, {"name", "理发店"}}, "hairdresser"));
}

TEST(CategoryNames, BillPaymentByName) {
    // Haidian node 3698246730: a transit-card top-up point, (mis)tagged amenity=cafe.
    EXPECT_TRUE(is({{"amenity", "cafe"}, {"name", "公交卡充值"}}, "bill_payment"));
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "便民缴费点"}}, "bill_payment"));
    EXPECT_TRUE(is({{"office", "yes"}, {"name", "国家电网缴费营业厅"}}, "bill_payment"));
    EXPECT_TRUE(is({{"shop", "yes"}, {"name", "水电燃气代收代缴"}}, "bill_payment"));
    EXPECT_TRUE(is({{"amenity", "payment_terminal"}}, "bill_payment"));
    EXPECT_FALSE(is({{"highway", "bus_stop"}, {"name", "缴费大厅"}}, "bill_payment"));
}

TEST(CategoryNames, SeniorDiningPointsAndNotWorksCanteens) {
    EXPECT_TRUE(is({{"amenity", "restaurant"}, {"name", "和平里老年助餐服务点"}}, "senior_dining"));
    EXPECT_TRUE(is({{"amenity", "social_facility"}, {"name", "北新桥街道长者助餐中心"}}, "senior_dining"));
    EXPECT_TRUE(is({{"amenity", "restaurant"}, {"name", "交道口社区食堂"}}, "senior_dining"));
    EXPECT_TRUE(is({{"amenity", "restaurant"}, {"name", "东四助餐点"}}, "senior_dining"));
    // Haidian way 594889495 and way 595098584: works and campus canteens.
    EXPECT_FALSE(is({{"amenity", "restaurant"}, {"building", "yes"}, {"cuisine", "chinese"}, {"name", "石科院职工食堂"}},
                    "senior_dining"));
    EXPECT_FALSE(is({{"building", "yes"}, {"name", "二食堂"}}, "senior_dining"));
    EXPECT_FALSE(is({{"amenity", "restaurant"}, {"name", "金钱豹自助餐"}}, "senior_dining"));
}

TEST(CategoryNames, ElderlyCareCenterIsNotACommunityStation) {
    const Tags station = {{"amenity", "social_facility"}, {"social_facility", "day_care"}, {"social_facility:for", "senior"},
                          {"name", "朝阳门养老驿站"}};
    EXPECT_TRUE(is(station, "elderly_day_care"));
    EXPECT_FALSE(is(station, "elderly_care_center"));
    EXPECT_FALSE(is({{"amenity", "social_facility"}, {"social_facility:for", "senior"}, {"name", "东四养老服务驿站"}},
                    "elderly_care_center"));
    EXPECT_TRUE(is({{"amenity", "social_facility"}, {"social_facility:for", "senior"}, {"name", "东四街道养老照料中心"}},
                   "elderly_care_center"));
    EXPECT_TRUE(is({{"building", "yes"}, {"name", "和平里街道养老照料中心"}}, "elderly_care_center"));
    EXPECT_TRUE(is({{"amenity", "social_facility"}, {"social_facility", "assisted_living"}, {"social_facility:for", "senior"}},
                   "elderly_care_center"));
}

TEST(CategoryNames, SocialWorkStations) {
    EXPECT_TRUE(is({{"office", "ngo"}, {"name", "丹东街道社会工作站"}}, "social_work_station"));
    EXPECT_TRUE(is({{"amenity", "social_facility"}, {"name", "石浦镇社工站"}}, "social_work_station"));
    EXPECT_FALSE(is({{"highway", "bus_stop"}, {"name", "社工站"}}, "social_work_station"));
}

} // namespace
