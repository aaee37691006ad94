#include "yike/io/scenario.hpp"

#include <algorithm>
#include <cmath>

#include "detail/scenario_table.hpp"
#include "detail/toml_reader.hpp"
#include "yike/error.hpp"

namespace yike::io {

std::string_view to_string(Language language) {
    switch (language) {
    case Language::both: return "both";
    case Language::zh: return "zh";
    case Language::en: return "en";
    }
    return "both";
}

std::optional<Language> parse_language(std::string_view text) {
    if (text == "both") return Language::both;
    if (text == "zh") return Language::zh;
    if (text == "en") return Language::en;
    return std::nullopt;
}

namespace {

class ScenarioReader {
public:
    // `context`, when not empty, follows file:line in every message (a batch file's "run 'NAME'").
    ScenarioReader(std::filesystem::path file, std::filesystem::path dir, std::string context = {})
        : m_toml(std::move(file), detail::KeyStyle::bare, std::move(context)), m_dir(std::move(dir)) {}

    ScenarioSettings read() {
        const toml::table root = detail::read_toml_file(m_toml.file(), "scenario file");
        ScenarioSettings s;
        apply(root, s, {});
        if (s.osm.empty()) {
            throw config_error(m_toml.file().string() + ": missing key 'osm'");
        }
        return s;
    }

    // Sets the settings `root` names over `s`; keys it does not name keep their values in `s`, so
    // the same reader fills fresh settings (a scenario file) and overrides loaded ones (a batch
    // item over its scenario). `also` are further keys the caller reads itself.
    void apply(const toml::table& root, ScenarioSettings& s, std::initializer_list<std::string_view> also) const {
        std::vector<std::string_view> keys{"osm", "standard", "osm_facilities", "category_mapping", "walk_profile",
                                           "senior_profile", "max_snap_m", "decay", "threads", "out", "layers",
                                           "lang", "demand", "areas", "facilities", "dem"};
        keys.insert(keys.end(), also.begin(), also.end());
        allow(root, "", keys);
        if (const auto osm = text(root, "osm")) {
            s.osm = resolve(*osm);
        }
        if (const auto standard = text(root, "standard")) {
            s.standard = standard_list(*standard);
        }
        if (const auto mapping = text(root, "category_mapping")) {
            s.category_mapping = resolve(*mapping);
        }
        s.osm_facilities = boolean(root, "osm_facilities").value_or(s.osm_facilities);
        s.walk_profile = profile(root, "walk_profile").value_or(s.walk_profile);
        s.senior_profile = profile(root, "senior_profile").value_or(s.senior_profile);
        s.max_snap_m = number(root, "max_snap_m", 0.0, 10'000.0).value_or(s.max_snap_m);
        if (const auto dem = text(root, "dem")) {
            s.dem = resolve(*dem);
        }
        if (const auto decay = text(root, "decay")) {
            if (*decay != "none" && *decay != "gaussian") {
                throw config_error(where(root["decay"].node()) + ": decay must be \"none\" or \"gaussian\"");
            }
            s.gaussian_decay = *decay == "gaussian";
        }
        if (const auto lang = text(root, "lang")) {
            const auto language = parse_language(*lang);
            if (!language) throw config_error(where(root["lang"].node()) + ": lang must be \"zh\", \"en\" or \"both\"");
            s.language = *language;
        }
        if (const auto threads = number(root, "threads", 0.0, 256.0)) {
            s.threads = static_cast<unsigned>(*threads);
        }
        if (const auto out = text(root, "out")) {
            s.out = resolve(*out);
        }
        if (const auto layers = text(root, "layers")) {
            if (*layers != "gpkg" && *layers != "geojson") {
                throw config_error(where(root["layers"].node()) + ": layers must be \"gpkg\" or \"geojson\"");
            }
            s.layer_format = *layers == "gpkg" ? VectorFormat::gpkg : VectorFormat::geojson;
        }
        if (const auto* demand = table(root, "demand")) {
            read_demand(*demand, s);
        }
        if (const auto* areas = table(root, "areas")) {
            read_areas(*areas, s);
        }
        if (const auto* node = root.get("facilities")) {
            const auto* list = node->as_array();
            if (list == nullptr) {
                throw config_error(where(node) + ": facilities must be an array of tables ([[facilities]])");
            }
            // A list given replaces the one read before: layers are not merged entry by entry.
            s.facility_layers.clear();
            for (const auto& item : *list) {
                const auto* t = item.as_table();
                if (t == nullptr) {
                    throw config_error(where(&item) + ": each [[facilities]] entry must be a table");
                }
                s.facility_layers.push_back(read_facility(*t));
            }
        }
    }

private:
    std::string where(const toml::node* n) const { return m_toml.where(n); }

    void allow(const toml::table& t, const std::string& section, std::initializer_list<std::string_view> keys) const {
        allow(t, section, std::vector<std::string_view>(keys));
    }
    void allow(const toml::table& t, const std::string& section, const std::vector<std::string_view>& keys) const {
        if (const auto unknown = detail::TomlReader::first_unknown(t, keys)) {
            throw config_error(where(unknown->node) + ": unknown key '" + (section.empty() ? "" : section + ".") +
                               std::string(unknown->key) + "'");
        }
    }
    std::optional<std::string> text(const toml::table& t, std::string_view key) const { return m_toml.text(t, key); }
    std::optional<bool> boolean(const toml::table& t, std::string_view key) const {
        const auto* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        return m_toml.boolean(*n, key, /*integers_too=*/true);
    }
    std::optional<double> number(const toml::table& t, std::string_view key, double lo, double hi) const {
        const auto* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const auto v = n->value<double>();
        if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
            throw config_error(where(n) + ": " + std::string(key) + " must be a number in [" + format_number(lo) +
                               ", " + format_number(hi) + "]");
        }
        return v;
    }
    const toml::table* table(const toml::table& t, std::string_view key) const {
        const auto* n = t.get(key);
        if (n == nullptr) {
            return nullptr;
        }
        if (!n->is_table()) {
            throw config_error(where(n) + ": " + std::string(key) + " must be a table");
        }
        return n->as_table();
    }
    std::filesystem::path resolve(const std::string& p) const {
        const std::filesystem::path path(p);
        return (path.is_absolute() ? path : m_dir / path).lexically_normal();
    }
    std::filesystem::path path(const toml::table& t, std::string_view key, bool required) const {
        const auto v = text(t, key);
        if (!v) {
            if (required) {
                throw config_error(where(nullptr) + ": missing key '" + std::string(key) + "'");
            }
            return {};
        }
        return resolve(*v);
    }
    // A standard or a comma-separated list of them: names stay names, files are relative to the
    // scenario (or batch) file like every other path in it.
    std::string standard_list(const std::string& list) const {
        std::string out;
        for (std::size_t start = 0; start <= list.size();) {
            auto end = list.find(',', start);
            if (end == std::string::npos) end = list.size();
            auto item = list.substr(start, end - start);
            const auto first = item.find_first_not_of(' ');
            item = first == std::string::npos ? std::string() : item.substr(first, item.find_last_not_of(' ') - first + 1);
            if (item.find('/') != std::string::npos || item.ends_with(".toml")) item = resolve(item).string();
            out += (start == 0 ? "" : ",") + item; // an empty entry stays, for load_standard to name
            start = end + 1;
        }
        return out;
    }
    // Profiles are names or files; files are relative to the scenario.
    std::optional<std::string> profile(const toml::table& t, std::string_view key) const {
        auto v = text(t, key);
        if (v && (v->find('/') != std::string::npos || v->ends_with(".toml"))) {
            return resolve(*v).string();
        }
        return v;
    }
    void read_layer_options(const toml::table& t, LayerOptions& o) const {
        if (auto v = text(t, "crs")) {
            o.crs = *v;
        }
        o.layer = text(t, "layer").value_or(o.layer);
        o.layer = text(t, "sheet").value_or(o.layer);
        if (auto v = text(t, "encoding")) {
            check_encoding_name(*v, where(t.get("encoding")));
            o.encoding = *v;
        }
        o.id_field = text(t, "id_field").value_or(o.id_field);
        o.name_field = text(t, "name_field").value_or(o.name_field);
    }
    void read_demand(const toml::table& t, ScenarioSettings& s) const {
        allow(t, "demand", {"source", "path", "crs", "layer", "sheet", "encoding", "id_field", "name_field", "households_field",
                            "population_field", "seniors_field", "children_field", "dwelling_m2", "default_levels",
                            "persons_per_household", "senior_share", "child_share", "min_footprint_m2"});
        if (const auto source = text(t, "source")) {
            if (*source == "estimate") {
                s.demand_source = DemandSource::estimate_from_buildings;
            } else if (*source == "households") {
                s.demand_source = DemandSource::households_layer;
            } else if (*source == "raster") {
                s.demand_source = DemandSource::population_raster;
            } else {
                throw config_error(where(t.get("source")) +
                                   ": demand.source must be \"estimate\", \"households\" or \"raster\"");
            }
        }
        if (t.contains("path")) {
            s.demand_path = path(t, "path", true);
        }
        if (s.demand_source != DemandSource::estimate_from_buildings && s.demand_path.empty()) {
            (void)path(t, "path", true); // names the missing key
        }
        read_layer_options(t, s.demand_options);
        auto& o = s.demand_options;
        o.households_field = text(t, "households_field").value_or(o.households_field);
        o.population_field = text(t, "population_field").value_or(o.population_field);
        o.seniors_field = text(t, "seniors_field").value_or(o.seniors_field);
        o.children_field = text(t, "children_field").value_or(o.children_field);
        auto& e = s.estimate;
        e.dwelling_m2 = number(t, "dwelling_m2", 10.0, 1000.0).value_or(e.dwelling_m2);
        e.default_levels = number(t, "default_levels", 1.0, 200.0).value_or(e.default_levels);
        e.persons_per_household = number(t, "persons_per_household", 0.5, 20.0).value_or(e.persons_per_household);
        e.senior_share = number(t, "senior_share", 0.0, 1.0).value_or(e.senior_share);
        e.child_share = number(t, "child_share", 0.0, 1.0).value_or(e.child_share);
        e.min_footprint_m2 = number(t, "min_footprint_m2", 0.0, 10'000.0).value_or(e.min_footprint_m2);
    }
    void read_areas(const toml::table& t, ScenarioSettings& s) const {
        allow(t, "areas", {"communities", "subdistricts", "crs", "subdistrict_crs", "layer", "sheet", "subdistrict_sheet", "encoding", "id_field", "name_field", "parent_field", "households_field",
                           "subdistrict_id_field", "subdistrict_name_field", "grid_cell_m"});
        if (t.contains("communities")) {
            s.communities = path(t, "communities", true);
        }
        if (t.contains("subdistricts")) {
            s.subdistricts = path(t, "subdistricts", true);
        }
        read_layer_options(t, s.community_options);
        auto& c = s.community_options;
        c.parent_field = text(t, "parent_field").value_or(c.parent_field);
        c.households_field = text(t, "households_field").value_or(c.households_field);
        if (auto v = text(t, "crs")) {
            s.subdistrict_options.crs = *v;
        }
        if (auto v = text(t, "subdistrict_crs")) {
            s.subdistrict_options.crs = *v;
        }
        s.subdistrict_options.layer = text(t, "subdistrict_sheet").value_or(s.subdistrict_options.layer);
        s.subdistrict_options.encoding = s.community_options.encoding;
        auto& d = s.subdistrict_options;
        d.id_field = text(t, "subdistrict_id_field").value_or(d.id_field);
        d.name_field = text(t, "subdistrict_name_field").value_or(d.name_field);
        s.grid_cell_m = number(t, "grid_cell_m", 50.0, 10'000.0).value_or(s.grid_cell_m);
    }
    FacilityLayerSource read_facility(const toml::table& t) const {
        allow(t, "facilities", {"path", "category", "category_field", "poi_format", "capacity_field", "floor_area_field",
                                "staff_field", "crs", "layer", "sheet", "encoding", "id_field", "name_field"});
        FacilityLayerSource f;
        f.path = path(t, "path", true);
        read_layer_options(t, f.options);
        f.options.category = text(t, "category").value_or("");
        f.options.category_field = text(t, "category_field").value_or("");
        f.options.poi_format = text(t, "poi_format").value_or("");
        if (!f.options.poi_format.empty() && f.options.poi_format != "amap" && f.options.poi_format != "baidu") {
            throw config_error(where(t.get("poi_format")) + ": poi_format must be \"amap\" or \"baidu\"");
        }
        const int ways = (f.options.category.empty() ? 0 : 1) + (f.options.category_field.empty() ? 0 : 1) +
                         (f.options.poi_format.empty() ? 0 : 1);
        if (ways != 1) {
            throw config_error(where(&t) + ": a [[facilities]] entry needs exactly one of category, category_field or poi_format");
        }
        f.options.capacity_field = text(t, "capacity_field").value_or("");
        f.options.floor_area_field = text(t, "floor_area_field").value_or("");
        f.options.staff_field = text(t, "staff_field").value_or("");
        return f;
    }

    detail::TomlReader m_toml;
    std::filesystem::path m_dir;
};

} // namespace

ScenarioSettings load_scenario(const std::filesystem::path& file) {
    auto s = ScenarioReader(file, file.parent_path()).read();
    s.scenario = file;
    return s;
}

void detail::apply_scenario_table(const toml::table& table, const std::filesystem::path& file,
                                  const std::filesystem::path& dir, const std::string& context,
                                  std::initializer_list<std::string_view> also, ScenarioSettings& s) {
    ScenarioReader(file, dir, context).apply(table, s, also);
}

} // namespace yike::io
