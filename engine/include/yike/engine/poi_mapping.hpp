#pragma once
// POI exports (AMap, Baidu) as facilities: the mapping tables and their reader live in io
// (yike/io/poi_mapping.hpp); the engine keeps its names for them and maps a layer's POIs here.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "yike/engine/categories.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/poi_mapping.hpp"

namespace yike::engine {

using io::load_poi_mapping;
using io::PoiClasses;
using io::PoiMapping;
using io::PoiRule;

// One row of facility_issues.csv: a POI that maps to no category, or to several.
struct FacilityIssue {
    std::string source; // the file
    std::uint64_t row = 0;
    std::string id;
    std::string name;
    std::string issue;      // "unmapped", "unknown_class", "several_categories"
    std::string classes;    // its classes, labelled, joined by " | "
    std::string categories; // several_categories: the categories, joined by " | "
}; // struct FacilityIssue

// The facilities of a POI export: one record per (POI, category). POIs mapping to no category
// or to several are appended to `issues`, and summed up in one warning each. Throws data_error
// when no POI of the file has a class the table knows (a wrong column or provider).
std::vector<io::FacilityRecord> poi_facilities(const std::filesystem::path& path, const io::PoiLayer& layer,
                                               const PoiMapping& mapping, io::ReadWarnings& warnings,
                                               std::vector<FacilityIssue>& issues);

} // namespace yike::engine
