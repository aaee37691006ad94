#include "yike/engine/coverage_run.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "detail/parallel.hpp"
#include "detail/scenario.hpp"
#include "detail/tile_cut.hpp"
#include "yike/assert.hpp"
#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/poi_mapping.hpp"
#include "yike/engine/standards.hpp"
#include "yike/error.hpp"
#include "yike/io/phase_log.hpp"
#include "yike/io/network_file.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"

namespace yike::engine {

namespace {

std::string count_text(std::size_t n) {
    return std::to_string(n);
}

// Categories named by any target, sorted (a deterministic order for the searches).
std::vector<std::string> used_categories(const Standard& standard) {
    std::set<std::string> ids;
    for (const auto& t : standard.targets) {
        ids.insert(t.categories.begin(), t.categories.end());
    }
    return {ids.begin(), ids.end()};
}

std::vector<std::optional<routing::Origin>> origins_of(const std::vector<SiteSnap>& snaps) {
    std::vector<std::optional<routing::Origin>> out;
    out.reserve(snaps.size());
    for (const auto& s : snaps) {
        out.push_back(s.origin);
    }
    return out;
}

std::vector<SiteSnap> snap_all(const SiteSnapper& snapper, std::size_t count,
                               const std::function<routing::LonLat(std::size_t)>& location,
                               const std::function<const std::vector<routing::LonLat>&(std::size_t)>& entrances,
                               double max_snap_m, unsigned threads, const std::vector<std::uint8_t>* only = nullptr) {
    std::vector<SiteSnap> snaps(count);
    detail::parallel_for(count, detail::worker_count(threads, count / 256 + 1), [&](std::size_t i, unsigned) {
        if (only != nullptr && (*only)[i] == 0) {
            snaps[i].reason = "outside the tile's halo"; // never reported: tile results keep the core only
            return;
        }
        snaps[i] = snapper.snap(location(i), entrances(i), max_snap_m, static_cast<std::uint32_t>(i));
    });
    return snaps;
}

// A households layer without population (or seniors, children) leaves every target counted in
// them without demand: "no demand" in the report would read as a verdict, so say why.
void warn_missing_bases(const CoverageData& data, const CoverageSettings& s, io::ReadWarnings& warnings) {
    struct Field {
        Basis basis;
        const char* name;
        const std::string& field;
        double (*get)(const io::DemandRecord&);
    };
    const Field fields[] = {
        {Basis::population, "population", s.demand_options.population_field, [](const io::DemandRecord& d) { return d.population; }},
        {Basis::seniors, "seniors", s.demand_options.seniors_field, [](const io::DemandRecord& d) { return d.seniors; }},
        {Basis::children, "children", s.demand_options.children_field, [](const io::DemandRecord& d) { return d.children; }},
    };
    for (const auto& f : fields) {
        const auto targets = std::count_if(data.standard.targets.begin(), data.standard.targets.end(),
                                           [&](const Target& t) { return t.basis == f.basis; });
        if (targets == 0) continue;
        if (std::any_of(data.demand.begin(), data.demand.end(), [&](const io::DemandRecord& d) { return f.get(d) > 0; }))
            continue;
        warnings.messages.push_back(s.demand_path.string() + ": no demand point has " + f.name + " (field '" + f.field +
                                    "' missing or empty), so " + std::to_string(targets) + " target(s) counted in " +
                                    f.name + " report no demand");
    }
}

// Estimated households are scaled, community by community, so that their totals match the known
// counts the communities layer gives (its households field); population, seniors and children
// scale with them. Returns a line for the report header (empty when nothing was scaled).
std::string scale_to_known_households(CoverageData& data, const CoverageSettings& s, io::ReadWarnings& warnings) {
    if (s.community_options.households_field.empty() || data.communities.empty()) {
        return {};
    }
    if (s.demand_source != DemandSource::estimate_from_buildings) {
        throw config_error(s.communities.string() + ": scaling to known households (field '" +
                           s.community_options.households_field +
                           "') applies to households estimated from buildings, not to a households layer or raster");
    }
    const AreaAssignment areas = assign_areas(data);
    std::vector<double> estimated(data.communities.size(), 0.0);
    for (std::size_t i = 0; i < data.demand.size(); ++i) {
        const auto c = areas.demand_community[i];
        if (c < estimated.size()) {
            estimated[c] += data.demand[i].households;
        }
    }
    std::vector<double> factor(data.communities.size(), 1.0);
    std::size_t zeroed = 0; // communities whose known count 0 empties estimated buildings
    std::string first_zeroed;
    std::size_t scaled = 0;
    double low = 0;
    double high = 0;
    for (std::size_t c = 0; c < data.communities.size(); ++c) {
        const auto& known = data.communities[c].households;
        if (!known) {
            continue;
        }
        if (estimated[c] <= 0) {
            if (*known > 0) {
                warnings.messages.push_back(s.communities.string() + ": community " + data.communities[c].id + " has " +
                                            io::format_number(*known) +
                                            " known households but no residential building; they cannot be placed");
            }
            continue;
        }
        if (*known == 0) {
            if (zeroed == 0) first_zeroed = data.communities[c].id + " (" + io::format_number(std::round(estimated[c])) + ")";
            ++zeroed;
        }
        factor[c] = *known / estimated[c];
        low = scaled == 0 ? factor[c] : std::min(low, factor[c]);
        high = scaled == 0 ? factor[c] : std::max(high, factor[c]);
        ++scaled;
    }
    for (std::size_t i = 0; i < data.demand.size(); ++i) {
        const auto c = areas.demand_community[i];
        if (c < factor.size() && factor[c] != 1.0) {
            auto& d = data.demand[i];
            d.households *= factor[c];
            d.population *= factor[c];
            d.seniors *= factor[c];
            d.children *= factor[c];
        }
    }
    if (zeroed > 0) {
        warnings.messages.push_back(s.communities.string() + ": " + std::to_string(zeroed) +
                                    " communities have 0 known households (field '" + s.community_options.households_field +
                                    "') but residential buildings; their estimated households are set to 0 (first: " +
                                    first_zeroed + " estimated)");
    }
    if (scaled == 0) {
        return {};
    }
    return "scaled to the known households of " + std::to_string(scaled) + " communities (factors " +
           io::format_number(std::round(low * 1000) / 1000) + " to " + io::format_number(std::round(high * 1000) / 1000) +
           ")";
}

} // namespace

CoverageData run_coverage(const CoverageSettings& s, const ProgressFn& progress, CoverageNetworks* networks) {
    CoverageNetworks local;
    CoverageNetworks& net = networks != nullptr ? *networks : local;
    auto say = [&](const std::string& m) {
        if (progress) {
            progress(m);
        }
    };
    if (s.tile) {
        // Before reading anything: a wrong index should not cost a whole read of the extract.
        detail::check_tile_index(*s.tile);
    }
    // Opened (and checked) before the long reads, so a bad DEM fails at once.
    std::optional<io::ElevationModel> dem;
    if (!s.dem.empty()) {
        dem.emplace(s.dem);
    }
    CoverageData data;
    data.categories = load_category_mapping(s.category_mapping);
    data.standard = load_standard(s.standard, data.categories);
    const std::vector<std::string> categories = used_categories(data.standard);
    const std::set<std::string> category_set(categories.begin(), categories.end());

    net.walk = io::load_profile(s.walk_profile);
    net.senior = io::load_profile(s.senior_profile);
    const io::WalkProfile& walk = net.walk;
    const io::WalkProfile& senior = net.senior;
    YIKE_ASSERT(s.walk_network_file.empty() == s.senior_network_file.empty());
    if (!s.walk_network_file.empty()) {
        say("loading the walking networks of " + s.osm.string() + " built once for the batch");
        net.walk_net = io::load_walk_network(s.walk_network_file);
        net.senior_net = io::load_walk_network(s.senior_network_file);
        // A file of other profiles would give another report without any error: refuse it.
        if (net.walk_net.profile_name != walk.name || net.senior_net.profile_name != senior.name) {
            throw io_error(s.walk_network_file.string() + ": networks built for profiles '" +
                           net.walk_net.profile_name + "' and '" + net.senior_net.profile_name + "', not '" +
                           walk.name + "' and '" + senior.name + "'");
        }
    } else {
        io::phase_mark("read_networks");
        say("reading the walking network of " + s.osm.string());
        // One reading of the extract for both profiles.
        const io::WalkProfile both[] = {walk, senior};
        std::vector<io::WalkNetwork> read = io::read_walk_networks(s.osm, both, dem ? &*dem : nullptr);
        net.walk_net = std::move(read[0]);
        net.senior_net = std::move(read[1]);
    }
    const io::WalkNetwork& walk_net = net.walk_net;
    const io::WalkNetwork& senior_net = net.senior_net;
    // Counted before a tile run cuts the graphs to its halo: the report describes the whole network.
    const std::string network_text = std::to_string(walk_net.graph.node_count()) + " nodes, " +
                                     std::to_string(walk_net.graph.edge_count()) + " edges (profile " + walk.name +
                                     ", " + io::format_number(walk.speed_mm_per_s / 1000.0) + " m/s; senior " +
                                     io::format_number(senior.speed_mm_per_s / 1000.0) + " m/s)";

    io::OsmExtrasOptions extras_options;
    extras_options.facilities = s.osm_facilities;
    extras_options.buildings = s.demand_source == DemandSource::estimate_from_buildings;
    extras_options.barriers = true;
    io::phase_mark("read_extras");
    say("reading facilities, buildings and barriers");
    io::OsmExtras extras = io::read_osm_extras(
        s.osm, [&](const io::Tags& tags) { return data.categories.match(tags); }, s.estimate, extras_options);
    io::ReadWarnings warnings = extras.warnings;
    if (walk_net.report.missing_nodes > 0) {
        warnings.messages.push_back(io::missing_nodes_text(s.osm, walk_net.report));
    }
    if (dem) {
        // One warning: the senior network samples the same ways.
        const io::SlopeReport& sr = walk_net.report.slope.segments > 0 ? walk_net.report.slope : senior_net.report.slope;
        if (const std::string text = io::slope_warning_text(*dem, sr); !text.empty()) {
            warnings.messages.push_back(text);
        }
    }

    // Facilities of the standard's categories: OSM first, then the user's layers in order.
    for (auto& f : extras.facilities) {
        if (category_set.count(f.category) != 0) {
            data.facilities.push_back(std::move(f));
        }
    }
    std::map<std::string, PoiMapping> poi_mappings; // by provider, loaded once
    for (const auto& layer : s.facility_layers) {
        std::vector<io::FacilityRecord> records;
        if (!layer.options.poi_format.empty()) {
            auto [mapping, fresh] = poi_mappings.try_emplace(layer.options.poi_format);
            if (fresh) mapping->second = load_poi_mapping(layer.options.poi_format, data.categories);
            const io::PoiLayer pois = io::read_poi_layer(layer.path, layer.options, warnings);
            records = poi_facilities(layer.path, pois, mapping->second, warnings, data.facility_issues);
        } else {
            records = io::read_facility_layer(layer.path, layer.options, warnings);
        }
        // A capacity field that gives no value for any facility of a category leaves that category
        // without a floating catchment: say so rather than report it silently without one.
        std::map<std::string, std::pair<std::size_t, std::size_t>> with_capacity; // category -> (with, all)
        for (auto& f : records) {
            if (!data.categories.contains(f.category)) {
                throw config_error(layer.path.string() + ": feature " + f.id + ": unknown category '" + f.category +
                                   "' (not in " + data.categories.source().string() + ")");
            }
            auto& [with, all] = with_capacity[f.category];
            ++all;
            if (f.capacity) ++with;
            if (category_set.count(f.category) != 0) {
                data.facilities.push_back(std::move(f));
            }
        }
        if (!layer.options.capacity_field.empty()) {
            for (const auto& [category, counts] : with_capacity) {
                if (counts.first == 0 && category_set.count(category) != 0) {
                    warnings.messages.push_back(layer.path.string() + ": capacity field '" + layer.options.capacity_field +
                                 "' gives no value for any of its " + std::to_string(counts.second) + " " + category +
                                 " facilities; no floating catchment for " + category + " from this layer");
                }
            }
        }
    }

    switch (s.demand_source) {
    case DemandSource::estimate_from_buildings:
        data.demand = std::move(extras.buildings);
        if (data.demand.empty()) {
            throw data_error(s.osm.string() + ": no residential building to estimate households from "
                                              "(give --households FILE or --population-raster FILE)");
        }
        break;
    case DemandSource::households_layer:
        data.demand = io::read_demand_layer(s.demand_path, s.demand_options, warnings);
        break;
    case DemandSource::population_raster:
        data.demand = io::read_population_raster(s.demand_path, s.demand_options, s.estimate, warnings);
        break;
    }
    if (data.demand.empty()) {
        throw data_error(s.demand_path.string() + ": holds no demand point with households or population");
    }
    // Every share would be 0 of 0: a wrong or empty field, never a real study area.
    if (std::none_of(data.demand.begin(), data.demand.end(),
                     [](const io::DemandRecord& d) { return d.households > 0 || d.population > 0; })) {
        throw data_error(s.demand_path.string() + ": all " + std::to_string(data.demand.size()) +
                         " demand points have 0 households and 0 population; nothing to measure");
    }
    if (!s.communities.empty()) {
        data.communities = io::read_area_layer(s.communities, s.community_options, warnings);
        if (data.communities.empty()) {
            throw io_error(s.communities.string() + ": holds no community polygon");
        }
    }
    if (!s.subdistricts.empty()) {
        data.subdistricts = io::read_area_layer(s.subdistricts, s.subdistrict_options, warnings);
        if (data.subdistricts.empty()) {
            throw io_error(s.subdistricts.string() + ": holds no sub-district polygon");
        }
    }
    data.grid.cell_m = s.grid_cell_m;
    const std::string scaling = scale_to_known_households(data, s, warnings);
    if (s.demand_source == DemandSource::households_layer) {
        warn_missing_bases(data, s, warnings);
    }

    // A tile run keeps the part of the graphs within its halo and snaps only the sites whose snap
    // is exact there (doc/batch.md).
    const SearchLimits limits = search_limits(data.standard);
    std::optional<detail::TileCut> cut;
    if (s.tile) {
        cut = detail::cut_tile(*s.tile, data, walk_net.graph, senior_net.graph, s.max_snap_m, limits.length_cm,
                               limits.time_ms);
        net.walk_net.graph = std::move(cut->walk);
        net.senior_net.graph = std::move(cut->senior);
        say("tile " + std::to_string(s.tile->index) + ": " + count_text(cut->info.core_demand_count) +
            " demand points and " + count_text(cut->info.core_facility_count) + " facilities in the core, halo " +
            io::format_number(std::round(cut->info.halo_m)) + " m, " + count_text(cut->info.graph_edges) + " edges");
    }
    const std::vector<std::uint8_t>* snap_demand = cut ? &cut->snap_demand : nullptr;
    const std::vector<std::uint8_t>* snap_facility = cut ? &cut->snap_facility : nullptr;

    // Snapping, on both profiles' graphs (their walkable sets may differ).
    io::phase_mark("snap");
    say("snapping " + count_text(data.demand.size()) + " demand points and " + count_text(data.facilities.size()) +
        " facilities");
    net.barriers = std::move(extras.barriers);
    net.walk_snapper = std::make_unique<SiteSnapper>(walk_net.graph, net.barriers);
    net.senior_snapper = std::make_unique<SiteSnapper>(senior_net.graph, net.barriers);
    const SiteSnapper& walk_snapper = *net.walk_snapper;
    const SiteSnapper& senior_snapper = *net.senior_snapper;
    auto demand_at = [&](std::size_t i) { return data.demand[i].location; };
    auto demand_doors = [&](std::size_t i) -> const std::vector<routing::LonLat>& { return data.demand[i].entrances; };
    auto facility_at = [&](std::size_t i) { return data.facilities[i].location; };
    auto facility_doors = [&](std::size_t i) -> const std::vector<routing::LonLat>& {
        return data.facilities[i].entrances;
    };
    data.demand_snaps =
        snap_all(walk_snapper, data.demand.size(), demand_at, demand_doors, s.max_snap_m, s.threads, snap_demand);
    data.facility_snaps = snap_all(walk_snapper, data.facilities.size(), facility_at, facility_doors, s.max_snap_m,
                                   s.threads, snap_facility);
    const auto senior_demand_snaps =
        snap_all(senior_snapper, data.demand.size(), demand_at, demand_doors, s.max_snap_m, s.threads, snap_demand);
    const auto senior_facility_snaps = snap_all(senior_snapper, data.facilities.size(), facility_at, facility_doors,
                                                s.max_snap_m, s.threads, snap_facility);
    net.demand_walk = origins_of(data.demand_snaps);
    net.demand_senior = origins_of(senior_demand_snaps);
    net.facility_walk = origins_of(data.facility_snaps);
    net.facility_senior = origins_of(senior_facility_snaps);
    data.demand_senior_snaps = senior_demand_snaps;
    data.facility_senior_snaps = senior_facility_snaps;
    const CategoryCostSearch cost_search(data.standard, s.gaussian_decay, walk_net.graph, senior_net.graph, data.demand,
                                   net.demand_walk, net.demand_senior);

    // One multi-source search per category and measure, categories spread over the threads.
    io::phase_mark("search");
    say("searching " + count_text(categories.size()) + " categories");
    data.costs.resize(categories.size());
    const unsigned workers = detail::worker_count(s.threads, categories.size());
    std::vector<routing::BoundedSearch> walk_searches;
    std::vector<routing::BoundedSearch> senior_searches;
    for (unsigned w = 0; w < workers; ++w) {
        walk_searches.emplace_back(walk_net.graph);
        senior_searches.emplace_back(senior_net.graph);
    }
    detail::parallel_for(categories.size(), workers, [&](std::size_t c, unsigned w) {
        const auto facilities = category_facilities(data.facilities, categories[c], net.facility_walk, net.facility_senior);
        data.costs[c] = cost_search.costs(categories[c], facilities, walk_searches[w], senior_searches[w]);
    });

    io::phase_mark("coverage_done");
    // Report header: inputs only (no dates), so the same inputs give the same report.
    auto& run = data.run;
    run.walk_speed_mm_per_s = walk.speed_mm_per_s;
    run.senior_speed_mm_per_s = senior.speed_mm_per_s;
    run.gaussian_decay = s.gaussian_decay;
    run.language = s.language;
    run.inputs.emplace_back("OSM extract", s.osm.filename().string());
    run.inputs.emplace_back("data licence", "© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)");
    run.inputs.emplace_back("standard", data.standard.id);
    run.inputs.emplace_back("walking network", network_text);
    std::string demand_text;
    switch (s.demand_source) {
    case DemandSource::estimate_from_buildings:
        demand_text = "estimated from OSM residential buildings (" + io::format_number(s.estimate.dwelling_m2) +
                      " m² per dwelling, " + io::format_number(s.estimate.default_levels) +
                      " levels where untagged, " + io::format_number(s.estimate.persons_per_household) +
                      " persons per household)";
        break;
    case DemandSource::households_layer:
        demand_text = "households layer " + s.demand_path.filename().string();
        break;
    case DemandSource::population_raster:
        demand_text = "population raster " + s.demand_path.filename().string();
        break;
    }
    if (!scaling.empty()) {
        demand_text += ", " + scaling;
    }
    run.inputs.emplace_back("demand", demand_text);
    std::string facility_text = s.osm_facilities ? "OSM via " + data.categories.source().filename().string() : "";
    for (const auto& layer : s.facility_layers) {
        facility_text += (facility_text.empty() ? "" : ", ") + layer.path.filename().string();
    }
    run.inputs.emplace_back("facilities", facility_text.empty() ? "none" : facility_text);
    run.inputs.emplace_back("areas", s.communities.empty()
                                         ? "grid cells of " + io::format_number(s.grid_cell_m) + " m"
                                         : s.communities.filename().string() +
                                               (s.subdistricts.empty() ? "" : ", " + s.subdistricts.filename().string()));
    run.inputs.emplace_back("snapping", "at most " + io::format_number(s.max_snap_m) +
                                            " m, never across walls, fences or water; entrances first");
    run.warnings = warnings.messages;
    data.facility_sources = facility_sources(s);
    if (cut) {
        // Snap counts of a tile run cover its halo, not the study area: the merge adds them.
        net.tile_cut = std::move(cut->info);
    } else {
        add_unsnapped_warnings(data);
    }
    return data;
}

void add_unsnapped_warnings(CoverageData& data) {
    auto& run = data.run;
    std::size_t unsnapped_demand = 0;
    for (const auto& snap : data.demand_snaps) {
        unsnapped_demand += snap.origin ? 0 : 1;
    }
    std::size_t unsnapped_facilities = 0;
    for (const auto& snap : data.facility_snaps) {
        unsnapped_facilities += snap.origin ? 0 : 1;
    }
    if (unsnapped_demand > 0) {
        run.warnings.push_back(std::to_string(unsnapped_demand) + " of " + std::to_string(data.demand.size()) +
                               " demand points could not be snapped to the network (counted as uncovered; see demand_issues.csv)");
    }
    if (unsnapped_facilities > 0) {
        run.warnings.push_back(std::to_string(unsnapped_facilities) + " of " + std::to_string(data.facilities.size()) +
                               " facilities could not be snapped to the network (they serve nobody)");
    }
}

// ---- scenario files ------------------------------------------------------------------------

namespace {

class ScenarioReader {
public:
    // `context`, when not empty, follows file:line in every message (a batch file's "run 'NAME'").
    ScenarioReader(std::filesystem::path file, std::filesystem::path dir, std::string context = {})
        : m_file(std::move(file)), m_dir(std::move(dir)), m_context(std::move(context)) {}

    CoverageSettings read() {
        toml::table root;
        try {
            root = toml::parse_file(m_file.string());
        } catch (const toml::parse_error& e) {
            throw config_error(where(e.source()) + ": " + std::string(e.description()));
        }
        CoverageSettings s;
        apply(root, s, {});
        if (s.osm.empty()) {
            throw config_error(m_file.string() + ": missing key 'osm'");
        }
        return s;
    }

    // Sets the settings `root` names over `s`; keys it does not name keep their values in `s`, so
    // the same reader fills fresh settings (a scenario file) and overrides loaded ones (a batch
    // item over its scenario). `also` are further keys the caller reads itself.
    void apply(const toml::table& root, CoverageSettings& s, std::initializer_list<std::string_view> also) const {
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
            s.layer_format = *layers == "gpkg" ? io::VectorFormat::gpkg : io::VectorFormat::geojson;
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

    std::string where(const toml::source_region& r) const {
        return m_file.string() + ":" + std::to_string(r.begin.line) + (m_context.empty() ? "" : ": " + m_context);
    }
    std::string where(const toml::node* n) const {
        return n != nullptr ? where(n->source()) : m_file.string() + (m_context.empty() ? "" : ": " + m_context);
    }

private:
    void allow(const toml::table& t, const std::string& section, std::initializer_list<std::string_view> keys) const {
        allow(t, section, std::vector<std::string_view>(keys));
    }
    void allow(const toml::table& t, const std::string& section, const std::vector<std::string_view>& keys) const {
        for (const auto& [key, value] : t) {
            if (std::find(keys.begin(), keys.end(), key.str()) == keys.end()) {
                throw config_error(where(&value) + ": unknown key '" + (section.empty() ? "" : section + ".") +
                                   std::string(key.str()) + "'");
            }
        }
    }
    std::optional<std::string> text(const toml::table& t, std::string_view key) const {
        const auto* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const auto v = n->value<std::string>();
        if (!v || v->empty()) {
            throw config_error(where(n) + ": " + std::string(key) + " must be a non-empty string");
        }
        return v;
    }
    std::optional<bool> boolean(const toml::table& t, std::string_view key) const {
        const auto* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const auto v = n->value<bool>();
        if (!v) {
            throw config_error(where(n) + ": " + std::string(key) + " must be true or false");
        }
        return v;
    }
    std::optional<double> number(const toml::table& t, std::string_view key, double lo, double hi) const {
        const auto* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const auto v = n->value<double>();
        if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
            throw config_error(where(n) + ": " + std::string(key) + " must be a number in [" + io::format_number(lo) +
                               ", " + io::format_number(hi) + "]");
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
    void read_layer_options(const toml::table& t, io::LayerOptions& o) const {
        if (auto v = text(t, "crs")) {
            o.crs = *v;
        }
        o.layer = text(t, "layer").value_or(o.layer);
        o.layer = text(t, "sheet").value_or(o.layer);
        if (auto v = text(t, "encoding")) {
            io::check_encoding_name(*v, where(t.get("encoding")));
            o.encoding = *v;
        }
        o.id_field = text(t, "id_field").value_or(o.id_field);
        o.name_field = text(t, "name_field").value_or(o.name_field);
    }
    void read_demand(const toml::table& t, CoverageSettings& s) const {
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
    void read_areas(const toml::table& t, CoverageSettings& s) const {
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

    std::filesystem::path m_file;
    std::filesystem::path m_dir;
    std::string m_context;
};

} // namespace

CoverageSettings load_scenario(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw io_error(file.string() + ": scenario file not found");
    }
    auto s = ScenarioReader(file, file.parent_path()).read();
    s.scenario = file;
    return s;
}

void detail::apply_scenario_table(const toml::table& table, const std::filesystem::path& file,
                                  const std::filesystem::path& dir, const std::string& context,
                                  std::initializer_list<std::string_view> also, CoverageSettings& s) {
    ScenarioReader(file, dir, context).apply(table, s, also);
}

namespace {

// A standard or profile given by name lives in the data folder; a path is used as given.
std::filesystem::path named_or_path(const std::string& name, const char* folder) {
    if (name.find('/') != std::string::npos || name.ends_with(".toml")) return name;
    return io::data_dir() / folder / (name + ".toml");
}

} // namespace

FacilitySources facility_sources(const CoverageSettings& s) {
    FacilitySources out;
    out.osm = s.osm_facilities;
    for (const auto& layer : s.facility_layers)
        if (!layer.options.category.empty()) out.layer_categories.push_back(layer.options.category);
    std::sort(out.layer_categories.begin(), out.layer_categories.end());
    out.layer_categories.erase(std::unique(out.layer_categories.begin(), out.layer_categories.end()),
                               out.layer_categories.end());
    return out;
}

std::vector<std::filesystem::path> input_files(const CoverageSettings& s) {
    std::vector<std::filesystem::path> files{s.osm, s.demand_path, s.communities, s.subdistricts, s.scenario};
    for (const auto& f : s.facility_layers) {
        files.push_back(f.path);
        if (!f.options.poi_format.empty()) {
            files.push_back(io::data_dir() / "categories" / (f.options.poi_format + ".toml"));
            files.push_back(io::data_dir() / "categories" / "poi-types" /
                            (f.options.poi_format == "amap" ? "amap-typecodes.tsv" : "baidu-industry.tsv"));
        }
    }
    files.push_back(s.category_mapping.empty() ? io::data_dir() / "categories" / "osm.toml" : s.category_mapping);
    // --standard may list several, comma-separated.
    for (std::size_t start = 0; start <= s.standard.size();) {
        auto end = s.standard.find(',', start);
        if (end == std::string::npos) end = s.standard.size();
        auto item = s.standard.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) files.push_back(named_or_path(item, "standards"));
        start = end + 1;
    }
    files.push_back(named_or_path(s.walk_profile, "profiles"));
    files.push_back(named_or_path(s.senior_profile, "profiles"));
    files.push_back(s.dem);
    std::erase_if(files, [](const auto& f) { return f.empty(); });
    return files;
}

io::OutputGuard output_guard(const CoverageSettings& s) { return io::OutputGuard{s.force_out, input_files(s)}; }

void save_coverage_networks(const CoverageSettings& s, const std::filesystem::path& walk_file,
                            const std::filesystem::path& senior_file) {
    const io::WalkProfile both[] = {io::load_profile(s.walk_profile), io::load_profile(s.senior_profile)};
    std::optional<io::ElevationModel> dem;
    if (!s.dem.empty()) {
        dem.emplace(s.dem);
    }
    const std::vector<io::WalkNetwork> read = io::read_walk_networks(s.osm, both, dem ? &*dem : nullptr);
    io::save_walk_network(walk_file, read[0]);
    io::save_walk_network(senior_file, read[1]);
}

} // namespace yike::engine
