#pragma once
// The files coverage_compare and peers_compare write for their Python peers: little-endian u32
// arrays (the graph's edges among them) and JSON lists of timings.
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "yike/routing/graph.hpp"

namespace yike::bench {

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
