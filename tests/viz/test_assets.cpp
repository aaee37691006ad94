#include <gtest/gtest.h>

#include <string>

#include "yike/viz/assets.hpp"

namespace {

TEST(Assets, LeafletFromNpmIsEmbedded) {
    const auto* js = yike::viz::find_asset("leaflet.js");
    ASSERT_NE(js, nullptr);
    EXPECT_GT(js->content.size(), 100'000u);
    EXPECT_NE(js->content.find("Leaflet"), std::string_view::npos);
    EXPECT_EQ(js->mime, "text/javascript; charset=utf-8");
    const auto& css = yike::viz::asset("leaflet.css");
    EXPECT_NE(css.content.find(".leaflet-container"), std::string_view::npos);
    EXPECT_EQ(css.mime, "text/css; charset=utf-8");
}

TEST(Assets, SortedAndUnknownNamesMiss) {
    const auto all = yike::viz::assets();
    ASSERT_FALSE(all.empty());
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].name, all[i].name);
    EXPECT_EQ(yike::viz::find_asset("../CMakeLists.txt"), nullptr);
    EXPECT_EQ(yike::viz::find_asset(""), nullptr);
}

} // namespace
