#pragma once
// The walking network of `yike graph` and `yike isochrone`: --osm or --graph, --profile, --speed.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"

namespace yike::cli {

struct NetworkOptions {
    std::string osm;
    std::string graph; // a graph file written by `yike graph --save`, instead of --osm
    std::string profile = "walk";
    std::optional<double> speed_m_per_s;
    std::string dem; // an elevation model for slopes (with --osm only)
    CLI::Option* profile_option = nullptr;

    // The file the network comes from, for messages.
    [[nodiscard]] const std::string& source() const noexcept { return graph.empty() ? osm : graph; }
    // The files the network is read from (extract or graph file, a profile given as a file): no
    // output may overwrite them.
    [[nodiscard]] std::vector<std::filesystem::path> input_files() const {
        std::vector<std::filesystem::path> files{osm, graph, dem};
        if (std::filesystem::is_regular_file(profile)) files.emplace_back(profile);
        return files;
    }
};

void add_network_options(CLI::App& cmd, NetworkOptions& o);

// Reads the network (and sets the profile it was built with); warns about missing node references.
io::WalkNetwork load_network(const NetworkOptions& o, io::WalkProfile& profile);

} // namespace yike::cli
