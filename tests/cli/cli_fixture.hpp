#pragma once
// The CliTest fixture shared by the CLI test files: runs the `yike` binary in a fresh folder per
// test and captures its exit code, stdout and stderr.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::string yike = YIKE_BINARY;
const std::string monaco = std::string(YIKE_DATA_DIR) + "/osm/monaco.osm.pbf";

// One community polygon (c1) over part of Monaco, Monte-Carlo: households and sites elsewhere are
// outside every community.
[[maybe_unused]] const char* const monte_carlo_community =
    R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},)"
    R"("features":[{"type":"Feature","properties":{"id":"c1","name":"Monte-Carlo"},"geometry":{"type":"Polygon",)"
    R"("coordinates":[[[7.420,43.735],[7.435,43.735],[7.435,43.745],[7.420,43.745],[7.420,43.735]]]}}]})";

struct Result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// A CSV yike wrote, without the UTF-8 byte-order mark every such file must start with.
[[maybe_unused]] std::string slurp_csv(const fs::path& p) {
    std::string text = slurp(p);
    if (text.rfind("\xEF\xBB\xBF", 0) != 0) {
        ADD_FAILURE() << p << ": does not start with the UTF-8 byte-order mark";
        return text;
    }
    return text.substr(3);
}

// The head of a standards file (doc/standards.md); its targets follow after a blank line.
[[maybe_unused]] std::string standard_head(const std::string& id, const std::string& name_zh, const std::string& name_en,
                                           const std::string& source) {
    return "schema_version = 1\nid = \"" + id + "\"\nname_zh = \"" + name_zh + "\"\nname_en = \"" + name_en +
           "\"\nsource = \"" + source + "\"\n";
}

// One [[target]] table of a test standard: `fields` are the "key = value" lines that differ between
// targets (kind, category, threshold, basis, share...), in TOML (strings in single quotes read best).
[[maybe_unused]] std::string target_toml(const std::string& id, const std::string& name_zh, const std::string& name_en,
                                         std::initializer_list<std::string> fields, const std::string& source = "test") {
    std::string toml = "\n[[target]]\nid = \"" + id + "\"\nname_zh = \"" + name_zh + "\"\nname_en = \"" + name_en + "\"\n";
    for (const auto& f : fields) toml += f + "\n";
    return toml + "source = \"" + source + "\"\nconfidence = \"S\"\n";
}

// True when the UTF-8 text holds a CJK character (ideographs, kana, CJK punctuation, full-width forms):
// how the language tests tell Chinese from English.
[[maybe_unused]] bool has_cjk(const std::string& text) {
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0xE0 || c >= 0xF0) continue;
        const unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
        if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF)) return true;
    }
    return false;
}

// Every file under a folder, by relative path, with its bytes.
std::map<std::string, std::string> folder_files(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            files[fs::relative(e.path(), dir).string()] = slurp(e.path());
        }
    }
    return files;
}

// Both folders hold the same files with the same bytes; names the first difference.
[[maybe_unused]] ::testing::AssertionResult same_folders(const fs::path& a, const fs::path& b) {
    const auto fa = folder_files(a);
    const auto fb = folder_files(b);
    for (const auto& [name, bytes] : fa) {
        const auto it = fb.find(name);
        if (it == fb.end()) return ::testing::AssertionFailure() << name << " only in " << a;
        if (it->second != bytes) return ::testing::AssertionFailure() << name << " differs";
    }
    for (const auto& [name, bytes] : fb) {
        if (fa.count(name) == 0) return ::testing::AssertionFailure() << name << " only in " << b;
    }
    return ::testing::AssertionSuccess() << fa.size() << " files";
}

class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() / ("yike-cli-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    Result run(const std::string& args) {
        const fs::path out = m_dir / "stdout.txt";
        const fs::path err = m_dir / "stderr.txt";
        const std::string cmd = yike + " " + args + " >" + out.string() + " 2>" + err.string();
        const int status = std::system(cmd.c_str());
        Result r;
        r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = slurp(out);
        r.err = slurp(err);
        return r;
    }
    fs::path path(const std::string& name) const { return m_dir / name; }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream(m_dir / name, std::ios::binary) << content;
    }
    // Files in the test folder other than the captured streams.
    int output_files() const {
        int n = 0;
        for (const auto& e : fs::directory_iterator(m_dir)) {
            const auto name = e.path().filename().string();
            if (name != "stdout.txt" && name != "stderr.txt") {
                ++n;
            }
        }
        return n;
    }

    fs::path m_dir;
};

// One line of a CSV yike wrote, split at the commas outside double quotes; the quotes are dropped
// (no field read by the tests holds an escaped quote).
[[maybe_unused]] std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (const char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) fields.emplace_back();
        else fields.back() += c;
    }
    return fields;
}

[[maybe_unused]] int lines(const std::string& s) {
    int n = 0;
    for (const char c : s) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

} // namespace
