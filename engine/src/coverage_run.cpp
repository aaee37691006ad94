#include "yike/engine/coverage_run.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "detail/parallel.hpp"
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
    }
    // A tile run reads the networks only once its sites are read, and cuts them at once: the
    // reading of the sites (a location index of every node) and the whole graphs are then never
    // held together, so the task's peak is the larger of the two rather than their sum.
    const bool networks_after_sites = s.tile.has_value() && s.walk_network_file.empty();
    auto read_networks = [&] {
        io::phase_mark("read_networks");
        say("reading the walking network of " + s.osm.string());
        // One reading of the extract for both profiles.
        const io::WalkProfile both[] = {walk, senior};
        std::vector<io::WalkNetwork> read = io::read_walk_networks(s.osm, both, dem ? &*dem : nullptr);
        net.walk_net = std::move(read[0]);
        net.senior_net = std::move(read[1]);
    };
    if (s.walk_network_file.empty() && !networks_after_sites) {
        read_networks();
    }
    const io::WalkNetwork& walk_net = net.walk_net;
    const io::WalkNetwork& senior_net = net.senior_net;
    // The report's line on the network and the reader's warnings, which go after the extras'
    // warnings and before the layers' (`at`), whenever the networks are read.
    std::string network_text;
    // A tile run reading only its halo's part takes the whole network's figures from its manifest.
    const TileNetworkFacts* facts =
        s.tile && s.tile->network && s.walk_network_file.empty() ? &*s.tile->network : nullptr;
    if (facts != nullptr && dem) {
        throw config_error("--dem " + s.dem.string() + ": tiled runs do not read a DEM yet; run yike coverage without tiles");
    }
    auto describe_networks = [&](io::ReadWarnings& w, std::size_t at) {
        // Counted before a tile run cuts the graphs to its halo: the report describes the whole network.
        const std::uint32_t nodes = facts != nullptr ? facts->walk_nodes : walk_net.graph.node_count();
        const std::uint32_t edges = facts != nullptr ? facts->walk_edges : walk_net.graph.edge_count();
        network_text = std::to_string(nodes) + " nodes, " + std::to_string(edges) + " edges (profile " + walk.name + ", " +
                       io::format_number(walk.speed_mm_per_s / 1000.0) + " m/s; senior " +
                       io::format_number(senior.speed_mm_per_s / 1000.0) + " m/s)";
        std::vector<std::string> lines;
        if (walk_net.report.missing_nodes > 0) {
            lines.push_back(io::missing_nodes_text(s.osm, walk_net.report));
        }
        if (dem) {
            // One warning: the senior network samples the same ways.
            const io::SlopeReport& sr = walk_net.report.slope.segments > 0 ? walk_net.report.slope : senior_net.report.slope;
            if (std::string text = io::slope_warning_text(*dem, sr); !text.empty()) {
                lines.push_back(std::move(text));
            }
        }
        w.messages.insert(w.messages.begin() + static_cast<std::ptrdiff_t>(at), lines.begin(), lines.end());
    };

    io::OsmExtrasOptions extras_options;
    extras_options.facilities = s.osm_facilities;
    extras_options.buildings = s.demand_source == DemandSource::estimate_from_buildings;
    extras_options.barriers = true;
    io::phase_mark("read_extras");
    say("reading facilities, buildings and barriers");
    io::OsmExtras extras = io::read_osm_extras(
        s.osm, [&](const io::Tags& tags) { return data.categories.match(tags); }, s.estimate, extras_options);
    io::ReadWarnings warnings = extras.warnings;
    const std::size_t network_warnings_at = warnings.messages.size();
    if (!networks_after_sites) {
        describe_networks(warnings, network_warnings_at);
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
        double fastest = 0.0;
        if (facts != nullptr) {
            fastest = facts->fastest_cm_per_ms;
        } else {
            if (networks_after_sites) {
                read_networks();
                describe_networks(warnings, network_warnings_at);
            }
            fastest = std::max(fastest_cm_per_ms(walk_net.graph), fastest_cm_per_ms(senior_net.graph));
        }
        cut = detail::plan_tile(*s.tile, data, fastest, s.max_snap_m, limits.length_cm, limits.time_ms);
        if (facts != nullptr) {
            // Only the ways that can give an edge in the halo box, and those sharing their nodes
            // (doc/batch.md, "Reading only the halo"): the part equals the whole graph cut to the box.
            io::phase_mark("read_networks");
            say("reading the walking network of " + s.osm.string() + " within the tile's halo");
            const io::WalkProfile both[] = {walk, senior};
            const io::NetworkPartFrame frames[] = {facts->walk, facts->senior};
            std::vector<io::WalkNetwork> read = io::read_walk_network_parts(s.osm, both, frames, cut->halo);
            net.walk_net = std::move(read[0]);
            net.senior_net = std::move(read[1]);
            net.walk_net.report.walkable_way_nodes = facts->walk_way_nodes;
            net.walk_net.report.missing_nodes = facts->walk_missing_nodes;
            describe_networks(warnings, network_warnings_at);
        }
        net.walk_net.graph = cut_graph_to_box(walk_net.graph, cut->halo);
        net.senior_net.graph = cut_graph_to_box(senior_net.graph, cut->halo);
        cut->info.graph_edges = walk_net.graph.edge_count();
        cut->info.walk_edge = edge_keys(walk_net.graph);
        cut->info.senior_edge = edge_keys(senior_net.graph);
        // Only the demand points it may snap stay (in their order): the region's other records
        // are dropped, so its snaps and per-category costs are as large as its halo's demand. No
        // result depends on the dropped ones: unsnapped, they took no part in any search or sum.
        TileCutInfo& info = cut->info;
        YIKE_ASSERT(data.demand.size() < routing::invalid_id);
        info.demand_total = static_cast<std::uint32_t>(data.demand.size());
        std::vector<io::DemandRecord> kept;
        for (std::uint32_t i = 0; i < info.demand_total; ++i) {
            if (cut->snap_demand[i] != 0) {
                info.demand_index.push_back(i);
                kept.push_back(std::move(data.demand[i]));
            }
        }
        data.demand = std::move(kept);
        say("tile " + std::to_string(s.tile->index) + ": " + count_text(cut->info.core_demand_count) +
            " demand points and " + count_text(cut->info.core_facility_count) + " facilities in the core, halo " +
            io::format_number(std::round(cut->info.halo_m)) + " m, " + count_text(cut->info.graph_edges) + " edges");
    }
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
        snap_all(walk_snapper, data.demand.size(), demand_at, demand_doors, s.max_snap_m, s.threads);
    data.facility_snaps = snap_all(walk_snapper, data.facilities.size(), facility_at, facility_doors, s.max_snap_m,
                                   s.threads, snap_facility);
    const auto senior_demand_snaps =
        snap_all(senior_snapper, data.demand.size(), demand_at, demand_doors, s.max_snap_m, s.threads);
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
