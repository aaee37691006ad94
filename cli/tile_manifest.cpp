#include "tile_manifest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "arguments.hpp"
#include "coverage_options.hpp"
#include "yike/error.hpp"

namespace yike::cli {

namespace {

// 2: the whole networks' facts for tiles that read only their halo
constexpr const char* kFormat = "yike-tiles/2";

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

nlohmann::json body(const TileManifest& m) {
    nlohmann::json j;
    j["format"] = kFormat;
    j["coverage_options"] = m.coverage_args;
    j["tile_km"] = m.tile_km;
    j["grid"] = {{"lon0", m.grid.lon0}, {"lat0", m.grid.lat0}, {"dlon", m.grid.dlon},
                 {"dlat", m.grid.dlat}, {"cols", m.grid.cols}, {"rows", m.grid.rows}};
    j["tiles"] = m.grid.count();
    if (m.unsafe_halo_m) {
        j["unsafe_halo_m"] = *m.unsafe_halo_m;
    }
    auto frame = [](const io::NetworkPartFrame& f) {
        return nlohmann::json{{"min_lon_e7", f.frame.min_lon_e7}, {"min_lat_e7", f.frame.min_lat_e7},
                              {"max_lon_e7", f.frame.max_lon_e7}, {"max_lat_e7", f.frame.max_lat_e7},
                              {"max_segment_dlon_e7", f.max_segment_dlon_e7},
                              {"max_segment_dlat_e7", f.max_segment_dlat_e7}};
    };
    const engine::TileNetworkFacts& n = m.network;
    j["network"] = {{"walk", frame(n.walk)},
                    {"senior", frame(n.senior)},
                    {"fastest_cm_per_ms", n.fastest_cm_per_ms},
                    {"walk_nodes", n.walk_nodes},
                    {"walk_edges", n.walk_edges},
                    {"walk_way_nodes", n.walk_way_nodes},
                    {"walk_missing_nodes", n.walk_missing_nodes}};
    return j;
}

io::NetworkPartFrame get_frame(const nlohmann::json& j) {
    io::NetworkPartFrame f;
    f.frame.min_lon_e7 = j.at("min_lon_e7").get<std::int32_t>();
    f.frame.min_lat_e7 = j.at("min_lat_e7").get<std::int32_t>();
    f.frame.max_lon_e7 = j.at("max_lon_e7").get<std::int32_t>();
    f.frame.max_lat_e7 = j.at("max_lat_e7").get<std::int32_t>();
    f.max_segment_dlon_e7 = j.at("max_segment_dlon_e7").get<std::int32_t>();
    f.max_segment_dlat_e7 = j.at("max_segment_dlat_e7").get<std::int32_t>();
    return f;
}

} // namespace

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) {
    for (const unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::uint64_t TileManifest::settings_hash(const std::vector<std::string>& extra) const {
    std::uint64_t h = fnv1a(kFormat);
    for (const auto* list : {&coverage_args, &extra}) {
        for (const auto& a : *list) {
            h = fnv1a(a, h);
            h = fnv1a(std::string_view("\0", 1), h);
        }
    }
    return h;
}

std::vector<std::string> given_options(const CLI::App& cmd, const std::vector<std::string>& skip) {
    std::vector<std::string> words;
    for (const CLI::Option* opt : cmd.get_options()) {
        const std::string name = opt->get_name(false, false);
        if (opt->count() == 0 || name.empty() || name.rfind("--", 0) != 0 ||
            std::find(skip.begin(), skip.end(), name) != skip.end()) {
            continue;
        }
        if (opt->get_type_size() == 0) { // a flag
            words.push_back(name);
            continue;
        }
        words.push_back(name);
        for (const std::string& value : opt->results()) {
            std::error_code ec;
            const auto eq = value.rfind('=');
            if (std::filesystem::exists(value, ec)) {
                words.push_back(std::filesystem::absolute(value).lexically_normal().string());
            } else if (eq != std::string::npos && eq > 0 && std::filesystem::exists(value.substr(0, eq), ec)) {
                words.push_back(std::filesystem::absolute(value.substr(0, eq)).lexically_normal().string() +
                                value.substr(eq));
            } else {
                words.push_back(value);
            }
        }
    }
    return words;
}

void write_tile_manifest(const std::filesystem::path& file, TileManifest& manifest) {
    nlohmann::json j = body(manifest);
    manifest.id = fnv1a(j.dump());
    j["checksum"] = hex(manifest.id);
    std::ofstream out(file, std::ios::trunc);
    out << j.dump(2) << '\n';
    out.close();
    if (!out) {
        throw io_error(file.string() + ": cannot write the manifest");
    }
}

TileManifest read_tile_manifest(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        throw io_error(file.string() + ": manifest not found (write it with yike tiles)");
    }
    std::stringstream text;
    text << in.rdbuf();
    const std::string where = file.string() + ": ";
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        throw data_error(where + "not a valid manifest (" + std::string(e.what()) + ")");
    }
    TileManifest m;
    try {
        if (j.at("format") != kFormat) {
            throw data_error(where + "not a yike tiles manifest (format " + j.at("format").dump() + ")");
        }
        m.coverage_args = j.at("coverage_options").get<std::vector<std::string>>();
        m.tile_km = j.at("tile_km").get<double>();
        const auto& g = j.at("grid");
        m.grid.lon0 = g.at("lon0").get<double>();
        m.grid.lat0 = g.at("lat0").get<double>();
        m.grid.dlon = g.at("dlon").get<double>();
        m.grid.dlat = g.at("dlat").get<double>();
        m.grid.cols = g.at("cols").get<std::uint32_t>();
        m.grid.rows = g.at("rows").get<std::uint32_t>();
        if (j.contains("unsafe_halo_m")) {
            m.unsafe_halo_m = j.at("unsafe_halo_m").get<double>();
        }
        const auto& n = j.at("network");
        m.network.walk = get_frame(n.at("walk"));
        m.network.senior = get_frame(n.at("senior"));
        m.network.fastest_cm_per_ms = n.at("fastest_cm_per_ms").get<double>();
        m.network.walk_nodes = n.at("walk_nodes").get<std::uint32_t>();
        m.network.walk_edges = n.at("walk_edges").get<std::uint32_t>();
        m.network.walk_way_nodes = n.at("walk_way_nodes").get<std::uint64_t>();
        m.network.walk_missing_nodes = n.at("walk_missing_nodes").get<std::uint64_t>();
        const std::string checksum = j.at("checksum").get<std::string>();
        m.id = fnv1a(body(m).dump());
        if (checksum != hex(m.id) || j.at("tiles").get<std::uint32_t>() != m.grid.count()) {
            throw data_error(where + "edited by hand or damaged (checksum " + checksum + " does not match its content; "
                                     "write it again with yike tiles)");
        }
    } catch (const nlohmann::json::exception& e) {
        throw data_error(where + "not a valid manifest (" + std::string(e.what()) + ")");
    }
    if (m.grid.cols == 0 || m.grid.rows == 0 || !(m.grid.dlon > 0) || !(m.grid.dlat > 0)) {
        throw data_error(where + "the tile grid is empty");
    }
    return m;
}

engine::CoverageSettings manifest_settings(const TileManifest& manifest, const std::vector<std::string>& extra) {
    CLI::App app{"coverage options of a tiled run"};
    CoverageCli c;
    add_coverage_options(app, c);
    std::vector<std::string> words = manifest.coverage_args;
    words.insert(words.end(), extra.begin(), extra.end());
    std::vector<std::string> reversed(words.rbegin(), words.rend()); // CLI11 parses a reversed vector
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        throw usage_error(std::string("the manifest's coverage options: ") + e.what());
    }
    return coverage_settings(c, app, false);
}

std::filesystem::path tile_result_path(const std::filesystem::path& work, std::uint32_t index) {
    return work / ("tile_" + std::to_string(index) + ".ykt");
}

} // namespace yike::cli
