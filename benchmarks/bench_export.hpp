#pragma once
// The parts coverage_compare and peers_compare share: their command line (OSM_FILE OUT_DIR and
// --name VALUE options) and the files they write for their Python peers, little-endian u32 arrays
// (the graph's edges among them) and JSON lists of timings.
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "yike/routing/graph.hpp"

namespace yike::bench {

// A usage error: "<program>: <why>" and the program's usage lines on stderr, then exit status 2.
[[noreturn]] inline void exit_with_usage(const char* program, const std::string& why, const char* usage_lines) {
    std::cerr << program << ": " << why << "\n" << usage_lines;
    std::exit(2);
}

// Walks the command line: `option(name, value)` takes an option starting with "--", fetching its
// value with value(), and returns false for an unknown name; the rest are OSM_FILE and OUT_DIR.
// Anything wrong goes to `usage` (the program's [[noreturn]] usage message).
template <class Option, class Usage>
std::pair<std::filesystem::path, std::filesystem::path> parse_command_line(int argc, char** argv, Option option,
                                                                          Usage usage) {
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const std::function<std::string()> value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage(arg + " needs a value");
            }
            return argv[++i];
        };
        if (!arg.starts_with("--")) {
            positional.push_back(arg);
        } else if (!option(arg, value)) {
            usage("unknown option " + arg);
        }
    }
    if (positional.size() != 2) {
        usage("expected OSM_FILE and OUT_DIR");
    }
    return {positional[0], positional[1]};
}

inline void write_u32(const std::filesystem::path& path, const std::vector<std::uint32_t>& values) {
    static_assert(std::endian::native == std::endian::little, "the export is little-endian");
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * 4));
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

// dir/edges.bin: tail, head, time_ms, length_cm per edge.
inline void write_edges(const std::filesystem::path& dir, const routing::WalkGraph& g) {
    std::vector<std::uint32_t> edges;
    edges.reserve(std::size_t{4} * g.edge_count());
    for (routing::EdgeId e = 0; e < g.edge_count(); ++e) {
        edges.insert(edges.end(), {g.edge_tail[e], g.edge_head[e], g.edge_time_ms[e], g.edge_length_cm[e]});
    }
    write_u32(dir / "edges.bin", edges);
}

// [a, b, ...] with six decimals.
inline std::string json_list(const std::vector<double>& v) {
    std::ostringstream out;
    out.precision(6);
    out << std::fixed << '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
        out << (i ? ", " : "") << v[i];
    }
    out << ']';
    return out.str();
}

} // namespace yike::bench
