// Floating catchments with one definition (engine/catchment.hpp): the worked example of
// doc/catchment.md on the drawn street, and the same site giving the same ratio from `yike
// coverage` and `yike evaluate` for metre and minute targets serving seniors.
#include "street_fixture.hpp"

#include <cmath>

namespace {

// Seniors per household point: 50 at A (0 m), C (400), E (800), X (860) and G (1200).
const std::string k_standard = standard_head("catchment-example", "示例", "worked example", "doc/catchment.md") +
    target_toml("ex.day_care_300m", "日间照料 300 米", "day care within 300 m",
                {"kind = 'coverage'", "category = 'elderly_day_care'", "serves = 'seniors'", "threshold_m = 300", "basis = 'seniors'", "required_share = 1.0"}, "doc/catchment.md") +
    target_toml("ex.canteen_5min", "老年餐桌 5 分钟", "senior dining within 5 minutes",
                {"kind = 'coverage'", "category = 'senior_dining'", "serves = 'seniors'", "threshold_minutes = 5", "basis = 'seniors'", "required_share = 1.0"}, "doc/catchment.md");

class CatchmentTest : public StreetCliTest {
protected:
    // Facilities at x metres with a capacity, as a CSV with a capacity column.
    void write_facilities(const std::string& name, const std::vector<std::tuple<double, std::string, double>>& f) {
        std::vector<std::pair<double, std::string>> points;
        for (const auto& [x, category, capacity] : f) points.emplace_back(x, category);
        std::istringstream in(m_street.facilities_csv(points));
        std::string out, line;
        std::size_t k = 0;
        std::getline(in, line);
        out += line + ",capacity\n";
        while (std::getline(in, line)) out += line + "," + std::to_string(std::get<2>(f[k++])) + "\n";
        write(name, out);
    }
    std::string common() { return " --quiet --no-osm-facilities" + street_inputs(k_standard); }
    // Field `column` of the first row of `csv` whose leading fields start with `key`.
    static std::string field(const std::string& csv, const std::string& key, const std::string& column) {
        std::istringstream in(csv);
        std::string header;
        std::getline(in, header);
        const auto names = csv_fields(header);
        const auto at = std::find(names.begin(), names.end(), column);
        if (at == names.end()) return "<no column " + column + ">";
        for (std::string line; std::getline(in, line);) {
            if (line.rfind(key, 0) == 0) return csv_fields(line).at(static_cast<std::size_t>(at - names.begin()));
        }
        return "<no row " + key + ">";
    }
    static double number(const std::string& text) { return std::stod(text); }
};

TEST_F(CatchmentTest, WorkedExampleOfTheDoc) {
    // Day care at B (200 m, capacity 30) and D (600 m, capacity 20), 300 m catchments: B reaches A
    // and C (100 seniors): R_B = 0.3; D reaches C, E and X (150 seniors): R_D = 0.1333...; G is
    // reached by neither. Access: A 0.3, C 0.4333..., E and X 0.1333..., G 0.
    const std::string args = common();
    write_facilities("facilities.csv", {{200.0, "elderly_day_care", 30.0}, {600.0, "elderly_day_care", 20.0}});
    const Result r = run("coverage" + args + " --facilities " + path("facilities.csv").string() +
                         " --capacity-field capacity --layers geojson --out " + path("report").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string csv = slurp_csv(path("report") / "catchments.csv");
    const std::string all = "elderly_day_care,2sfca,ex.day_care_300m,300 m,network length,walk,none,seniors,all";
    EXPECT_EQ(field(csv, all, "total_capacity"), "50");
    EXPECT_EQ(field(csv, all, "demand"), "250");
    EXPECT_EQ(field(csv, all, "demand_within_reach"), "200");
    EXPECT_DOUBLE_EQ(number(field(csv, all, "supply_per_1000")), 200.0);
    EXPECT_DOUBLE_EQ(number(field(csv, all, "access_min")), 0.0);
    EXPECT_NEAR(number(field(csv, all, "access_median")), 20.0 / 150.0, 1e-12);
    EXPECT_NEAR(number(field(csv, all, "access_max")), 0.3 + 20.0 / 150.0, 1e-12);
    EXPECT_NEAR(number(field(csv, all, "mean_access")), 0.2, 1e-12);
    EXPECT_DOUBLE_EQ(number(field(csv, all, "zero_access_share")), 0.2);
    // c1 holds A and C: (0.3 + 0.4333...) / 2; c3 holds G only.
    const std::string c1 = "elderly_day_care,2sfca,ex.day_care_300m,300 m,network length,walk,none,seniors,community,c1";
    EXPECT_NEAR(number(field(csv, c1, "mean_access")), (0.6 + 20.0 / 150.0) / 2.0, 1e-12);
    EXPECT_DOUBLE_EQ(number(field(csv, "elderly_day_care,2sfca,ex.day_care_300m,300 m,network length,walk,none,seniors,"
                                       "community,c3", "zero_access_share")),
                     1.0);
    const std::string layers = slurp(path("report") / "layers.geojson");
    EXPECT_NE(layers.find("\"elderly_day_care_access_2sfca\""), std::string::npos);
    EXPECT_NE(layers.find("\"ratio_2sfca\":0.3,"), std::string::npos);
    const std::string md = slurp(path("report") / "summary.md");
    EXPECT_NE(md.find("| 2SFCA | `ex.day_care_300m` | 300 m | network length | walk | none | seniors | 2 (2) | 50.0 | "
                      "250.0 | 200.0 | 200.00 |"),
              std::string::npos)
        << md;

    // E2SFCA: the Gaussian with w(150 m) = 1/2 and w(300 m) = 0. Every pair here is 200 m apart
    // except X to D (260 m), so R_B = 30 / (100 w(200)), and A's access is w(200) R_B = 0.3.
    const Result g = run("coverage" + args + " --facilities " + path("facilities.csv").string() +
                         " --capacity-field capacity --decay gaussian --out " + path("gaussian").string());
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const std::string gcsv = slurp_csv(path("gaussian") / "catchments.csv");
    const std::string gall = "elderly_day_care,e2sfca,ex.day_care_300m,300 m,network length,walk,";
    EXPECT_EQ(field(gcsv, gall, "demand"), "250");
    // The row's decay names β in m²: the root x of x³ + x² + x = 1 gives β = -300² / (4 ln x).
    double x = 0.5;
    for (int i = 0; i < 60; ++i) x -= ((x + 1) * x + 1) * x - 1 == 0 ? 0 : (((x + 1) * x + 1) * x - 1) / ((3 * x + 2) * x + 1);
    const double beta_m2 = -300.0 * 300.0 / (4.0 * std::log(x));
    char text[64];
    std::snprintf(text, sizeof text, "gaussian, beta %.4f m²", beta_m2);
    EXPECT_NE(gcsv.find(text), std::string::npos) << text << "\n" << gcsv.substr(0, 400);
    auto w = [&](double d_m) {
        const double b = beta_m2, d0 = 300.0;
        return (std::exp(-d_m * d_m / b) - std::exp(-d0 * d0 / b)) / (1 - std::exp(-d0 * d0 / b));
    };
    // c1 holds A and C. A reaches only B: w(200) R_B with R_B = 30 / (100 w(200)), so 0.3. C adds
    // D's w(200) R_D with R_D = 20 / (100 w(200) + 50 w(260)) (C and E at 200 m, X at 260 m).
    const double c_access = 0.3 + w(200) * 20.0 / (100.0 * w(200) + 50.0 * w(260));
    EXPECT_NEAR(number(field(gcsv, gall + "\"gaussian, beta " + std::string(text).substr(15) + "\",seniors,community,c1",
                             "mean_access")),
                (0.3 + c_access) / 2.0, 1e-9);
    EXPECT_NEAR(w(150), 0.5, 1e-12);
}

// The same site with the same capacity gets the same ratio from coverage (an existing facility)
// and evaluate (a candidate), for a metre target and a minute target serving seniors.
TEST_F(CatchmentTest, CoverageAndEvaluateGiveTheSameRatio) {
    const std::string args = common();
    for (const auto& [category, decay] : std::vector<std::pair<std::string, std::string>>{
             {"elderly_day_care", "none"}, {"senior_dining", "none"}, {"elderly_day_care", "gaussian"},
             {"senior_dining", "gaussian"}}) {
        write_facilities("sites.csv", {{200.0, category, 30.0}, {1000.0, category, 45.0}});
        const std::string out = category + "-" + decay;
        const Result cov = run("coverage" + args + " --facilities " + path("sites.csv").string() +
                               " --capacity-field capacity --decay " + decay + " --out " + path(out + "-cov").string());
        ASSERT_EQ(cov.exit_code, 0) << cov.err;
        const Result ev = run("evaluate" + args + " --category " +
                              category + " --candidates " + path("sites.csv").string() +
                              " --candidate-capacity-field capacity --decay " + decay + " --out " + path(out + "-ev").string());
        ASSERT_EQ(ev.exit_code, 0) << ev.err;
        const std::string method = decay == "none" ? "2sfca" : "e2sfca";
        const std::string evaluation = slurp_csv(path(out + "-ev") / "evaluation.csv");
        const std::string catchments = slurp_csv(path(out + "-cov") / "catchments.csv");
        // Coverage's per-facility ratios: total capacity over demand within reach is not what we
        // compare; the facilities layer is not written here, so compare against summary.json.
        const std::string json = slurp(path(out + "-cov") / "summary.json");
        EXPECT_NE(json.find("\"basis\": \"seniors\""), std::string::npos);
        for (const std::string site : {"f0", "f1"}) {
            const std::string key = category + ",";
            std::istringstream rows(evaluation);
            std::string line, header;
            std::getline(rows, header);
            std::string ratio = "<none>";
            while (std::getline(rows, line)) {
                if (line.find("," + site + ",") != std::string::npos) ratio = field(header + "\n" + line + "\n", key, "ratio_" + method);
            }
            EXPECT_EQ(field(header + "\n", "x", "ratio_per"), "<no row x>"); // the column exists
            ASSERT_NE(ratio, "<none>") << site << "\n" << evaluation;
            // The coverage run with this site alone gives the facility's ratio as its access at
            // the site's nearest household ...
            write_facilities("one.csv", {{site == "f0" ? 200.0 : 1000.0, category, site == "f0" ? 30.0 : 45.0}});
            const Result one = run("coverage" + args + " --facilities " + path("one.csv").string() +
                                   " --capacity-field capacity --decay " + decay + " --layers geojson --out " +
                                   path(out + "-" + site).string());
            ASSERT_EQ(one.exit_code, 0) << one.err;
            const std::string layers = slurp(path(out + "-" + site) / "layers.geojson");
            const auto at = layers.find("\"ratio_" + method + "\":");
            ASSERT_NE(at, std::string::npos) << site;
            const double from_coverage = std::stod(layers.substr(at + method.size() + 9));
            // evaluation.csv prints six decimals
            EXPECT_NEAR(std::stod(ratio), from_coverage, 5.1e-7) << category << " " << decay << " " << site;
        }
        (void)catchments;
    }
}

} // namespace
