// `yike plan` and `yike evaluate` with --lang on the bundled Monaco sample: plan.md and
// evaluation.md in Chinese (zh), English (en), or as they always were (both, the default).
#include <gtest/gtest.h>

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"

namespace {

class SitingLanguageTest : public CliTest {};

std::vector<std::string> md_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The first run of three or more English words on the line (a word: letters only once the
// punctuation around it is dropped; ids such as convenience_store or g_r3_c1 are not words), or "".
std::string english_run(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> run;
    for (std::string token; in >> token;) {
        std::size_t a = 0, b = token.size();
        while (a < b && std::string_view(",;:.()|*").find(token[a]) != std::string_view::npos) ++a;
        while (b > a && std::string_view(",;:.()|*").find(token[b - 1]) != std::string_view::npos) --b;
        const std::string word = token.substr(a, b - a);
        bool letters = !word.empty();
        for (const char c : word) letters = letters && std::isalpha(static_cast<unsigned char>(c));
        if (!letters) {
            run.clear();
            continue;
        }
        run.push_back(word);
        if (run.size() == 3) return run[0] + " " + run[1] + " " + run[2];
    }
    return "";
}

void expect_no_english(const std::string& md, const std::string& what) {
    for (const auto& line : md_lines(md)) {
        EXPECT_EQ(english_run(line), "") << what << ": " << line;
    }
}

// both = en with the Chinese of each "中文 / English" heading: line by line, a line of the default
// output either equals the en line or is a heading whose English side is the en line.
void expect_both_is_en_with_headings(const std::string& both, const std::string& en) {
    const auto b = md_lines(both);
    const auto e = md_lines(en);
    ASSERT_EQ(b.size(), e.size());
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i] == e[i]) continue;
        const auto slash = b[i].find(" / ");
        ASSERT_NE(slash, std::string::npos) << b[i];
        const auto hashes = b[i].find_first_not_of('#');
        ASSERT_GT(hashes, 0U) << b[i];
        EXPECT_TRUE(has_cjk(b[i].substr(0, slash))) << b[i];
        EXPECT_EQ(b[i].substr(0, hashes + 1) + b[i].substr(slash + 3), e[i]);
    }
}

// The table rows (lines starting "| " and a number): order, ids, coordinates and figures, the same
// in every language.
std::vector<std::string> numbered_rows(const std::string& md) {
    std::vector<std::string> rows;
    for (const auto& line : md_lines(md)) {
        if (line.size() > 2 && line.rfind("| ", 0) == 0 && std::isdigit(static_cast<unsigned char>(line[2]))) rows.push_back(line);
    }
    return rows;
}

const std::string plan_args = "plan --quiet --osm " + monaco +
                              " --standard mofcom-15min --category convenience_store --target-share 0.99 "
                              "--generate-candidates 150 --out ";

TEST_F(SitingLanguageTest, PlanInChineseEnglishAndBoth) {
    for (const std::string lang : {"zh", "en", "both"}) {
        const Result r = run(plan_args + path(lang).string() + " --lang " + lang);
        ASSERT_EQ(r.exit_code, 0) << lang << ": " << r.err;
    }
    const Result r = run(plan_args + path("default").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(same_folders(path("both"), path("default")));

    const std::string zh = slurp(path("zh") / "plan.md");
    const std::string en = slurp(path("en") / "plan.md");
    const std::string both = slurp(path("both") / "plan.md");
    expect_no_english(zh, "zh plan.md");
    for (const std::string phrase :
         {"# 选址规划\n", "- 标准：mofcom-15min\n", "- 统计单元：500 米网格\n", "- 候选点：", "个，来自路网上间距 150 米的点\n",
          "- 问题：集合覆盖，以最少站点达到 99.0 %；现有设施保留\n",
          "## convenience_store — mofcom.convenience_5min（5 分钟（步行），户数）\n", "- 规划前覆盖：21138.6 户数中覆盖 3007.6（14.2 %）\n",
          "**目标比例 99.0 % 无法达到**：115 个需求点（964.9 户数）不在任何候选点或现有设施的可达范围内；最多可达 95.4 %\n",
          "| 顺序 | 候选点 | 经度 | 纬度 | 边际增益 | 累计 | 规划后比例 |", "## 规划前后\n",
          "| mofcom.convenience_5min | 覆盖率 | 便利店(含小超市、日杂)、综合超市 | 5 分钟（步行） | 100.0 % | 未达标（14.2 %） |",
          "完整报告：before/summary.md 与 after/summary.md。"}) {
        EXPECT_NE(zh.find(phrase), std::string::npos) << phrase << "\n" << zh;
    }
    EXPECT_FALSE(has_cjk(en)) << en;
    EXPECT_NE(en.find("# Site plan\n"), std::string::npos);
    EXPECT_NE(en.find("cannot be reached**: 115 demand points (964.9 households)"), std::string::npos) << en;
    // The default keeps what plan.md always said (the README and the plan tests quote it).
    EXPECT_NE(both.find("# 选址规划 / Site plan\n"), std::string::npos);
    EXPECT_NE(both.find("\n## 规划前后 / Targets before and after\n"), std::string::npos);
    EXPECT_NE(both.find("| mofcom.convenience_5min | coverage | convenience_store, supermarket | 5 min (walk) | 100.0 % | fail (14.2 %) |"),
              std::string::npos) << both;
    expect_both_is_en_with_headings(both, en);
    // The figures do not depend on the language; only plan.md does.
    const auto rows = numbered_rows(both);
    EXPECT_GT(rows.size(), 10U);
    EXPECT_EQ(numbered_rows(zh), rows);
    EXPECT_EQ(numbered_rows(en), rows);
    for (const std::string f : {"plan.csv", "communities.csv"}) {
        EXPECT_EQ(slurp(path("zh") / f), slurp(path("both") / f)) << f;
        EXPECT_EQ(slurp(path("en") / f), slurp(path("both") / f)) << f;
    }
}

TEST_F(SitingLanguageTest, EvaluationInChineseEnglishAndBoth) {
    for (const std::string lang : {"zh", "en", "both"}) {
        const Result r = run("evaluate --quiet --osm " + monaco +
                             " --standard mofcom-15min --category convenience_store --generate-candidates 150 --out " +
                             path(lang).string() + " --lang " + lang);
        ASSERT_EQ(r.exit_code, 0) << lang << ": " << r.err;
    }
    const std::string zh = slurp(path("zh") / "evaluation.md");
    const std::string en = slurp(path("en") / "evaluation.md");
    const std::string both = slurp(path("both") / "evaluation.md");
    expect_no_english(zh, "zh evaluation.md");
    for (const std::string phrase :
         {"# 选址评估\n", "- 步行路网：3988 个节点，5160 条边（步行配置 walk，1 米/秒；老年人 0.9 米/秒）\n",
          "现状覆盖：21139 户数中覆盖 3008（14.2 %）。共 ", "个候选点，按各点新增覆盖（5 分钟（步行）内）的户数排序。",
          "| 排名 | 候选点 | 经度 | 纬度 | 新增覆盖 | 服务 | 重叠 | 最近现有设施（分钟） | 容量 | 2SFCA 供需比（每户数） |",
          " 个见 evaluation.csv。"}) {
        EXPECT_NE(zh.find(phrase), std::string::npos) << phrase << "\n" << zh;
    }
    EXPECT_FALSE(has_cjk(en)) << en;
    EXPECT_NE(both.find("# 选址评估 / Site evaluation\n"), std::string::npos);
    EXPECT_NE(both.find("\nCovered before: 3008 of 21139 households (14.2 %). "), std::string::npos) << both;
    expect_both_is_en_with_headings(both, en);
    const auto rows = numbered_rows(both);
    EXPECT_EQ(rows.size(), 50U);
    EXPECT_EQ(numbered_rows(en), rows);
    // zh rows differ only where no existing facility is near: "none within N min" reads "N 分钟内没有".
    const auto zh_rows = numbered_rows(zh);
    ASSERT_EQ(zh_rows.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].find("none within") == std::string::npos) EXPECT_EQ(zh_rows[i], rows[i]);
    }
    EXPECT_EQ(slurp(path("zh") / "evaluation.csv"), slurp(path("both") / "evaluation.csv"));
}

// Presence targets are planned unit by unit (unit_siting.cpp): its sentences, notes and reasons too.
TEST_F(SitingLanguageTest, UnitPlanAndEvaluationInChinese) {
    const std::string base = "--quiet --osm " + monaco + " --standard dongcheng-2020 --category senior_dining ";
    for (const std::string lang : {"zh", "en", "both"}) {
        Result r = run("plan " + base + "--k 2 --generate-candidates 200 --out " + path("p" + lang).string() + " --lang " + lang);
        ASSERT_EQ(r.exit_code, 0) << lang << ": " << r.err;
        r = run("evaluate " + base + "--generate-candidates 300 --out " + path("e" + lang).string() + " --lang " + lang);
        ASSERT_EQ(r.exit_code, 0) << lang << ": " << r.err;
    }
    const std::string zh = slurp(path("pzh") / "plan.md");
    expect_no_english(zh, "zh plan.md");
    for (const std::string phrase :
         {"## dc.senior_dining — 设施配置，按网格（老年人口）\n", "- 网格：70 个，已评估 70 个，规划前达标 0 个，规划后 2 个；未达标 70 个\n",
          "- 注：未给出社区：以有需求的 70 个 500 米网格代替 dc.senior_dining 的社区（用 --communities 给出实际社区）\n",
          "- 注：792 个候选点中 420 个不在任何网格内，对 dc.senior_dining 的任何网格都无帮助\n", "方法：按每站权重贪心；上界：线性规划松弛，已达到",
          "\n未纳入规划的未达标网格：\n", "| 因站点数或目标比例限制未纳入 |"}) {
        EXPECT_NE(zh.find(phrase), std::string::npos) << phrase << "\n" << zh;
    }
    const std::string en = slurp(path("pen") / "plan.md");
    EXPECT_FALSE(has_cjk(en)) << en;
    EXPECT_NE(en.find("\n## dc.senior_dining — presence per grid cell (seniors)\n"), std::string::npos) << en;
    expect_both_is_en_with_headings(slurp(path("pboth") / "plan.md"), en);

    const std::string ev_zh = slurp(path("ezh") / "evaluation.md");
    expect_no_english(ev_zh, "zh evaluation.md");
    EXPECT_NE(ev_zh.find("## senior_dining — dc.senior_dining（设施配置，按网格，老年人口）\n"), std::string::npos) << ev_zh;
    EXPECT_NE(ev_zh.find("| 达标 |"), std::string::npos) << ev_zh;
    const std::string ev_en = slurp(path("een") / "evaluation.md");
    EXPECT_FALSE(has_cjk(ev_en)) << ev_en;
    expect_both_is_en_with_headings(slurp(path("eboth") / "evaluation.md"), ev_en);
}

// A ratio target (ids must survive the translation of its notes), and a sub-district target on the
// one sub-district yike makes when none is given (named "全部 / whole study area" by yike itself).
TEST_F(SitingLanguageTest, RatioAndWholeAreaPlansInOneLanguage) {
    const std::string base = "plan --quiet --osm " + monaco + " --standard dongcheng-2020 --k 1 --generate-candidates 300 ";
    Result r = run(base + "--category community_service_station --target dc.community_rooms --lang zh --out " + path("ratio").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string ratio = slurp(path("ratio") / "plan.md");
    expect_no_english(ratio, "zh ratio plan.md");
    for (const std::string phrase :
         {"## dc.community_rooms — 配建指标，按网格（户数）\n",
          "- 注：未给出社区：以有需求的 70 个 500 米网格代替 dc.community_rooms 的社区（用 --communities 给出实际社区）\n",
          "- 注：候选点均无建筑面积（--candidate-floor-area-field F）：只列出各网格的缺口\n",
          "| 网格 | 户数 | 要求 | 现有 | 缺口（m²） | 补足缺口的站点 | 规划后 |"}) {
        EXPECT_NE(ratio.find(phrase), std::string::npos) << phrase << "\n" << ratio;
    }
    for (const std::string lang : {"zh", "en"}) {
        r = run(base + "--category elderly_care_center --lang " + lang + " --out " + path("whole_" + lang).string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const std::string zh = slurp(path("whole_zh") / "plan.md");
    const std::string en = slurp(path("whole_en") / "plan.md");
    expect_no_english(zh, "zh sub-district plan.md");
    EXPECT_NE(zh.find("| 1 | all 全部 | "), std::string::npos) << zh;
    EXPECT_NE(zh.find("- 注：未给出街道：整个研究范围作为 dc.elderly_care 的唯一街道（用 --subdistricts 给出实际街道）\n"), std::string::npos) << zh;
    EXPECT_FALSE(has_cjk(en)) << en;
    EXPECT_NE(en.find("| 1 | all whole study area | "), std::string::npos) << en;
}

} // namespace
