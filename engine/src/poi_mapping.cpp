#include "yike/engine/poi_mapping.hpp"

#include <algorithm>
#include <map>

#include "yike/error.hpp"

namespace yike::engine {

std::vector<io::FacilityRecord> poi_facilities(const std::filesystem::path& path, const io::PoiLayer& layer,
                                               const PoiMapping& mapping, io::ReadWarnings& warnings,
                                               std::vector<FacilityIssue>& issues) {
    const bool amap = mapping.provider() == "amap";
    std::vector<io::FacilityRecord> out;
    std::map<std::string, std::uint64_t> unmapped_by_class;
    std::uint64_t unmapped = 0;
    std::uint64_t unknown = 0;
    std::string first_unknown;
    std::uint64_t several = 0;
    std::string first_several;
    std::uint64_t with_known_class = 0;
    const auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : " | ") + x;
        return s;
    };
    for (const auto& poi : layer.pois) {
        const PoiClasses classes = mapping.classes_of(poi);
        std::vector<std::string> labels;
        for (const auto& k : classes.known) labels.push_back(mapping.class_label(k));
        for (const auto& k : classes.unknown) labels.push_back(k);
        if (!classes.known.empty()) ++with_known_class;
        FacilityIssue issue{path.string(), poi.row, poi.id, poi.name, "", join(labels), ""};
        if (!classes.unknown.empty()) {
            if (unknown++ == 0) first_unknown = poi.label.substr(path.string().size() + 2) + ": '" + classes.unknown.front() + "'";
        }
        const auto categories = mapping.categories_of(classes.known, poi.name);
        if (categories.empty()) {
            ++unmapped;
            issue.issue = classes.known.empty() ? "unknown_class" : "unmapped";
            ++unmapped_by_class[classes.known.empty() ? (labels.empty() ? "(no class)" : labels.front())
                                                      : mapping.class_label(classes.known.front())];
            issues.push_back(std::move(issue));
            continue;
        }
        if (!classes.unknown.empty()) {
            FacilityIssue partly = issue;
            partly.issue = "unknown_class";
            partly.categories = join(categories);
            issues.push_back(std::move(partly));
        }
        if (categories.size() > 1) {
            issue.issue = "several_categories";
            issue.categories = join(categories);
            if (several++ == 0) {
                first_several = poi.label.substr(path.string().size() + 2) + " " + poi.name + ": " + join(categories);
            }
            issues.push_back(std::move(issue));
        }
        for (const auto& category : categories) {
            io::FacilityRecord r;
            r.id = poi.id;
            r.name = poi.name;
            r.category = category;
            r.location = poi.location;
            r.capacity = poi.capacity;
            r.floor_area_m2 = poi.floor_area_m2;
            r.staff = poi.staff;
            r.source = path.string();
            out.push_back(std::move(r));
        }
    }
    const std::string column = amap && !layer.code_column.empty() ? layer.code_column : layer.type_column;
    if (with_known_class == 0) {
        const auto& first = layer.pois.front();
        const std::string text = amap && !first.codes.empty() ? first.codes.front()
                                                              : (first.types.empty() ? "" : first.types.front());
        throw data_error(first.label + ", column '" + column + "': no row of the file holds a known " +
                         (amap ? "AMap typecode (6 digits, e.g. 060200)" : "Baidu industry class (e.g. 美食;中餐厅)") +
                         " (this row: '" + text + "'); is it " + (amap ? "an AMap" : "a Baidu") + " export?");
    }
    if (unmapped > 0) {
        std::vector<std::pair<std::uint64_t, std::string>> counts;
        for (const auto& [label, n] : unmapped_by_class) counts.emplace_back(n, label);
        std::stable_sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        std::string list;
        const std::size_t shown = std::min<std::size_t>(counts.size(), 8);
        for (std::size_t i = 0; i < shown; ++i) {
            list += (i == 0 ? "" : ", ") + counts[i].second + " ×" + std::to_string(counts[i].first);
        }
        if (counts.size() > shown) list += ", and " + std::to_string(counts.size() - shown) + " more classes";
        warnings.messages.push_back(path.string() + ": " + std::to_string(unmapped) + " of " + std::to_string(layer.pois.size()) +
                                    " POIs map to no category of " + mapping.source().filename().string() + " (by class: " +
                                    list + "); listed in facility_issues.csv");
    }
    if (unknown > 0) {
        warnings.messages.push_back(path.string() + ": " + std::to_string(unknown) + " POI(s) have classes the " +
                                    (amap ? "AMap typecode" : "Baidu industry") + " table does not know (first: " +
                                    first_unknown + "); listed in facility_issues.csv");
    }
    if (several > 0) {
        warnings.messages.push_back(path.string() + ": " + std::to_string(several) +
                                    " POI(s) map to several categories and count in each (first: " + first_several +
                                    "); listed in facility_issues.csv");
    }
    return out;
}

} // namespace yike::engine
