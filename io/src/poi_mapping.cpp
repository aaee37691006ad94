#include "yike/io/poi_mapping.hpp"

#include <algorithm>
#include <fstream>

#include "detail/toml_reader.hpp"
#include "yike/error.hpp"
#include "yike/io/profile.hpp"

namespace yike::io {

namespace {

std::vector<std::string> split(std::string_view text, std::string_view separators) {
    std::vector<std::string> out;
    std::string part;
    for (const char c : text) {
        if (separators.find(c) != std::string_view::npos) {
            out.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    out.push_back(part);
    for (auto& p : out) {
        p.erase(0, p.find_first_not_of(" \t"));
        p.erase(p.find_last_not_of(" \t\r") + 1);
    }
    return out;
}

bool contains_any(std::string_view text, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return text.find(p) != std::string_view::npos; });
}

// Does a rule's class cover a POI's class?
bool covers(bool amap, const std::string& rule_class, const std::string& key) {
    if (amap) {
        if (key.size() != 6) return false;
        if (rule_class.ends_with("0000")) return key.compare(0, 2, rule_class, 0, 2) == 0;
        if (rule_class.ends_with("00")) return key.compare(0, 4, rule_class, 0, 4) == 0;
        return key == rule_class;
    }
    if (rule_class.find('/') != std::string::npos) return key == rule_class;
    return key == rule_class || (key.size() > rule_class.size() && key.starts_with(rule_class) && key[rule_class.size()] == '/');
}

std::vector<std::vector<std::string>> read_tsv(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw io_error(file.string() + ": POI class table not found");
    }
    std::vector<std::vector<std::string>> rows;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (header || line.empty()) {
            header = false;
            continue;
        }
        rows.push_back(split(line, "\t"));
    }
    return rows;
}

class RuleParser {
public:
    RuleParser(std::filesystem::path file, const CategoryMapping& categories, const PoiMapping& table)
        : m_toml(std::move(file), detail::KeyStyle::quoted), m_categories(categories), m_table(table) {}

    std::vector<PoiRule> parse(const toml::table& root, const std::string& provider) {
        std::vector<PoiRule> rules;
        for (const auto& [key, node] : root) {
            if (key.str() == "schema_version") {
                if (node.value<std::int64_t>() != 1) fail(node, "schema_version must be 1");
            } else if (key.str() == "provider") {
                if (node.value<std::string>() != provider) {
                    fail(node, "provider must be \"" + provider + "\" in this file");
                }
            } else if (key.str() == "rule") {
                const auto* array = node.as_array();
                if (array == nullptr || !array->is_array_of_tables()) fail(node, "'rule' must be an array of tables ([[rule]])");
                for (const auto& element : *array) rules.push_back(parse_rule(*element.as_table(), provider == "amap"));
            } else {
                fail(node, "unknown key '" + std::string(key.str()) + "' (expected schema_version, provider or [[rule]])");
            }
        }
        if (root.find("schema_version") == root.end()) fail(root, "missing schema_version");
        if (root.find("provider") == root.end()) fail(root, "missing provider");
        if (rules.empty()) fail(root, "no [[rule]] entries");
        return rules;
    }

private:
    detail::TomlReader m_toml;
    const CategoryMapping& m_categories;
    const PoiMapping& m_table;

    [[noreturn]] void fail(const toml::node& node, const std::string& message) const { m_toml.fail(node, message); }

    std::vector<std::string> strings(const toml::node& node, std::string_view key) const {
        const auto* array = node.as_array();
        if (array == nullptr) fail(node, "'" + std::string(key) + "' must be an array of strings");
        std::vector<std::string> out;
        for (const auto& e : *array) {
            const auto v = e.value<std::string>();
            if (!v || v->empty()) fail(e, "'" + std::string(key) + "' must hold non-empty strings");
            out.push_back(*v);
        }
        return out;
    }

    PoiRule parse_rule(const toml::table& t, bool amap) const {
        PoiRule r;
        r.line = detail::TomlReader::line_of(t);
        for (const auto& [key_node, node] : t) {
            const std::string_view key = key_node.str();
            if (key == "category") {
                r.category = node.value<std::string>().value_or("");
                if (!m_categories.contains(r.category)) {
                    fail(node, "unknown category '" + r.category + "' (not in " + m_categories.source().string() + ")");
                }
            } else if (key == "classes") {
                r.classes = strings(node, key);
                for (const auto& c : r.classes) {
                    if (!m_table.knows(c)) {
                        fail(node, "class '" + c + "' is not in the " + std::string(amap ? "AMap typecode" : "Baidu industry") +
                                       " table");
                    }
                }
            } else if (key == "name_patterns") {
                r.name_patterns = strings(node, key);
            } else if (key == "name_exclude") {
                r.name_exclude = strings(node, key);
            } else if (key == "note") {
                r.note = node.value<std::string>().value_or("");
            } else {
                fail(node, "unknown key '" + std::string(key) + "' in [[rule]]");
            }
        }
        if (r.category.empty()) fail(t, "[[rule]] without category");
        if (r.classes.empty()) fail(t, "[[rule]] for '" + r.category + "' without classes");
        return r;
    }
}; // class RuleParser

} // namespace

PoiMapping::PoiMapping(std::string provider, std::filesystem::path source, std::vector<PoiRule> rules,
                       std::map<std::string, std::string, std::less<>> class_names,
                       std::map<std::string, std::string, std::less<>> type_codes)
    : m_provider(std::move(provider)), m_source(std::move(source)), m_rules(std::move(rules)),
      m_class_names(std::move(class_names)), m_type_codes(std::move(type_codes)) {}

PoiClasses PoiMapping::classes_of(const PoiRecord& poi) const {
    PoiClasses out;
    auto add = [](std::vector<std::string>& v, std::string s) {
        if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
    };
    if (m_provider == "amap") {
        for (std::string code : poi.codes) {
            // A spreadsheet that took the column for numbers dropped the leading zero (60200).
            if (code.size() == 5 && code.find_first_not_of("0123456789") == std::string::npos) code.insert(0, "0");
            add(knows(code) ? out.known : out.unknown, code);
        }
        if (poi.codes.empty()) {
            for (const auto& type : poi.types) {
                auto parts = split(type, ";");
                std::string found;
                while (!parts.empty() && found.empty()) {
                    std::string key;
                    for (std::size_t i = 0; i < parts.size(); ++i) key += (i == 0 ? "" : ";") + parts[i];
                    if (const auto it = m_type_codes.find(key); it != m_type_codes.end()) found = it->second;
                    parts.pop_back();
                }
                add(found.empty() ? out.unknown : out.known, found.empty() ? type : found);
            }
        }
        return out;
    }
    for (const auto& type : poi.types) {
        const auto parts = split(type, ";/,");
        const std::string both = parts.size() >= 2 ? parts[0] + "/" + parts[1] : "";
        if (!both.empty() && knows(both)) {
            add(out.known, both);
        } else if (!parts.empty() && knows(parts[0])) {
            add(out.known, parts[0]);
        } else {
            add(out.unknown, type);
        }
    }
    return out;
}

std::vector<std::string> PoiMapping::categories_of(const std::vector<std::string>& classes, std::string_view name) const {
    std::vector<std::string> out;
    const bool amap = m_provider == "amap";
    for (const auto& rule : m_rules) {
        if (std::find(out.begin(), out.end(), rule.category) != out.end()) continue;
        const bool in_class = std::any_of(rule.classes.begin(), rule.classes.end(), [&](const std::string& c) {
            return std::any_of(classes.begin(), classes.end(), [&](const std::string& k) { return covers(amap, c, k); });
        });
        if (!in_class) continue;
        if (!rule.name_patterns.empty() && !contains_any(name, rule.name_patterns)) continue;
        if (contains_any(name, rule.name_exclude)) continue;
        out.push_back(rule.category);
    }
    return out;
}

std::string PoiMapping::class_label(const std::string& key) const {
    const auto it = m_class_names.find(key);
    if (it == m_class_names.end() || m_provider != "amap") return key;
    return key + " " + it->second;
}

PoiMapping load_poi_mapping(const std::string& provider, const CategoryMapping& categories, const std::filesystem::path& path) {
    if (provider != "amap" && provider != "baidu") {
        throw config_error("unknown POI format '" + provider + "' (amap or baidu)");
    }
    const auto dir = data_dir() / "categories";
    const auto file = path.empty() ? dir / (provider + ".toml") : path;
    std::map<std::string, std::string, std::less<>> names;
    std::map<std::string, std::string, std::less<>> type_codes;
    if (provider == "amap") {
        for (const auto& row : read_tsv(dir / "poi-types" / "amap-typecodes.tsv")) {
            if (row.size() < 4) continue;
            const std::string& code = row[0];
            names.emplace(code, row[1] + ";" + row[2] + ";" + row[3]);
            type_codes.emplace(row[1] + ";" + row[2] + ";" + row[3], code);
            // A type string cut after the mid or big class names that class's own row.
            if (code.ends_with("00")) type_codes.emplace(row[1] + ";" + row[2], code);
            if (code.ends_with("0000")) type_codes.emplace(row[1], code);
        }
    } else {
        for (const auto& row : read_tsv(dir / "poi-types" / "baidu-industry.tsv")) {
            if (row.size() < 2) continue;
            names.emplace(row[0] + "/" + row[1], row[0] + "/" + row[1]);
            names.emplace(row[0], row[0]);
        }
    }
    const toml::table root = detail::read_toml_file(file, "POI mapping");
    const PoiMapping table(provider, file, {}, names, type_codes);
    auto rules = RuleParser(file, categories, table).parse(root, provider);
    return PoiMapping(provider, file, std::move(rules), std::move(names), std::move(type_codes));
}

} // namespace yike::io
