// `yike batch FILE.toml`: many coverage runs in one command (engine/batch.hpp reads the file).
// Each run is a child process of this same binary (`yike batch FILE --run-item NAME`), so a run
// that fails — bad data, out of memory, a crash — is recorded and the others go on; the parent
// checks every run's inputs before starting any, schedules --jobs children, skips with --resume
// the runs whose report is up to date, and writes the combined table of all runs. Runs sharing an
// extract and walking profiles share one walking network: a child (`--build-network DIR`) reads it
// once into graph files in the batch's work folder, and the runs load those instead of the ways.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "coverage_options.hpp"
#include "tile_manifest.hpp"
#include "yike/engine/batch.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/standards.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/xlsx_writer.hpp"
#include "yike/io/profile.hpp"

extern char** environ;

namespace yike::cli {
namespace {

// In the report folder of every item: which batch item wrote it and the hash of its inputs and
// settings, for --resume. Written inside the report's atomic replacement, so a report folder
// either has the file of the run that wrote it or is the previous one.
constexpr const char* item_stamp = viz::batch_stamp_file; // written inside the report (viz/report.hpp)

struct BatchCli {
    std::string file;
    std::string out;
    unsigned jobs = 1;
    bool force = false;
    bool resume = false;
    std::string lang = "both"; // of batch.md (each run keeps its own)
    std::string run_item;  // hidden: run this one item (the child process)
    std::string item_hash; // hidden: the stamp the child writes
    unsigned run_threads = 0; // hidden: the child's threads when its run sets none
    std::string build_network;  // hidden: build the item's networks into this folder, run nothing
    std::string network_dir;    // hidden: the folder of the item's networks, built by the batch
};

std::string hex(std::uint64_t v) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
    return text;
}

std::string item_where(const engine::BatchFile& b, const engine::BatchItem& item) {
    return b.file.string() + ":" + std::to_string(item.line) + ": run '" + item.name + "'";
}

// ---- checking an item before anything runs --------------------------------------------------

// Fails with one line naming the batch file, the item and the key: inputs that do not exist, a
// standard, profile or category mapping that does not load. Cheap next to a run, so a batch with
// a typo stops before hours of work rather than after.
void check_item(const engine::BatchFile& b, const engine::BatchItem& item) {
    const auto& s = item.settings;
    const auto where = item_where(b, item);
    auto need = [&](const std::filesystem::path& p, const std::string& key) {
        std::error_code ec;
        if (!p.empty() && !std::filesystem::exists(p, ec)) {
            throw config_error(where + ": " + key + ": " + p.string() + ": file not found");
        }
    };
    need(s.osm, "osm");
    for (const auto& f : s.facility_layers) need(f.path, "facilities.path");
    if (s.demand_source != engine::DemandSource::estimate_from_buildings) need(s.demand_path, "demand.path");
    need(s.communities, "areas.communities");
    need(s.subdistricts, "areas.subdistricts");
    auto loads = [&](const std::string& key, const auto& load) {
        try {
            load();
        } catch (const error& e) {
            throw config_error(where + ": " + key + ": " + e.what());
        }
    };
    engine::CategoryMapping mapping;
    loads("category_mapping", [&] { mapping = engine::load_category_mapping(s.category_mapping); });
    loads("standard", [&] { (void)engine::load_standard(s.standard, mapping); });
    loads("walk_profile", [&] { (void)io::load_profile(s.walk_profile); });
    loads("senior_profile", [&] { (void)io::load_profile(s.senior_profile); });
}

// ---- the resume hash --------------------------------------------------------------------------

class InputHasher {
public:
    // The contents of a file (and of its sidecars: a shapefile's .dbf, .shx, .prj...).
    std::uint64_t file(const std::filesystem::path& p) {
        const auto key = p.lexically_normal().string();
        if (const auto it = m_files.find(key); it != m_files.end()) return it->second;
        std::uint64_t h = content(p);
        std::error_code ec;
        const auto dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
        std::vector<std::filesystem::path> sidecars;
        if (p.has_extension() && p.extension() != ".pbf" && p.extension() != ".toml") {
            for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
                if (e.path().stem() == p.stem() && e.path().filename() != p.filename() && e.is_regular_file()) {
                    sidecars.push_back(e.path());
                }
            }
        }
        std::sort(sidecars.begin(), sidecars.end());
        for (const auto& s : sidecars) {
            h = fnv1a(s.filename().string(), h);
            h = fnv1a(hex(content(s)), h);
        }
        m_files.emplace(key, h);
        return h;
    }

private:
    static std::uint64_t content(const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        if (!in) {
            return fnv1a("missing");
        }
        std::uint64_t h = fnv1a("");
        std::vector<char> buffer(1 << 20);
        while (in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            h = fnv1a(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())), h);
        }
        return h;
    }
    std::map<std::string, std::uint64_t> m_files;
};

// Every file the item reads, shipped data included (a standard by id is data/standards/ID.toml):
// the same list the output guard protects, and the scenario the item starts from.
std::vector<std::filesystem::path> item_inputs(const engine::BatchItem& item) {
    auto files = engine::input_files(item.settings);
    if (!item.scenario.empty() && std::find(files.begin(), files.end(), item.scenario) == files.end()) {
        files.push_back(item.scenario);
    }
    return files;
}

// The program itself is part of the settings: a rebuilt yike may compute other figures.
std::uint64_t program_hash(InputHasher& hasher) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? fnv1a("unknown program") : hasher.file(self);
}

std::uint64_t item_hash(const engine::BatchItem& item, InputHasher& hasher, std::uint64_t program) {
    std::uint64_t h = fnv1a("yike batch item 1\n");
    h = fnv1a(hex(program), h);
    h = fnv1a(item.definition, h);
    for (const auto& f : item_inputs(item)) {
        h = fnv1a(f.string() + "\n" + hex(hasher.file(f)) + "\n", h);
    }
    return h;
}

std::string stamp_text(const engine::BatchItem& item, const std::string& hash) {
    return "yike batch item\nname: " + item.name + "\nhash: " + hash + "\n";
}

bool up_to_date(const engine::BatchItem& item, const std::string& hash) {
    std::ifstream in(item.settings.out / item_stamp, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    std::error_code ec;
    return text.str() == stamp_text(item, hash) && std::filesystem::is_regular_file(item.settings.out / "summary.csv", ec);
}

// ---- running the items ------------------------------------------------------------------------

enum class Outcome { done, resumed, failed };

struct ItemRun {
    Outcome outcome = Outcome::failed;
    std::string error; // failed: the child's error line
    std::string log;   // what the child printed
    double seconds = 0;
};

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The child's one-line error, or how it ended.
std::string failure_of(const std::string& log, int status) {
    std::string last;
    std::istringstream is(log);
    for (std::string line; std::getline(is, line);) {
        if (line.starts_with("yike: error: ")) last = line.substr(13);
        else if (line.starts_with("yike: internal error: ")) last = line.substr(6);
    }
    if (WIFSIGNALED(status)) {
        return "killed by signal " + std::to_string(WTERMSIG(status)) + (last.empty() ? "" : " after: " + last);
    }
    if (!last.empty()) return last;
    return "exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

struct Child {
    std::size_t item = 0; // a run, or a shared network when `network`
    std::filesystem::path log;
    std::chrono::steady_clock::time_point start;
    bool network = false;
};

// The files of a shared network in its folder of the work area.
std::filesystem::path walk_network_file(const std::filesystem::path& dir) {
    return dir / "walk.ykg";
}
std::filesystem::path senior_network_file(const std::filesystem::path& dir) {
    return dir / "senior.ykg";
}

// Starts a child running `item` (or, with `build_dir`, building its networks into that folder);
// `network_dir`, when set, holds the networks the run loads.
pid_t spawn_item(const std::string& program, const engine::BatchFile& b, const engine::BatchItem& item,
                 const std::string& hash, const std::filesystem::path& log, bool force, unsigned threads,
                 const std::filesystem::path& build_dir = {}, const std::filesystem::path& network_dir = {}) {
    std::vector<std::string> args{program, "batch", b.file.string(), "--run-item", item.name, "--item-hash", hash};
    if (force) args.emplace_back("--force");
    if (threads > 0) {
        args.emplace_back("--run-threads");
        args.push_back(std::to_string(threads));
    }
    if (!build_dir.empty()) {
        args.emplace_back("--build-network");
        args.push_back(build_dir.string());
    }
    if (!network_dir.empty()) {
        args.emplace_back("--network-dir");
        args.push_back(network_dir.string());
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw io_error(program + ": cannot start a batch run: " + std::strerror(rc));
    }
    return pid;
}

// ---- the combined table -----------------------------------------------------------------------

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    bool any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            any = false;
        } else if (c != '\r') {
            field.push_back(c);
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

struct TableRow {
    std::string item, standard, target, achieved, required, status, uncovered;
};

// One row per target of an item's report, read from its summary.csv (the figures exactly as the
// report writes them) and the standard's id from summary.json.
std::vector<TableRow> report_rows(const engine::BatchItem& item) {
    const auto dir = item.settings.out;
    // The report's CSV starts with a byte-order mark (io::write_csv_file); older reports have none.
    const auto rows = parse_csv(std::string(io::strip_utf8_bom(read_file(dir / "summary.csv"))));
    if (rows.empty()) {
        throw data_error((dir / "summary.csv").string() + ": empty");
    }
    const auto& header = rows.front();
    auto column = [&](const std::string& name) -> std::optional<std::size_t> {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) return std::nullopt;
        return static_cast<std::size_t>(it - header.begin());
    };
    const auto id = column("target_id");
    const auto achieved = column("achieved");
    const auto required = column("required");
    const auto status = column("status");
    const auto uncovered = column("uncovered_households");
    if (!id || !achieved || !required || !status || !uncovered) {
        throw data_error((dir / "summary.csv").string() + ": not a coverage report's summary (columns missing)");
    }
    const auto standard_column = column("standard");
    std::string standard = item.settings.standard;
    try {
        const auto j = nlohmann::json::parse(read_file(dir / "summary.json"));
        if (j.contains("standard") && j["standard"].is_object() && j["standard"].contains("id")) {
            standard = j["standard"]["id"].get<std::string>();
        }
    } catch (const nlohmann::json::exception&) {
        // The standard as the batch file names it.
    }
    std::vector<TableRow> out;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& v = rows[r];
        auto at = [&](std::optional<std::size_t> c) { return c && *c < v.size() ? v[*c] : std::string(); };
        out.push_back({item.name, standard_column ? at(standard_column) : standard, at(id), at(achieved), at(required),
                       at(status), at(uncovered)});
    }
    return out;
}

std::string md_cell(std::string s) {
    std::string out;
    for (const char c : s) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out.push_back(c);
    }
    return out;
}

// Figures in batch.md are rounded for reading; batch.csv has them exactly.
std::string md_number(const std::string& s, int decimals) {
    if (s.empty()) return s;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0' || !std::isfinite(v)) return s;
    return fixed(v, decimals);
}

const char* outcome_text(Outcome o) {
    switch (o) {
    case Outcome::done: return "done";
    case Outcome::resumed: return "up to date";
    case Outcome::failed: return "failed";
    }
    return "";
}

// A walking network shared by the runs of one extract and pair of profiles.
struct SharedNetwork {
    std::vector<std::size_t> items; // the runs using it, in the file's order
    std::filesystem::path dir;      // its files in the work area
    enum class State { waiting, building, built, failed } state = State::waiting;
    std::string error; // failed: the builder's error line (its runs then read the extract themselves)
    std::string log;
};

// A target's status (summary.csv's id: pass, fail, ...) in Chinese for zh; batch.csv keeps the id.
std::string status_in(const std::string& status, engine::Language language) {
    if (language != engine::Language::zh) return status;
    static const std::map<std::string, std::string> zh = {
        {"pass", "达标"},          {"fail", "未达标"},        {"report_only", "仅报告"}, {"not_assessable", "无法评估"},
        {"no_data", "无数据"},     {"no_demand", "无需求"},   {"failed", "运行失败"}};
    const auto it = zh.find(status);
    return it == zh.end() ? status : it->second;
}

// batch.md in the language of --lang: zh Chinese, en and both the English it always had.
void write_tables(const std::filesystem::path& dir, const engine::BatchFile& b, const std::vector<ItemRun>& runs,
                  const std::vector<SharedNetwork>& networks, engine::Language language) {
    auto W = [&](const std::string& zh, const std::string& en) { return language == engine::Language::zh ? zh : en; };
    std::string csv = io::csv_row({"item", "standard", "target", "achieved", "required", "status", "uncovered_households"});
    std::string items_csv = io::csv_row({"item", "out", "result", "error"});
    std::string md_rows;
    std::string md_items;
    // batch.xlsx: the same rows for Excel/WPS, figures as numbers (batch.csv holds their exact text).
    io::XlsxSheet sheet{"批量 batch",
                        {"运行 item", "标准 standard", "目标 target", "达到 achieved", "要求 required", "结果 status",
                         "未覆盖户数 uncovered households"},
                        {},
                        {16, 18, 34, 12, 12, 16, 16}};
    auto number_cell = [](const std::string& text) -> io::XlsxCell {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end == text.c_str() || *end != '\0' || !std::isfinite(v)) return text;
        return v;
    };
    std::size_t failed = 0;
    std::size_t resumed = 0;
    for (std::size_t i = 0; i < b.items.size(); ++i) {
        const auto& item = b.items[i];
        auto run = runs[i];
        std::vector<TableRow> rows;
        if (run.outcome != Outcome::failed) {
            try {
                rows = report_rows(item);
            } catch (const error& e) {
                run.outcome = Outcome::failed;
                run.error = e.what();
            }
        }
        if (run.outcome == Outcome::failed) {
            ++failed;
            rows.push_back({item.name, item.settings.standard, "", "", "", "failed", ""});
        }
        resumed += run.outcome == Outcome::resumed ? 1 : 0;
        for (const auto& r : rows) {
            csv += io::csv_row({r.item, r.standard, r.target, r.achieved, r.required, r.status, r.uncovered});
            sheet.rows.push_back({r.item, r.standard, r.target, number_cell(r.achieved), number_cell(r.required), r.status,
                                  number_cell(r.uncovered)});
            md_rows += "| " + md_cell(r.item) + " | " + md_cell(r.standard) + " | " + md_cell(r.target) + " | " +
                       md_number(r.achieved, 4) + " | " + md_number(r.required, 4) + " | " + md_cell(status_in(r.status, language)) + " | " +
                       md_number(r.uncovered, 0) + " |\n";
        }
        items_csv += io::csv_row({item.name, item.settings.out.string(), outcome_text(run.outcome), run.error});
        md_items += "| " + md_cell(item.name) + " | " + md_cell(item.settings.out.string()) + " | " +
                    (run.outcome == Outcome::done      ? W("完成", "done")
                     : run.outcome == Outcome::resumed ? W("已是最新", "up to date")
                                                       : W("失败", "failed")) +
                    " | " + md_cell(run.error) + " |\n";
    }
    const std::string all = std::to_string(b.items.size());
    const std::string reported = std::to_string(b.items.size() - failed);
    std::string md = W("# yike 批量运行：", "# yike batch: ") + b.file.filename().string() + "\n\n" +
                     W("共 " + all + " 个运行：" + reported + " 个有报告（其中 " + std::to_string(resumed) + " 个已是最新，未重算），" +
                           std::to_string(failed) + " 个失败。\n\n",
                       all + " run(s): " + reported + " with a report (" + std::to_string(resumed) +
                           " up to date, not rerun), " + std::to_string(failed) + " failed.\n\n");
    md += W("| 运行 | 标准 | 目标 | 达到 | 要求 | 结果 | 未覆盖户数 |\n",
            "| item | standard | target | achieved | required | status | uncovered households |\n") +
          "|---|---|---|---:|---:|---|---:|\n" + md_rows;
    md += W("\n## 各次运行\n\n| 运行 | 报告 | 结果 | 错误 |\n", "\n## Runs\n\n| item | report | result | error |\n") +
          "|---|---|---|---|\n" + md_items;
    if (!networks.empty()) {
        // Which runs shared a network: the extract was read for the network once per row here.
        md += W("\n## 共用的步行路网\n\n同一 OSM 数据、同样步行配置的运行共用一个路网，只从数据中读取一次：\n\n"
                "| OSM 数据 | 步行配置 | 运行 | 路网 |\n",
                "\n## Shared walking networks\n\nRuns of one extract and the same walking profiles load one network, "
                "read from the extract once:\n\n| extract | profiles | runs | network |\n") +
              "|---|---|---|---|\n";
        for (const auto& net : networks) {
            const auto& s = b.items[net.items.front()].settings;
            std::string names;
            for (const auto i : net.items) {
                if (!names.empty()) names += ", ";
                names += b.items[i].name;
            }
            md += "| " + md_cell(s.osm.string()) + " | " + md_cell(s.walk_profile + ", " + s.senior_profile) + " | " +
                  md_cell(names) + " | " +
                  (net.state == SharedNetwork::State::built
                       ? W("读取一次", "read once")
                       : md_cell(W("未建成（" + net.error + "）：各运行自行读取数据",
                                   "not built (" + net.error + "): each run read the extract itself"))) +
                  " |\n";
        }
    }
    md += W("\n精确数值见 batch.csv；各次运行的 `yike` 输出见 logs/ITEM.log。\n",
            "\nExact figures in batch.csv; each run's output of `yike` in logs/ITEM.log.\n");
    io::write_csv_file(dir / "batch.csv", csv);
    io::write_csv_file(dir / "items.csv", items_csv);
    io::write_text_file(dir / "batch.md", md);
    io::write_xlsx_file(dir / "batch.xlsx", {sheet});
}

// A run's settings as the run uses them: --force passed on, the batch file an input of the run.
engine::CoverageSettings item_settings(const engine::BatchFile& b, const engine::BatchItem& item, bool force) {
    engine::CoverageSettings s = item.settings;
    s.force_out = force;
    if (s.scenario.empty()) s.scenario = b.file;
    return s;
}

// The table folder may replace only what yike wrote, and never a folder holding any run's input.
io::OutputGuard table_guard(const engine::BatchFile& b, bool force) {
    io::OutputGuard guard{force, {b.file}};
    for (const auto& item : b.items) {
        const auto more = engine::input_files(item.settings);
        guard.inputs.insert(guard.inputs.end(), more.begin(), more.end());
    }
    return guard;
}

// ---- the two modes ----------------------------------------------------------------------------

int run_one_item(const BatchCli& c) {
    const auto b = engine::load_batch(c.file);
    const auto it = std::find_if(b.items.begin(), b.items.end(), [&](const auto& i) { return i.name == c.run_item; });
    if (it == b.items.end()) {
        throw usage_error("--run-item " + c.run_item + ": no such run in " + c.file);
    }
    auto s = item_settings(b, *it, c.force);
    if (!c.build_network.empty()) {
        const std::filesystem::path dir(c.build_network);
        message("reading the walking networks of " + s.osm.string() + " (profiles " + s.walk_profile + ", " +
                s.senior_profile + ") once for the batch");
        engine::save_coverage_networks(s, walk_network_file(dir), senior_network_file(dir));
        return 0;
    }
    if (!c.network_dir.empty()) {
        s.walk_network_file = walk_network_file(c.network_dir);
        s.senior_network_file = senior_network_file(c.network_dir);
        message("walking networks of " + s.osm.string() + ": read once by the batch, loaded from " + c.network_dir);
    }
    const auto stamp = stamp_text(*it, c.item_hash);
    // Threads change no figure (reports are byte-identical across thread counts), only the speed.
    if (s.threads == 0 && c.run_threads > 0) s.threads = c.run_threads;
    run_coverage_report(s, stamp);
    return 0;
}

int run_batch(const BatchCli& c) {
    if (c.out.empty()) {
        throw usage_error("give the folder of the combined table with --out DIR");
    }
    if (c.jobs < 1 || c.jobs > 256) {
        throw usage_error("--jobs: between 1 and 256");
    }
    const std::filesystem::path out(c.out);
    const auto parent = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(parent)) {
        throw usage_error("--out " + out.string() + ": folder '" + parent.string() + "' does not exist");
    }
    const auto parsed = engine::parse_language(c.lang);
    if (!parsed) throw usage_error("--lang: zh, en or both, not '" + c.lang + "'");
    const engine::Language language = *parsed;
    const auto b = engine::load_batch(c.file);
    // The table folder is replaced whole; it must not be, hold or lie in a run's report folder.
    const auto mine = std::filesystem::absolute(out).lexically_normal();
    for (const auto& item : b.items) {
        const auto theirs = std::filesystem::absolute(item.settings.out).lexically_normal();
        const auto a = mine.string() + "/";
        const auto t = theirs.string() + "/";
        if (a.starts_with(t) || t.starts_with(a)) {
            throw usage_error("--out " + out.string() + ": overlaps the report folder of run '" + item.name + "' (" +
                              item.settings.out.string() + ")");
        }
    }
    const io::OutputGuard guard = table_guard(b, c.force);
    io::check_output_folder(out, guard);
    for (const auto& item : b.items) {
        check_item(b, item);
        // Before any run: a report folder the run may not replace fails the batch at once.
        const auto s = item_settings(b, item, c.force);
        io::check_output_folder(s.out, engine::output_guard(s));
    }

    InputHasher hasher;
    const auto program_id = program_hash(hasher);
    std::vector<std::string> hashes;
    for (const auto& item : b.items) {
        hashes.push_back(hex(item_hash(item, hasher, program_id)));
    }

    std::error_code ec;
    const auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        throw io_error("/proc/self/exe: cannot find the yike program to run the items: " + ec.message());
    }
    // The children's output, until it goes into the table folder's logs/.
    const char* tmp = std::getenv("TMPDIR");
    std::string log_template = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/yike-batch.XXXXXX";
    if (::mkdtemp(log_template.data()) == nullptr) {
        throw io_error(log_template + ": cannot create a folder for the runs' logs");
    }
    const std::filesystem::path logs(log_template);
    struct RemoveLogs {
        std::filesystem::path dir;
        ~RemoveLogs() {
            std::error_code e;
            std::filesystem::remove_all(dir, e);
        }
    } remove_logs{logs};

    const std::size_t n = b.items.size();
    // --jobs runs share the cores: a run that sets no threads gets its share rather than all of
    // them, so N runs do not each start a thread per core.
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const unsigned threads_per_run = c.jobs > 1 ? std::max(1U, cores / c.jobs) : 0U;
    auto tag = [&](std::size_t i) {
        return "[" + std::to_string(i + 1) + "/" + std::to_string(n) + "] " + b.items[i].name;
    };
    message("batch " + b.file.string() + ": " + std::to_string(n) + " run(s), " + std::to_string(c.jobs) + " at a time");
    std::vector<ItemRun> runs(n);
    std::vector<std::size_t> queue;
    for (std::size_t i = 0; i < n; ++i) {
        if (c.resume && up_to_date(b.items[i], hashes[i])) {
            runs[i].outcome = Outcome::resumed;
            message(tag(i) + ": up to date, not rerun (" + b.items[i].settings.out.string() + ")");
        } else {
            queue.push_back(i);
        }
    }
    // Runs to be run that share an extract and both walking profiles share one network, built
    // once by a child of its own before they start (a child, so that a failure or running out of
    // memory while reading ends no run: the runs of a network not built read the extract
    // themselves, each failing or not on its own). A run alone on its extract reads it itself.
    std::vector<SharedNetwork> networks;
    std::vector<std::optional<std::size_t>> network_of(n);
    {
        std::map<std::string, std::vector<std::size_t>> by_key;
        std::vector<std::string> keys; // in the order of their first run
        for (const std::size_t i : queue) {
            const auto& s = b.items[i].settings;
            const auto key = std::filesystem::absolute(s.osm).lexically_normal().string() + "\n" + s.walk_profile +
                             "\n" + s.senior_profile + "\n" +
                             (s.dem.empty() ? std::string() : std::filesystem::absolute(s.dem).lexically_normal().string());
            auto& items = by_key[key];
            if (items.empty()) keys.push_back(key);
            items.push_back(i);
        }
        for (const auto& key : keys) {
            const auto& items = by_key[key];
            if (items.size() < 2) continue;
            SharedNetwork net;
            net.items = items;
            net.dir = logs / "networks" / std::to_string(networks.size() + 1);
            std::filesystem::create_directories(net.dir);
            for (const auto i : items) network_of[i] = networks.size();
            networks.push_back(std::move(net));
        }
    }
    auto network_tag = [&](std::size_t k) {
        return "[network " + std::to_string(k + 1) + "/" + std::to_string(networks.size()) + "] " +
               b.items[networks[k].items.front()].settings.osm.filename().string();
    };

    std::map<pid_t, Child> running;
    std::vector<bool> started(queue.size(), false);
    std::size_t left = queue.size();
    // The next run that can start (its network built, failed or none), starting a network's build
    // on the way when its first run comes up; nothing when every waiting run waits for a build.
    auto start_next = [&]() -> bool {
        for (std::size_t q = 0; q < queue.size(); ++q) {
            if (started[q]) continue;
            const std::size_t i = queue[q];
            if (network_of[i]) {
                auto& net = networks[*network_of[i]];
                if (net.state == SharedNetwork::State::building) continue;
                if (net.state == SharedNetwork::State::waiting) {
                    const std::size_t k = *network_of[i];
                    const auto log = net.dir / "build.log";
                    const pid_t pid = spawn_item(program.string(), b, b.items[i], hashes[i], log, c.force, 0, net.dir);
                    running.emplace(pid, Child{k, log, std::chrono::steady_clock::now(), true});
                    net.state = SharedNetwork::State::building;
                    message(network_tag(k) + ": reading the walking network once for " +
                            std::to_string(net.items.size()) + " runs");
                    return true;
                }
            }
            started[q] = true;
            --left;
            const auto log = logs / (b.items[i].name + ".log");
            // Runs usually write side by side under one folder; create it rather than fail every run.
            auto item_out = b.items[i].settings.out;
            if (!item_out.has_filename()) item_out = item_out.parent_path(); // "out/a/" is the folder "out/a"
            if (item_out.has_parent_path()) {
                std::filesystem::create_directories(item_out.parent_path(), ec);
            }
            const bool shared = network_of[i] && networks[*network_of[i]].state == SharedNetwork::State::built;
            const pid_t pid = spawn_item(program.string(), b, b.items[i], hashes[i], log, c.force, threads_per_run, {},
                                         shared ? networks[*network_of[i]].dir : std::filesystem::path());
            running.emplace(pid, Child{i, log, std::chrono::steady_clock::now(), false});
            message(tag(i) + ": started" + (shared ? " (shared network " + std::to_string(*network_of[i] + 1) + ")" : ""));
            return true;
        }
        return false;
    };
    while (left > 0 || !running.empty()) {
        while (running.size() < c.jobs && start_next()) {
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            throw io_error(std::string("waiting for the batch runs: ") + std::strerror(errno));
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const Child child = it->second;
        running.erase(it);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - child.start).count();
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (child.network) {
            auto& net = networks[child.item];
            net.log = read_file(child.log);
            net.state = ok ? SharedNetwork::State::built : SharedNetwork::State::failed;
            if (!ok) net.error = failure_of(net.log, status);
            message(network_tag(child.item) + ": " +
                    (ok ? "read once in " + fixed(seconds, 1) + " s"
                        : "FAILED in " + fixed(seconds, 1) + " s: " + net.error + "; its runs read the extract themselves"));
            continue;
        }
        auto& run = runs[child.item];
        run.seconds = seconds;
        run.log = read_file(child.log);
        run.outcome = ok ? Outcome::done : Outcome::failed;
        if (!ok) run.error = failure_of(run.log, status);
        message(tag(child.item) + ": " + (ok ? "done" : "FAILED") + " in " + fixed(run.seconds, 1) + " s" +
                (ok ? "" : ": " + run.error));
    }

    io::write_output_folder(out, "yike batch table", guard, [&](const std::filesystem::path& dir) {
        write_tables(dir, b, runs, networks, language);
        std::filesystem::create_directory(dir / "logs");
        for (std::size_t i = 0; i < n; ++i) {
            if (runs[i].outcome != Outcome::resumed) {
                io::write_text_file(dir / "logs" / (b.items[i].name + ".log"), runs[i].log);
            }
        }
        // Not ITEM.log: a folder cannot clash with a run's name.
        if (!networks.empty()) std::filesystem::create_directory(dir / "logs" / "networks");
        for (std::size_t k = 0; k < networks.size(); ++k) {
            io::write_text_file(dir / "logs" / "networks" / (std::to_string(k + 1) + ".log"), networks[k].log);
        }
    });
    const auto failed = static_cast<std::size_t>(
        std::count_if(runs.begin(), runs.end(), [](const ItemRun& r) { return r.outcome == Outcome::failed; }));
    message("batch: " + std::to_string(n - failed) + " of " + std::to_string(n) + " run(s) with a report, " +
            std::to_string(failed) + " failed; table: " + (out / "batch.md").string());
    return failed == 0 ? 0 : 1;
}

} // namespace

Command add_batch_command(CLI::App& app) {
    auto c = std::make_shared<BatchCli>();
    auto* cmd = app.add_subcommand("batch", "many coverage runs from a batch file ([[run]] tables), with a combined table");
    cmd->add_option("file", c->file, "batch file (TOML): [[run]] tables with name, out and scenario keys")->required();
    cmd->add_option("--out", c->out, "folder for the combined table (batch.csv, batch.md, items.csv, logs/)");
    cmd->add_option("-j,--jobs", c->jobs, "runs at a time, each in its own process (default 1)");
    add_force_option(*cmd, c->force);
    cmd->add_flag("--resume", c->resume, "skip runs whose report exists with the same inputs and settings");
    cmd->add_option("--lang", c->lang, "language of batch.md: zh, en or both (default; English words); each run keeps its own");
    cmd->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    cmd->add_option("--run-item", c->run_item)->group("");  // the child process of one run
    cmd->add_option("--item-hash", c->item_hash)->group("");
    cmd->add_option("--run-threads", c->run_threads)->group("");
    cmd->add_option("--build-network", c->build_network)->group("");
    cmd->add_option("--network-dir", c->network_dir)->group("");
    return {cmd, [c] { return c->run_item.empty() ? run_batch(*c) : run_one_item(*c); }};
}

} // namespace yike::cli
