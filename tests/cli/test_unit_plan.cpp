// `yike plan` and `yike evaluate` against presence and ratio targets, on a drawn town where every
// answer is known by hand:
//
//     A---B---C---D---E---F---G---H      north street (y = 0), 200 m between letters
//                                 |
//     I-------------------------J |      a river (y = -100 m), crossed only by the bridge H-R
//                                 |
//     K---L---M---N---O---P---Q---R      south street (y = -200 m); letters in reading order
//                                        (OSM ids ascend with them)
//
// Communities: r (x -100..500 m, both banks: its seniors are split by the river), c2 (north bank,
// 500..900), c3 (north bank, 900..1500, no candidate inside) and c4 (south bank, 500..1500).
// Walking from the north bank to K takes the bridge: 3 km, far beyond 15 minutes.
#include "cli_fixture.hpp"
#include "support/ascii_osm.hpp"

#include <cmath>
#include <vector>

namespace {

class UnitPlanTest : public CliTest {
protected:
    void SetUp() override {
        CliTest::SetUp();
        m_map = yike::test::parse_ascii_map("A---B---C---D---E---F---G---H\n"
                                            "                            |\n"
                                            "I-------------------------J |\n"
                                            "                            |\n"
                                            "K---L---M---N---O---P---Q---R",
                                            yike::test::grid_options(50.0));
        write("town.osm", yike::test::ascii_osm_xml(m_map, {{"IJ", {{"waterway", "river"}}}}));
        write("homes.csv", "id,lon,lat,households,population,seniors,children\n" + home("hA", 0, 0, 50, 100, 30) +
                               home("hB", 200, 0, 50, 100, 30) + home("hP", 0, -200, 20, 40, 10) +
                               home("hE", 800, 0, 30, 60, 40) + home("hG", 1200, 0, 80, 200, 100) +
                               home("hT", 800, -200, 40, 80, 20));
        write("facilities.csv", "id,lon,lat,category,floor_area,staff\n" + row("f1", 1000, -200, "senior_dining", "") +
                                    row("f2", 600, 0, "pharmacy", "") + row("f3", 600, -200, "pharmacy", "") +
                                    row("f4", 600, -200, "clinic", "") +
                                    row("f5", 800, 0, "community_service_station", "200") +
                                    row("f6", 650, 0, "community_health_station", "", "0"));
        write("cands.csv", "id,lon,lat,floor_area,staff\n" + cand("n1", 200, 0, "400") + cand("s1", 200, -200, "100") +
                               cand("d1", 600, 0, "100", "2") + cand("d2", 700, 0, "160") + cand("o1", -250, 0, "0") +
                               cand("t1", 1200, -200, "50") + cand("d3", 520, 0, "600"));
        write("communities.geojson", std::string(R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[)") +
                                         box("r", -100, 500, -300, 100, "s1") + "," + box("c2", 500, 900, -50, 100, "s1") + "," +
                                         box("c3", 900, 1500, -50, 100, "s2") + "," + box("c4", 500, 1500, -300, -150, "s2") + "]}");
        write("subdistricts.geojson", std::string(R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[)") +
                                          box("s1", -100, 900, -300, 100) + "," + box("s2", 900, 1500, -300, 100) + "]}");
        write("std.toml", standard_head("town", "测试", "town", "test") +
                      target_toml("t.dining", "老年餐桌", "senior dining table in every community",
                                  {"kind = 'presence'", "category = 'senior_dining'", "serves = 'seniors'", "unit = 'community'", "required_share = 1.0", "confirmed = true"}) +
                      target_toml("t.pair", "药店和诊所", "pharmacy and clinic in every community",
                                  {"kind = 'presence'", "categories = ['pharmacy', 'clinic']", "require = 'each'", "serves = 'households'", "unit = 'community'", "required_share = 1.0", "confirmed = true"}) +
                      target_toml("t.rooms", "社区用房", "350 m2 of community rooms",
                                  {"kind = 'ratio'", "ratio = 'floor_area_per_community'", "category = 'community_service_station'", "unit = 'community'", "min_floor_area_m2 = 350", "confirmed = true"}) +
                      target_toml("t.any", "药店或诊所", "pharmacy or clinic in every community",
                                  {"kind = 'presence'", "categories = ['pharmacy', 'clinic']", "require = 'any'", "serves = 'households'", "unit = 'community'", "required_share = 1.0", "confirmed = true"}) +
                      target_toml("t.elderly", "养老照料中心", "elderly care centre in every sub-district",
                                  {"kind = 'presence'", "category = 'elderly_care_center'", "serves = 'seniors'", "unit = 'subdistrict'", "required_share = 1.0", "confirmed = true"}) +
                      target_toml("t.staff", "卫生站人员", "one health worker per 40 households",
                                  {"kind = 'ratio'", "ratio = 'staff_per_households'", "category = 'community_health_station'", "unit = 'community'", "households_per_staff = 40", "confirmed = true"}));
    }

    std::string inputs(const std::string& facilities = "facilities.csv", int threads = 1) {
        return "--osm " + path("town.osm").string() + " --no-osm-facilities --facilities " + path(facilities).string() +
               " --floor-area-field floor_area --staff-field staff --crs EPSG:4326 --households " + path("homes.csv").string() +
               " --communities " + path("communities.geojson").string() + " --subdistricts " +
               path("subdistricts.geojson").string() + " --parent-field subdistrict --standard " + path("std.toml").string() +
               " --threads " + std::to_string(threads) + " --layers geojson ";
    }
    std::string plan(const std::string& args, const std::string& out) {
        return "plan --quiet " + inputs() + "--candidates " + path("cands.csv").string() + " " + args + " --out " +
               path(out).string();
    }

    // The rows of units.csv: unit -> (status, candidate, categories added).
    std::map<std::string, std::vector<std::string>> units(const std::string& out) {
        std::map<std::string, std::vector<std::string>> rows;
        std::istringstream in(slurp_csv(path(out) / "units.csv"));
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            const auto f = csv_fields(line);
            rows[f.at(0) + "/" + f.at(2)] = {f.at(6), f.at(10), f.at(8), f.at(9), f.at(15)};
        }
        return rows;
    }

    // Runs `yike coverage` with the plan's sites (sites.geojson) added as facilities and checks
    // that its summary and communities tables equal the plan's after-state, byte for byte.
    void expect_after_equals_coverage(const std::string& out) {
        const std::string sites = slurp(path(out) / "sites.geojson");
        std::string extra = slurp(path("facilities.csv"));
        std::size_t at = 0;
        int n = 0;
        while ((at = sites.find("\"candidate\":\"", at)) != std::string::npos) {
            at += 13;
            const std::string id = sites.substr(at, sites.find('"', at) - at);
            const auto cat_at = sites.rfind("\"category\":\"", at) + 12;
            const std::string category = sites.substr(cat_at, sites.find('"', cat_at) - cat_at);
            const auto& c = m_cands.at(id);
            extra += row("new" + std::to_string(n++), c.x, c.y, category, c.floor, c.staff);
        }
        ASSERT_GT(n, 0) << sites;
        write("with_sites.csv", extra);
        const Result r = run("coverage --quiet " + inputs("with_sites.csv") + "--out " + path("cov").string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(slurp(path("cov") / "summary.csv"), slurp(path(out) / "after" / "summary.csv"));
        EXPECT_EQ(slurp(path("cov") / "communities.csv"), slurp(path(out) / "after" / "communities.csv"));
    }

private:
    struct Cand {
        double x, y;
        std::string floor, staff;
    };
    yike::test::AsciiMap m_map;
    std::map<std::string, Cand> m_cands;

public:
    std::string c2_box() const { return box("c2", 500, 900, -50, 100); }

private:
    yike::routing::LonLat at(double x, double y) const {
        const auto a = m_map.node_lonlat.at('A');
        const auto d = yike::test::detail::degrees_per_metre(a.lat);
        return {a.lon + x * d.lon, a.lat + y * d.lat};
    }
    std::string lonlat(double x, double y) const {
        std::ostringstream s;
        s.precision(12);
        const auto p = at(x, y);
        s << p.lon << "," << p.lat;
        return s.str();
    }
    std::string home(const std::string& id, double x, double y, int hh, int pop, int seniors) const {
        return id + "," + lonlat(x, y) + "," + std::to_string(hh) + "," + std::to_string(pop) + "," +
               std::to_string(seniors) + ",0\n";
    }
    std::string row(const std::string& id, double x, double y, const std::string& category, const std::string& floor,
                    const std::string& staff = "") const {
        return id + "," + lonlat(x, y) + "," + category + "," + floor + "," + staff + "\n";
    }
    std::string cand(const std::string& id, double x, double y, const std::string& floor, const std::string& staff = "") {
        m_cands[id] = {x, y, floor, staff};
        return id + "," + lonlat(x, y) + "," + floor + "," + staff + "\n";
    }
    std::string box(const std::string& id, double x0, double x1, double y0, double y1, const std::string& parent = "") const {
        auto p = [&](double x, double y) { return "[" + lonlat(x, y) + "]"; };
        return R"({"type":"Feature","properties":{"id":")" + id + "\"" +
               (parent.empty() ? std::string() : R"(,"subdistrict":")" + parent + "\"") +
               R"(},"geometry":{"type":"Polygon","coordinates":[[)" +
               p(x0, y0) + "," + p(x1, y0) + "," + p(x1, y1) + "," + p(x0, y1) + "," + p(x0, y0) + "]]}}";
    }
};

TEST_F(UnitPlanTest, PresenceBestSitesByHand) {
    // Failing: r (70 seniors, split by the river), c2 (40), c3 (100, no candidate inside).
    Result r = run(plan("--category senior_dining --k 1", "k1"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto u = units("k1");
    // r's site is on the north bank: 60 of its seniors within 15 minutes, against 10 from s1 across the river.
    EXPECT_EQ(u["t.dining/r"], (std::vector<std::string>{"planned", "n1", "senior_dining", "0.000", ""}));
    EXPECT_EQ(u["t.dining/c2"][0], "not chosen");
    EXPECT_EQ(u["t.dining/c3"], (std::vector<std::string>{"unfixable", "", "", "0.000", "no candidate inside"}));
    EXPECT_EQ(u.count("t.dining/c4"), 0U); // it passes
    const std::string md = slurp(path("k1") / "plan.md");
    EXPECT_NE(md.find("objective 70.0 seniors, upper bound 70.0, gap 0.0 % (proven optimal)"), std::string::npos) << md;
    EXPECT_NE(md.find("| 1 | r | 70.0 | senior_dining | n1 |"), std::string::npos) << md;
    EXPECT_NE(md.find("| 60.0 |"), std::string::npos) << md; // seniors within 15 min of n1
    EXPECT_NE(md.find("communities: 4, passing before 1 of 4 assessed, after 2"), std::string::npos) << md;
    EXPECT_NE(md.find("candidates lie outside every community"), std::string::npos) << md; // o1
    expect_after_equals_coverage("k1");

    r = run(plan("--category senior_dining --k 2", "k2"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    u = units("k2");
    EXPECT_EQ(u["t.dining/c2"][1], "d2"); // nearer E than d1: the same seniors, less walking
    expect_after_equals_coverage("k2");

    // The fewest sites for 3 of 4 communities: r and c2; all 4 cannot be reached (c3).
    r = run(plan("--category senior_dining --target-share 0.75", "share"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    u = units("share");
    EXPECT_EQ(u["t.dining/r"][0], "planned");
    EXPECT_EQ(u["t.dining/c2"][0], "planned");
    r = run(plan("--category senior_dining --target-share 1", "all"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(slurp(path("all") / "plan.md").find("cannot be reached"), std::string::npos);
}

TEST_F(UnitPlanTest, KLargerThanTheFailingUnitsIsRefused) {
    const Result r = run(plan("--category senior_dining --k 3", "k3"));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("--k 3 is more than the 2 site(s) that make every fixable failing community of t.dining pass "
                         "(3 failing, 1 that no candidate of the planned categories can fix); give --k 2 or fewer"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(path("k3")));
}

TEST_F(UnitPlanTest, EachTargetNeedsOneSitePerMissingCategory) {
    // r lacks pharmacy and clinic (2 sites, 120 households), c2 only the clinic (1 site, 30).
    Result r = run(plan("--target t.pair --k 2", "k2"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto u = units("k2");
    EXPECT_EQ(u["t.pair/r"], (std::vector<std::string>{"planned", "n1", "pharmacy, clinic", "0.000", ""}));
    EXPECT_EQ(u["t.pair/c2"][0], "not chosen");
    expect_after_equals_coverage("k2");
    // One site cannot fix r: c2 alone; greedy meets the optimum, the LP bound (60) says how far it could be.
    r = run(plan("--target t.pair --k 1", "k1"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(units("k1")["t.pair/c2"], (std::vector<std::string>{"planned", "d2", "clinic", "0.000", ""}));
    EXPECT_NE(slurp(path("k1") / "plan.md").find("objective 30.0 households, upper bound 60.0, gap 50.0 %"),
              std::string::npos);
    r = run(plan("--target t.pair --k 1 --exact", "exact"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(path("k1") / "units.csv"), slurp(path("exact") / "units.csv"));
    EXPECT_NE(slurp(path("exact") / "plan.md").find("objective 30.0 households, upper bound 30.0, gap 0.0 % (proven optimal)"),
              std::string::npos);
    // Without c2's candidates (masked), one site makes no community pass: r needs two.
    write("mask_c2.geojson", std::string(R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[)") +
                                 c2_box() + "]}");
    r = run("plan " + inputs() + "--candidates " + path("cands.csv").string() + " --mask " + path("mask_c2.geojson").string() +
            " --target t.pair --k 1 --out " + path("masked").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("note: no failing community can pass with 1 site(s): the one needing fewest lacks 2 categories; "
                         "give --k 2 or more"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(units("masked")["t.pair/r"][0], "not chosen");
    // Planning the pharmacy alone cannot fix r or c2.
    r = run(plan("--target t.pair --category pharmacy --k 1", "pharmacy"));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("more than the 0 site(s)"), std::string::npos) << r.err;
}

TEST_F(UnitPlanTest, RatioShortfallsAndTheFewestCandidatesClosingThem) {
    const Result r = run(plan("--target t.rooms --k 1 --candidate-floor-area-field floor_area", "rooms"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto u = units("rooms");
    EXPECT_EQ(u["t.rooms/r"], (std::vector<std::string>{"planned", "n1", "", "350.000", ""}));
    // d3 (600 m²) alone closes it too; d2 (160) is the least floor area among single sites.
    EXPECT_EQ(u["t.rooms/c2"], (std::vector<std::string>{"planned", "d2", "", "150.000", ""}));
    EXPECT_EQ(u["t.rooms/c3"][4], "no candidate with a figure inside");
    EXPECT_EQ(u["t.rooms/c4"][4], "the candidates inside add only 50.0 m²");
    expect_after_equals_coverage("rooms");
    // Without floor areas on the candidates: the shortfall table alone.
    const Result bare = run(plan("--target t.rooms --k 1", "bare"));
    ASSERT_EQ(bare.exit_code, 0) << bare.err;
    EXPECT_NE(slurp(path("bare") / "plan.md").find("no candidate carries a floor area"), std::string::npos);
    EXPECT_EQ(units("bare")["t.rooms/c2"][3], "150.000");
}

TEST_F(UnitPlanTest, SubdistrictAnyAndStaffTargets) {
    // Per sub-district: s2 (c3 + c4, 120 seniors) before s1 (r + c2, 110); s2's only candidate is
    // t1 (c3 has none), which reaches G over the bridge (600 m) and T: all 120 within 15 minutes.
    Result r = run(plan("--target t.elderly --k 1", "elderly"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(units("elderly")["t.elderly/s2"], (std::vector<std::string>{"planned", "t1", "elderly_care_center", "0.000", ""}));
    EXPECT_EQ(units("elderly")["t.elderly/s1"][0], "not chosen");
    EXPECT_NE(slurp(path("elderly") / "plan.md").find("| 1 | s2 | 120.0 | elderly_care_center | t1 |"), std::string::npos);
    expect_after_equals_coverage("elderly");
    r = run(plan("--target t.elderly --k 2", "elderly2"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // In s1 n1, d1 and d2 all reach A, B and E (100 seniors); n1 walks them least (A 200 m, E 600 m).
    EXPECT_EQ(units("elderly2")["t.elderly/s1"][1], "n1");

    // Any of pharmacy or clinic: r (120 households) gets a clinic; c3 has no candidate.
    r = run(plan("--target t.any --category clinic --k 1", "any"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(units("any")["t.any/r"], (std::vector<std::string>{"planned", "n1", "clinic", "0.000", ""}));
    EXPECT_EQ(units("any")["t.any/c3"][4], "no candidate inside");
    expect_after_equals_coverage("any");

    // One health worker per 40 households: c2 (30 households) has a station with 0 staff, short by
    // 1; d1 brings 2. The others have no station and cannot be judged.
    r = run(plan("--target t.staff --k 1 --candidate-staff-field staff", "staff"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(units("staff")["t.staff/c2"], (std::vector<std::string>{"planned", "d1", "", "1.000", ""}));
    EXPECT_EQ(units("staff").size(), 1U);
    EXPECT_NE(slurp(path("staff") / "plan.md").find("3 community(s) cannot be judged"), std::string::npos);
    expect_after_equals_coverage("staff");
}

TEST_F(UnitPlanTest, ReportOnlyTargetHasNothingToPlan) {
    std::string args = inputs();
    args.replace(args.find("--standard ") + 11, path("std.toml").string().size(), "dongcheng-2020");
    const Result r = run("plan " + args + "--candidates " + path("cands.csv").string() +
                         " --target dc.backbone_community --k 1 --out " + path("p").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("note: dc.backbone_community is reported only, never failed: nothing to plan"), std::string::npos)
        << r.err;
}

TEST_F(UnitPlanTest, EvaluateRatioCandidates) {
    const Result r = run("evaluate --quiet " + inputs() + "--candidates " + path("cands.csv").string() +
                         " --category community_service_station --target t.rooms --candidate-floor-area-field floor_area --out " +
                         path("ev").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string csv = slurp_csv(path("ev") / "evaluation.csv");
    EXPECT_NE(csv.find(",n1,,"), std::string::npos);
    EXPECT_NE(csv.find(",r,,120.000,true,passes,"), std::string::npos) << csv;  // 400 m² >= 350
    EXPECT_NE(csv.find(",c2,,30.000,true,passes,"), std::string::npos) << csv;  // d2: 160 >= 150
    EXPECT_NE(csv.find(",c2,,30.000,false,still short by 50.0 m²,"), std::string::npos) << csv; // d1: 100
}

TEST_F(UnitPlanTest, RerunsAreByteIdentical) {
    ASSERT_EQ(run(plan("--target t.pair --k 2", "a")).exit_code, 0);
    ASSERT_EQ(run(plan("--target t.pair --k 2", "b")).exit_code, 0);
    EXPECT_TRUE(same_folders(path("a"), path("b")));
    // On two threads too, for a presence plan with evaluation of every candidate's reach.
    ASSERT_EQ(run("plan --quiet " + inputs("facilities.csv", 2) + "--candidates " + path("cands.csv").string() +
                  " --target t.pair --k 2 --out " + path("c").string())
                  .exit_code,
              0);
    EXPECT_TRUE(same_folders(path("a"), path("c")));
    const std::string evaluate = "evaluate --quiet --candidates " + path("cands.csv").string() + " --category senior_dining ";
    ASSERT_EQ(run(evaluate + inputs() + "--out " + path("e1").string()).exit_code, 0);
    ASSERT_EQ(run(evaluate + inputs("facilities.csv", 2) + "--out " + path("e2").string()).exit_code, 0);
    EXPECT_TRUE(same_folders(path("e1"), path("e2")));
}

TEST_F(UnitPlanTest, EvaluatePresenceCandidates) {
    const Result r = run("evaluate --quiet " + inputs() + "--candidates " + path("cands.csv").string() +
                         " --category senior_dining --out " + path("ev").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string csv = slurp_csv(path("ev") / "evaluation.csv");
    // n1 first: it makes r (70 seniors) pass; within 15 minutes (810 m for seniors) it reaches A
    // and B (60) and E in c2 (40), none of whom has a table that near (the one at P is 1.8 km away).
    EXPECT_NE(csv.find("senior_dining,t.dining,presence,seniors,1,n1,,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",r,,70.000,true,passes,60.000,60.000,100.000,100.000,1799.97,"), std::string::npos) << csv;
    // s1, across the river: 10 seniors of r within 5 minutes; T's 20 have a table within 15 minutes already.
    EXPECT_NE(csv.find(",r,,70.000,true,passes,10.000,10.000,30.000,10.000,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",o1,"), std::string::npos);
    EXPECT_NE(csv.find(",,0.000,false,outside every community,"), std::string::npos) << csv;
    // t1 lies in c4, which has a table already (at P, 200 m away).
    EXPECT_NE(csv.find(",c4,,20.000,false,already passes,0.000,20.000,120.000,0.000,200.01,"), std::string::npos) << csv;
}

TEST_F(UnitPlanTest, CandidatesOutsideEveryUnitAreAClearError) {
    const Result r = run("plan --quiet " + inputs() + "--candidates " + path("cands.csv").string() +
                         " --category senior_dining --k 1 --mask " + path("communities.geojson").string() + " --out " +
                         path("o").string());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("none of the 1 candidate sites lies inside a community of target t.dining"), std::string::npos)
        << r.err;
}

// The README's `yike evaluate` example ("if we open a senior dining table here, how many seniors
// gain one within 15 minutes?") runs as written, from the repository's folder, and prints the
// figures the README quotes.
class ReadmeEvaluateTest : public CliTest {};

TEST_F(ReadmeEvaluateTest, SeniorDiningExampleRunsAsWritten) {
    const fs::path repo = fs::path(YIKE_DATA_DIR).parent_path();
    const std::string readme = slurp(repo / "README.md");
    const std::string start = "yike evaluate --osm data/osm/monaco.osm.pbf --standard dongcheng-2020 --category senior_dining";
    const auto at = readme.find(start);
    ASSERT_NE(at, std::string::npos) << "the README lost its senior dining example";
    std::string command = readme.substr(at, readme.find('\n', at) - at);
    const std::string out = "--out out/monaco-senior-dining";
    ASSERT_EQ(command.substr(command.size() - out.size()), out) << command;
    // As written, from the repository's folder; only the report folder goes to this test's folder.
    command = command.substr(0, command.size() - out.size()) + "--out " + path("ev").string();
    const std::string shell = "cd " + repo.string() + " && " + yike + command.substr(4) + " >" +
                              path("stdout.txt").string() + " 2>" + path("stderr.txt").string();
    ASSERT_EQ(std::system(shell.c_str()), 0) << slurp(path("stderr.txt"));
    const std::string err = slurp(path("stderr.txt"));
    EXPECT_NE(err.find("1253 candidates evaluated, 592 would make their unit pass; the best, g_r34_c71, brings 2433.7 "
                       "seniors a first one within 15 minutes"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("note: no communities were given: the 70 grid cells of 500 m"), std::string::npos) << err;
    // The README's figures.
    for (const std::string quoted : {"592 candidates would make their grid cell pass", "`g_r34_c71`", "seniors (982)",
                                     "2,433.7 seniors", "1,253 candidates"}) {
        EXPECT_NE(readme.find(quoted), std::string::npos) << quoted;
    }
    const std::string md = slurp(path("ev") / "evaluation.md");
    EXPECT_NE(md.find("| 1 | g_r34_c71 | 7.481817 | 43.762014 | g_r10_c21 | 981.6 | passes | 369.1 | 1389.8 | 2433.7 | 2433.7 |"),
              std::string::npos)
        << md.substr(0, 3000);
}

} // namespace
