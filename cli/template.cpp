// `yike template facilities|households|communities --out FILE.xlsx|FILE.csv`: an empty input sheet
// with the columns yike reads (viz/templates.hpp), for a street office to fill in.
#include <filesystem>
#include <memory>
#include <string>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "yike/engine/categories.hpp"
#include "yike/viz/templates.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/xlsx_writer.hpp"

namespace yike::cli {
namespace {

struct TemplateCli {
    std::string kind;
    std::string out;
    std::string lang = "both";
    bool force = false;
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
}

std::string csv_of(const io::XlsxSheet& sheet) {
    std::string out = io::csv_row(sheet.header);
    for (const auto& row : sheet.rows) {
        std::vector<std::string> fields;
        for (const auto& cell : row) {
            if (const auto* s = std::get_if<std::string>(&cell)) fields.push_back(*s);
            else if (const auto* d = std::get_if<double>(&cell)) fields.push_back(io::format_number(*d));
            else fields.emplace_back();
        }
        out += io::csv_row(fields);
    }
    return out;
}

void run_template(const TemplateCli& o) {
    const auto kind = viz::parse_template_kind(o.kind);
    if (!kind) throw usage_error("template: unknown kind '" + o.kind + "' (facilities, households or communities)");
    const auto language = engine::parse_language(o.lang);
    if (!language) throw usage_error("--lang: zh, en or both, not '" + o.lang + "'");
    const std::filesystem::path out = o.out;
    const std::string ext = lower(out.extension().string());
    if (ext != ".xlsx" && ext != ".csv") throw usage_error(out.string() + ": a template is written as .xlsx or .csv");
    const auto t = viz::input_template(*kind, engine::load_category_mapping(), *language);
    std::filesystem::path categories_csv = out;
    categories_csv.replace_filename(out.stem().string() + ".categories.csv");
    // A sheet someone has filled in is never overwritten by an empty one without --force.
    std::error_code ec;
    for (const auto& p : {out, categories_csv}) {
        if (p == categories_csv && (ext != ".csv" || !t.categories)) continue;
        if (!o.force && std::filesystem::exists(p, ec))
            throw data_error(p.string() + ": exists (a filled-in sheet?); give another --out, or --force to replace it");
    }
    if (ext == ".xlsx") {
        std::vector<io::XlsxSheet> sheets{t.input, t.fields};
        if (t.categories) sheets.push_back(*t.categories);
        io::write_xlsx_file(out, sheets);
        message("template: " + out.string() + " (sheets: " + t.input.name + ", " + t.fields.name +
                (t.categories ? ", " + t.categories->name : std::string()) + ")");
    } else {
        io::write_csv_file(out, csv_of(t.input));
        if (t.categories) io::write_csv_file(categories_csv, csv_of(*t.categories));
        message("template: " + out.string() + (t.categories ? ", categories: " + categories_csv.string() : std::string()));
    }
}

} // namespace

Command add_template_command(CLI::App& app) {
    const auto [cmd, o] = add_subcommand<TemplateCli>(app, "template", "write an empty input sheet (facilities, households or communities) to fill in");
    cmd->add_option("kind", o->kind, "facilities, households or communities")->required();
    cmd->add_option("--out", o->out, "the sheet: FILE.xlsx (with a sheet explaining the columns and, for facilities, the "
                                      "categories) or FILE.csv (facilities: categories in FILE.categories.csv)")
        ->required();
    cmd->add_option("--lang", o->lang, "language of the headers: zh, en or both (default)");
    cmd->add_flag("--force", o->force, "replace an existing file");
    cmd->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return runs(cmd, o, run_template);
}

} // namespace yike::cli
