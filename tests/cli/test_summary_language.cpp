// summary.md (coverage, and the before/ and after/ reports of a plan), plan.md and report.html with
// --lang zh and --lang en on the bundled Monaco sample: under zh no English prose is left, under en
// no Chinese. Text that comes from the data (a catalog's sources and notes, file names, ids, names
// of the input's features) is exempt: it is printed as the data has it.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"

namespace {

class SummaryLanguageTest : public CliTest {};

// The catalog's own text: every `source = "..."` and `note = "..."` of a standards file.
std::vector<std::string> catalog_text(const std::string& standard) {
    std::ifstream in(std::string(YIKE_DATA_DIR) + "/standards/" + standard + ".toml");
    EXPECT_TRUE(in.good()) << standard;
    std::vector<std::string> out;
    const std::regex field(R"re(^(source|note) = "(.*)"$)re");
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (!std::regex_match(line, m, field)) continue;
        std::string value;
        for (std::size_t i = 0; i < m[2].str().size(); ++i) {
            const char c = m[2].str()[i];
            if (c == '\\' && i + 1 < m[2].str().size()) value += m[2].str()[++i];
            else value += c;
        }
        out.push_back(value);
    }
    EXPECT_FALSE(out.empty()) << standard;
    return out;
}

// The text with the data's own words taken out: the catalog's text (also as md_cell writes it, with
// "|" escaped), `code spans` (ids), URLs, file names and paths, and --options.
std::string without_data(std::string text, const std::vector<std::string>& data) {
    for (const auto& value : data) {
        std::string escaped;
        for (const char c : value) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
        for (const std::string* v : {&value, static_cast<const std::string*>(&escaped)}) {
            if (v->empty()) continue;
            for (auto at = text.find(*v); at != std::string::npos; at = text.find(*v, at)) text.replace(at, v->size(), " ");
        }
    }
    static const std::regex exempt(R"(`[^`]*`|https?://\S+|[\w./-]*/[\w./-]+|[\w-]+\.(?:md|csv|pbf|osm|bz2|toml|gpkg|geojson|xlsx|html|json|txt)\b|--[\w-]+)");
    return std::regex_replace(text, exempt, " ");
}

// English words left in the text: tokens of 4 or more ASCII letters other than codes and names
// written with two or more capitals (OSM, ODbL, GLPK, OpenStreetMap). A token is a run of letters,
// digits and _ . : / -; one holding anything but letters is an id or a code (g_r3_c1,
// mofcom.convenience_5min, dongcheng-2020, building:levels, E2SFCA), and so are the walking
// profiles' ids (`--profile walk`), which the run's header names.
std::vector<std::string> english_words(const std::string& text) {
    static const std::string inner = "_.:/-";
    auto token_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || inner.find(c) != std::string::npos; };
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!token_char(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && token_char(text[j])) ++j;
        std::string token = text.substr(i, j - i);
        i = j;
        while (!token.empty() && inner.find(token.back()) != std::string::npos) token.pop_back();
        while (!token.empty() && inner.find(token.front()) != std::string::npos) token.erase(0, 1);
        bool letters = true;
        int capitals = 0;
        for (const char c : token) {
            letters = letters && std::isalpha(static_cast<unsigned char>(c));
            capitals += std::isupper(static_cast<unsigned char>(c)) ? 1 : 0;
        }
        if (letters && token.size() >= 4 && capitals < 2 && token != "walk" && token != "senior") words.push_back(token);
    }
    return words;
}

// Each line of a --lang zh file: no English word outside the data's own text.
void expect_chinese(const fs::path& file, const std::vector<std::string>& data) {
    const std::string text = slurp(file);
    ASSERT_FALSE(text.empty()) << file;
    std::istringstream in(text);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line); ++lines) {
        const auto words = english_words(without_data(line, data));
        EXPECT_TRUE(words.empty()) << file.filename() << ": '" << words.front() << "' in: " << line;
    }
    EXPECT_GT(lines, 10U) << file;
}

// Each line of a --lang en file: no Chinese outside the data's own text.
void expect_english(const fs::path& file, const std::vector<std::string>& data) {
    const std::string text = slurp(file);
    ASSERT_FALSE(text.empty()) << file;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) EXPECT_FALSE(has_cjk(without_data(line, data))) << file.filename() << ": " << line;
}

// The checks catch what they are for (they would pass on anything otherwise).
TEST_F(SummaryLanguageTest, ChecksFindEnglishAndChinese) {
    EXPECT_EQ(english_words("- 设施: 33 (unsnapped 0)"), std::vector<std::string>{"unsnapped"});
    EXPECT_TRUE(english_words("`g_r1_c2` convenience_store OSM E2SFCA 2SFCA m² min m/s mofcom-15min dc.x building:levels walk")
                    .empty());
    EXPECT_EQ(english_words("(households 1.0), counted."), (std::vector<std::string>{"households", "counted"}));
    EXPECT_EQ(english_words(without_data("see `a.b` in summary.md, then the notes", {})),
              (std::vector<std::string>{"then", "notes"}));
    EXPECT_TRUE(english_words(without_data("Part 3 §3(二): note | text", {"Part 3 §3(二): note | text"})).empty());
    EXPECT_TRUE(english_words(without_data("Part 3 \\| text", {"Part 3 | text"})).empty());
    EXPECT_TRUE(has_cjk("households 户数"));
    EXPECT_FALSE(has_cjk(without_data("source: 东城区", {"东城区"})));
}

TEST_F(SummaryLanguageTest, CoverageSummaryInChineseAndEnglish) {
    const fs::path communities = path("communities.geojson");
    std::ofstream(communities) << monte_carlo_community;
    for (const std::string standard : {"dongcheng-2020", "gb50180-2018"}) {
        const auto data = catalog_text(standard);
        for (const std::string lang : {"zh", "en"}) {
            const fs::path out = path(standard + "-" + lang);
            const Result r = run("coverage --quiet --osm " + monaco + " --standard " + standard + " --out " + out.string() +
                                 " --lang " + lang + (standard == "gb50180-2018" ? " --communities " + communities.string() : ""));
            ASSERT_EQ(r.exit_code, 0) << standard << " " << lang << ": " << r.err;
            if (lang == "zh") expect_chinese(out / "summary.md", data);
            else expect_english(out / "summary.md", data);
        }
    }
    // summary.xlsx and summary.json under zh: the words of summary.md without its Markdown (the ids
    // are code only in summary.md).
    const fs::path zh = path("dongcheng-2020-zh");
    const std::string cmd = std::string("/usr/bin/python3 ") + YIKE_TEST_DATA_DIR + "/../cli/read_xlsx.py " +
                            (zh / "summary.xlsx").string() + " >" + path("xlsx.txt").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(path("xlsx.txt"));
    const std::string book = slurp(path("xlsx.txt"));
    EXPECT_NE(book.find("\t设施配置\t"), std::string::npos) << book;
    EXPECT_NE(book.find("\t10 分钟（步行）\t"), std::string::npos) << book;
    EXPECT_NE(book.find("\t社区单元的 100.0 %，每类均需\t"), std::string::npos) << book;
    EXPECT_EQ(book.find("presence"), std::string::npos) << book;
    EXPECT_EQ(book.find('`'), std::string::npos) << book;
    EXPECT_EQ(slurp(zh / "summary.json").find('`'), std::string::npos);
}

TEST_F(SummaryLanguageTest, PlanInChineseAndEnglish) {
    const auto data = catalog_text("mofcom-15min");
    for (const std::string lang : {"zh", "en"}) {
        const fs::path out = path("plan-" + lang);
        const Result r = run("plan --quiet --osm " + monaco + " --standard mofcom-15min --category convenience_store --k 5 "
                             "--generate-candidates 150 --out " + out.string() + " --lang " + lang);
        ASSERT_EQ(r.exit_code, 0) << lang << ": " << r.err;
        for (const auto& file : std::vector<fs::path>{out / "plan.md", out / "before" / "summary.md", out / "after" / "summary.md"}) {
            if (lang == "zh") expect_chinese(file, data);
            else expect_english(file, data);
        }
    }
}

// report.html without the names of the input's features (facilities and areas in the page's data),
// which are the data's own words.
std::string page_without_input_names(std::string html) {
    static const std::regex names(R"re("name":(\[[^\]]*\]|"(?:[^"\\]|\\.)*"))re");
    return std::regex_replace(html, names, "\"name\":null");
}

// report.html holds the chosen language only (both: the bilingual page as before, which the
// baseline snapshots hold byte for byte): no Chinese under en, the page's and the script's words in
// Chinese under zh with no English hint beside them.
TEST_F(SummaryLanguageTest, ReportPageInOneLanguage) {
    for (const std::string lang : {"zh", "en"}) {
        const Result r = run("plan --quiet --osm " + monaco + " --standard dongcheng-2020 --category culture_room --k 2 "
                             "--generate-candidates 300 --out " + path(lang).string() + " --lang " + lang);
        ASSERT_EQ(r.exit_code, 0) << lang << ": " << r.err;
    }
    for (const std::string folder : {"before", "after"}) {
        const std::string en = page_without_input_names(slurp(path("en") / folder / "report.html"));
        ASSERT_GT(en.size(), 10000U);
        // The first Chinese character with what surrounds it, or "" (the page also holds ·, —, ≥ and ²).
        std::string found;
        for (std::size_t i = 0; i + 3 <= en.size() && found.empty(); ++i) {
            if (has_cjk(en.substr(i, 3))) found = en.substr(i > 60 ? i - 60 : 0, 120);
        }
        EXPECT_EQ(found, "") << folder << ": Chinese in the en page";
        for (const std::string english :
             {"<h2>Targets</h2>", "About this map", "'<legend>Layers</legend>'", "Reach within the threshold", "Uncovered households</th>"}) {
            EXPECT_NE(en.find(english), std::string::npos) << folder << ": " << english;
        }
        EXPECT_EQ(en.find("class=\"zh\""), std::string::npos) << folder;

        const std::string zh = slurp(path("zh") / folder / "report.html");
        for (const std::string chinese : {"<h2>目标</h2>", "<h2>说明</h2>", "'<legend>图层</legend>'", "未覆盖户数</th>",
                                          "地图需要 JavaScript。", "['阈值内可达范围', '']", "zh: '未达标', en: ''"}) {
            EXPECT_NE(zh.find(chinese), std::string::npos) << folder << ": " << chinese;
        }
        for (const std::string english : {"About this map", "<i>Layers</i>", "Reach within the threshold", "Uncovered households",
                                          "class=\"en\"", "planned site", "not assessable"}) {
            EXPECT_EQ(zh.find(english), std::string::npos) << folder << ": " << english;
        }
    }
    EXPECT_NE(slurp(path("zh") / "after" / "report.html").find("<strong>规划后（新增设施 2 处）</strong>"), std::string::npos);
    EXPECT_NE(slurp(path("en") / "after" / "report.html").find("<strong>After planning (2 new sites)</strong>"), std::string::npos);
}

// The end-of-run warnings on stderr: under zh every "warning: " line is Chinese (the prefix stays for
// scripts); by default they are the English lines they always were. An AMap export of shops in
// Monaco gives the POI warnings (no category, an unknown code, positions outside China for GCJ-02),
// OSM the buildings without levels, and the catalog's missing categories the no-data line.
TEST_F(SummaryLanguageTest, WarningsInChinese) {
    const fs::path pois = path("pois.csv");
    std::ofstream(pois) << "id,name,type,typecode,location\n"
                           "B1,Spar,购物服务;便民商店/便利店;便民商店/便利店,060200,\"7.4246,43.7384\"\n"
                           "B2,Hotel,住宿服务;宾馆酒店;宾馆酒店,100100,\"7.4282,43.7396\"\n"
                           "B3,Odd,未知;未知;未知,999999,\"7.4365,43.7485\"\n";
    // A community drawn as a bow tie (self-intersecting): repaired, with a warning.
    const fs::path communities = path("communities.geojson");
    std::ofstream(communities) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"c1"},)"
                                  R"("geometry":{"type":"Polygon","coordinates":[[[7.42,43.735],[7.435,43.745],[7.435,43.735],)"
                                  R"([7.42,43.745],[7.42,43.735]]]}}]})";
    const std::string args = "coverage --osm " + monaco + " --standard mofcom-15min --facilities " + pois.string() +
                             " --poi-format amap --communities " + communities.string() + " --out ";
    const Result zh = run(args + path("zh").string() + " --lang zh");
    ASSERT_EQ(zh.exit_code, 0) << zh.err;
    const Result both = run(args + path("both").string());
    ASSERT_EQ(both.exit_code, 0) << both.err;
    auto warnings = [](const std::string& err) {
        std::vector<std::string> lines;
        std::istringstream in(err);
        for (std::string line; std::getline(in, line);)
            if (line.rfind("warning: ", 0) == 0) lines.push_back(line.substr(9));
        return lines;
    };
    const auto zh_lines = warnings(zh.err);
    const auto both_lines = warnings(both.err);
    // buildings, repaired community, outside China, no category, unknown code, no data
    ASSERT_EQ(both_lines.size(), 6U) << both.err;
    ASSERT_EQ(zh_lines.size(), both_lines.size()) << zh.err;
    // Category ids are ids (the line names what --facilities FILE=CATEGORY takes).
    std::vector<std::string> ids{"Spar", "Hotel", "Odd"};
    {
        std::ifstream in(std::string(YIKE_DATA_DIR) + "/categories/osm.toml");
        const std::regex id(R"re(^id = "(.*)"$)re");
        for (std::string line; std::getline(in, line);) {
            std::smatch m;
            if (std::regex_match(line, m, id)) ids.push_back(m[1]);
        }
        ASSERT_GT(ids.size(), 50U);
    }
    for (const auto& line : zh_lines) {
        EXPECT_TRUE(has_cjk(line)) << line;
        const auto words = english_words(without_data(line, ids));
        EXPECT_TRUE(words.empty()) << "'" << words.front() << "' in: " << line;
    }
    EXPECT_NE(both.err.find(" POIs map to no category of amap.toml (by class: "), std::string::npos) << both.err;
    EXPECT_NE(zh.err.find("3 个 POI 中有 2 个对应不到 amap.toml 的任何类别（按分类："), std::string::npos) << zh.err;
    EXPECT_NE(zh.err.find(" 项目标因缺少数据无法评判："), std::string::npos) << zh.err;
    EXPECT_NE(zh.err.find("communities.geojson: 第 1 个要素（编号 c1）：无效多边形（如自相交）已修复为 2 个多边形"), std::string::npos)
        << zh.err;

    // A plan whose target share cannot be reached says so in Chinese too.
    const Result plan = run("plan --osm " + monaco + " --standard mofcom-15min --category convenience_store --target-share 0.99 "
                            "--generate-candidates 150 --lang zh --out " + path("plan").string());
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    for (const auto& line : warnings(plan.err)) {
        const auto words = english_words(without_data(line, ids));
        EXPECT_TRUE(words.empty()) << "'" << words.front() << "' in: " << line;
    }
    EXPECT_NE(plan.err.find("warning: convenience_store：目标比例 99.0 % 无法达到：115 个需求点不在任何候选点或现有设施的可达范围内\n"),
              std::string::npos) << plan.err;
}

} // namespace
