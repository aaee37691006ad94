#include "yike/io/batch.hpp"

#include <algorithm>
#include <sstream>

#include "detail/scenario_table.hpp"
#include "detail/toml_reader.hpp"
#include "yike/error.hpp"

namespace yike::io {

namespace {

bool valid_name(const std::string& name) {
    // The name becomes a log file's name and a column of the combined table.
    return !name.empty() && name.size() <= 100 && name != "." && name != ".." &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
           });
}

// True when `inner` is `outer` or lies inside it (both absolute and normal).
bool within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
        if (o->empty()) continue; // a trailing separator
        if (i == inner.end() || *i != *o) return false;
    }
    return true;
}

// The folder a path names, comparable with another's: absolute, symbolic links resolved as far
// as they exist, no trailing separator ("x/" and "./x" are "x").
std::filesystem::path comparable(const std::filesystem::path& p) {
    std::error_code ec;
    auto c = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ec);
    if (ec) c = std::filesystem::absolute(p).lexically_normal();
    return c.has_filename() ? c : c.parent_path();
}

} // namespace

BatchFile load_batch(const std::filesystem::path& file) {
    const toml::table root = detail::read_toml_file(file, "batch file");
    const detail::TomlReader reader(file, detail::KeyStyle::bare);
    if (const auto unknown = detail::TomlReader::first_unknown(root, {"run"})) {
        reader.fail(unknown->node, "unknown key '" + std::string(unknown->key) + "' (a batch file holds [[run]] tables)");
    }
    const auto* runs = root.get("run") != nullptr ? root.get("run")->as_array() : nullptr;
    if (runs == nullptr || runs->empty()) {
        throw config_error(reader.where(nullptr) + ": no [[run]] table");
    }
    BatchFile batch;
    batch.file = file;
    const auto dir = file.parent_path();
    for (const auto& node : *runs) {
        const auto* t = node.as_table();
        if (t == nullptr) {
            throw config_error(reader.where(&node) + ": each run must be a [[run]] table");
        }
        BatchItem item;
        item.line = static_cast<std::uint32_t>(detail::TomlReader::line_of(*t));
        const auto where = reader.where(t);
        const auto* name = t->get("name");
        if (name == nullptr || !name->is_string()) {
            throw config_error(where + ": a [[run]] needs name = \"...\"");
        }
        item.name = name->value<std::string>().value_or("");
        if (!valid_name(item.name)) {
            throw config_error(reader.where(name) + ": run name '" + item.name +
                               "': use letters, digits, '.', '_' and '-' only");
        }
        const std::string context = "run '" + item.name + "'";
        for (const auto& other : batch.items) {
            if (other.name == item.name) {
                throw config_error(where + ": " + context + ": name used twice (also line " +
                                   std::to_string(other.line) + ")");
            }
        }
        if (const auto* scenario = t->get("scenario")) {
            const auto text = scenario->value<std::string>();
            if (!text || text->empty()) {
                throw config_error(reader.where(scenario) + ": " + context + ": scenario must be a file name");
            }
            const std::filesystem::path p(*text);
            item.scenario = (p.is_absolute() ? p : dir / p).lexically_normal();
            std::error_code ec;
            if (!std::filesystem::is_regular_file(item.scenario, ec)) {
                throw config_error(reader.where(scenario) + ": " + context + ": scenario: " +
                                   item.scenario.string() + ": file not found");
            }
            try {
                item.settings = load_scenario(item.scenario);
            } catch (const error& e) {
                throw config_error(where + ": " + context + ": scenario: " + e.what());
            }
            item.settings.out.clear(); // the item names its own folder
        }
        if (!t->contains("out")) {
            throw config_error(where + ": " + context + ": missing key 'out'");
        }
        detail::apply_scenario_table(*t, file, dir, context, {"name", "scenario"}, item.settings);
        if (item.settings.osm.empty()) {
            throw config_error(where + ": " + context + ": missing key 'osm' (or a scenario naming one)");
        }
        toml::table definition = *t;
        definition.erase("name");
        definition.erase("out");
        std::ostringstream os;
        os << toml::toml_formatter{definition};
        item.definition = os.str();
        batch.items.push_back(std::move(item));
    }
    // Items replace their folders whole: two items writing one folder, or one inside another's,
    // would destroy each other's reports.
    for (std::size_t i = 0; i < batch.items.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            const auto& a = batch.items[j];
            const auto& b = batch.items[i];
            const auto pa = comparable(a.settings.out);
            const auto pb = comparable(b.settings.out);
            const auto where = reader.where(static_cast<int>(b.line)) + ": run '" + b.name + "': out '" +
                               b.settings.out.string() + "'";
            if (pa == pb) {
                throw config_error(where + " is also the folder of run '" + a.name + "' (line " +
                                   std::to_string(a.line) + ")");
            }
            if (within(pb, pa) || within(pa, pb)) {
                throw config_error(where + (within(pb, pa) ? " lies inside" : " holds") + " the folder of run '" +
                                   a.name + "' ('" + a.settings.out.string() + "', line " + std::to_string(a.line) +
                                   "); a report folder is replaced whole");
            }
        }
    }
    return batch;
}

} // namespace yike::io
