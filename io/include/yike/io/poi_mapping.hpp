#pragma once
// How the POIs of AMap (高德) and Baidu (百度) exports map onto yike's facility categories, read
// from data/categories/amap.toml and baidu.toml (format: data/categories/README.md) and checked
// against the providers' class tables (data/categories/poi-types/). The engine turns a POI layer
// into facilities with them (engine::poi_facilities, yike/engine/poi_mapping.hpp).
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "yike/io/categories.hpp"
#include "yike/io/inputs.hpp"

namespace yike::io {

struct PoiRule {
    std::string category;
    // AMap: typecodes; "xxyy00" covers every code xxyy.., "xx0000" every code xx.... Baidu:
    // "一级/二级", or "一级" for all of its classes.
    std::vector<std::string> classes;
    std::vector<std::string> name_patterns; // when given, the name must contain one of them
    std::vector<std::string> name_exclude;  // a name containing one of these never matches
    std::string note;
    int line = 0;
}; // struct PoiRule

// A POI's classes resolved against the provider's table.
struct PoiClasses {
    std::vector<std::string> known;   // AMap typecodes / Baidu "一级/二级" (or "一级")
    std::vector<std::string> unknown; // what the file says that the table does not know
}; // struct PoiClasses

class PoiMapping {
public:
    PoiMapping() = default;
    PoiMapping(std::string provider, std::filesystem::path source, std::vector<PoiRule> rules,
               std::map<std::string, std::string, std::less<>> class_names,
               std::map<std::string, std::string, std::less<>> type_codes);

    const std::string& provider() const { return m_provider; }
    const std::filesystem::path& source() const { return m_source; }
    const std::vector<PoiRule>& rules() const { return m_rules; }

    // The POI's classes: AMap typecodes first (a type string only when no code is given), Baidu
    // industry classes.
    PoiClasses classes_of(const PoiRecord& poi) const;
    // The categories (file order, each once) of a POI with these known classes and this name.
    std::vector<std::string> categories_of(const std::vector<std::string>& classes, std::string_view name) const;
    // "060200 便民商店/便利店" or "美食/中餐厅", for messages and facility_issues.csv.
    std::string class_label(const std::string& key) const;
    // True when the class is in the provider's table.
    bool knows(std::string_view key) const { return m_class_names.find(key) != m_class_names.end(); }

private:
    std::string m_provider;
    std::filesystem::path m_source;
    std::vector<PoiRule> m_rules;
    std::map<std::string, std::string, std::less<>> m_class_names; // key -> Chinese name
    std::map<std::string, std::string, std::less<>> m_type_codes;  // AMap "大类;中类;小类" -> typecode
}; // class PoiMapping

// Loads data_dir()/categories/<provider>.toml (or `path`) and the provider's class table; every
// rule's category must be one of `categories` and every class one the table knows. Throws
// config_error naming file:line.
PoiMapping load_poi_mapping(const std::string& provider, const CategoryMapping& categories,
                            const std::filesystem::path& path = {});

} // namespace yike::io
