#include "yike/routing/graph_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <type_traits>

#include "yike/error.hpp"

namespace yike::routing {

namespace {

constexpr std::array<char, 8> magic{'Y', 'I', 'K', 'E', 'G', 'R', 'P', 'H'};
constexpr std::uint32_t endian_tag = 0x01020304U;
constexpr std::size_t header_bytes = 32;
// The body's array count doubles as the flag for directional times: a graph without them is
// written exactly as before they existed (20 arrays, so its file is byte-identical and older
// files still load); one with them adds the two back-time arrays at the end.
constexpr std::uint32_t array_count = 20;
constexpr std::uint32_t directional_array_count = 22;

constexpr std::uint64_t prime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t prime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t prime3 = 0x165667B19E3779F9ULL;

std::uint64_t load_word(const std::byte* p) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    return w;
}

std::uint64_t mix_lane(std::uint64_t acc, std::uint64_t word) noexcept {
    return std::rotl(acc + word * prime2, 31) * prime1;
}

constexpr std::size_t padded(std::size_t bytes) noexcept {
    return (bytes + 7) & ~std::size_t{7};
}

// Every array of the graph in file order; `f` gets each vector (const or not).
template <class Graph, class F>
void for_each_array(Graph& g, F&& f) {
    f(g.first_out);
    f(g.node_lon_e7);
    f(g.node_lat_e7);
    f(g.node_x_m);
    f(g.node_y_m);
    f(g.node_osm_id);
    f(g.head);
    f(g.arc_time_ms);
    f(g.arc_length_cm);
    f(g.arc_edge);
    f(g.edge_tail);
    f(g.edge_head);
    f(g.edge_time_ms);
    f(g.edge_length_cm);
    f(g.edge_way_id);
    f(g.edge_first_point);
    f(g.point_lon_e7);
    f(g.point_lat_e7);
    f(g.point_x_m);
    f(g.point_y_m);
}

template <class Graph, class F>
void for_each_directional_array(Graph& g, F&& f) {
    f(g.arc_back_time_ms);
    f(g.edge_back_time_ms);
}

// A read-only memory map of a whole file, unmapped and closed on destruction.
class MappedFile {
public:
    explicit MappedFile(const std::filesystem::path& path) : m_name(path.string()) {
        m_fd = ::open(m_name.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0) {
            throw io_error(m_name + ": cannot open graph file: " + std::generic_category().message(errno));
        }
        struct stat st {};
        if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(m_fd);
            throw io_error(m_name + ": not a regular file");
        }
        m_size = static_cast<std::size_t>(st.st_size);
        if (m_size > 0) {
            void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, m_fd, 0);
            if (p == MAP_FAILED) {
                const int err = errno;
                ::close(m_fd);
                throw io_error(m_name + ": cannot map graph file: " + std::generic_category().message(err));
            }
            m_data = static_cast<const std::byte*>(p);
        }
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile() {
        if (m_data != nullptr) {
            ::munmap(const_cast<std::byte*>(m_data), m_size);
        }
        ::close(m_fd);
    }
    [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {m_data, m_size}; }

private:
    std::string m_name;
    int m_fd = -1;
    const std::byte* m_data = nullptr;
    std::size_t m_size = 0;
}; // class MappedFile

// Reads the body front to back; every read is bounds-checked so that a crafted file whose
// checksum matches still cannot make the loader read outside the map.
class BodyReader {
public:
    BodyReader(std::span<const std::byte> body, const std::string& name) : m_body(body), m_name(name) {}

    template <class T>
    T value() {
        static_assert(std::is_trivially_copyable_v<T>);
        T v{};
        std::memcpy(&v, take(sizeof(T)), sizeof(T));
        return v;
    }
    template <class T>
    void array(std::vector<T>& out) {
        const auto count = value<std::uint64_t>();
        if (count > (m_body.size() - m_offset) / sizeof(T)) {
            throw io_error(m_name + ": graph file is inconsistent (an array runs past the end)");
        }
        out.resize(static_cast<std::size_t>(count));
        const std::size_t bytes = out.size() * sizeof(T);
        if (bytes > 0) {
            std::memcpy(out.data(), take(padded(bytes)), bytes);
        }
    }
    [[nodiscard]] std::span<const std::byte> block(std::size_t bytes) {
        const std::byte* p = take(padded(bytes));
        return {p, bytes};
    }
    [[nodiscard]] bool at_end() const noexcept { return m_offset == m_body.size(); }

private:
    const std::byte* take(std::size_t bytes) {
        if (bytes > m_body.size() - m_offset) {
            throw io_error(m_name + ": graph file is inconsistent (its contents run past the end)");
        }
        const std::byte* p = m_body.data() + m_offset;
        m_offset += bytes;
        return p;
    }

    std::span<const std::byte> m_body;
    const std::string& m_name;
    std::size_t m_offset = 0;
}; // class BodyReader

// The invariants of WalkGraph::check_invariants, as input errors: a loaded file is data.
void validate(const WalkGraph& g, const std::string& name) {
    auto fail = [&](const char* what) { throw io_error(name + ": graph file is inconsistent (" + what + ")"); };
    if (g.first_out.empty() || g.first_out.front() != 0 || g.first_out.back() != g.head.size() ||
        g.head.size() > std::uint64_t{invalid_id}) {
        fail("arc offsets");
    }
    const std::uint32_t n = g.node_count();
    const std::uint32_t m = g.arc_count();
    const std::uint32_t e = g.edge_count();
    if (g.node_lon_e7.size() != n || g.node_lat_e7.size() != n || g.node_x_m.size() != n || g.node_y_m.size() != n ||
        g.node_osm_id.size() != n) {
        fail("node array sizes");
    }
    if (g.arc_time_ms.size() != m || g.arc_length_cm.size() != m || g.arc_edge.size() != m ||
        std::uint64_t{m} != 2 * std::uint64_t{e}) {
        fail("arc array sizes");
    }
    const bool directional = g.has_directional_times();
    if (directional ? (g.edge_back_time_ms.size() != e || g.arc_back_time_ms.size() != m) : !g.arc_back_time_ms.empty()) {
        fail("directional time array sizes");
    }
    if (g.edge_head.size() != e || g.edge_time_ms.size() != e || g.edge_length_cm.size() != e ||
        g.edge_way_id.size() != e || g.edge_first_point.size() != std::size_t{e} + 1) {
        fail("edge array sizes");
    }
    const std::size_t p = g.point_lon_e7.size();
    if (g.point_lat_e7.size() != p || g.point_x_m.size() != p || g.point_y_m.size() != p ||
        g.edge_first_point.front() != 0 || g.edge_first_point.back() != p) {
        fail("point array sizes");
    }
    for (NodeId u = 0; u < n; ++u) {
        if (g.first_out[u] > g.first_out[u + 1]) {
            fail("arc offsets");
        }
    }
    for (EdgeId i = 0; i < e; ++i) {
        if (g.edge_tail[i] >= n || g.edge_head[i] >= n || g.edge_first_point[i + 1] < g.edge_first_point[i] + 2) {
            fail("edges");
        }
    }
    for (NodeId u = 0; u < n; ++u) {
        for (ArcId a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
            const EdgeId edge = WalkGraph::edge_of_arc_value(g.arc_edge[a]);
            if (g.head[a] >= n || edge >= e) {
                fail("arcs");
            }
            const bool rev = WalkGraph::arc_is_reversed_value(g.arc_edge[a]);
            if ((rev ? g.edge_head[edge] : g.edge_tail[edge]) != u || (rev ? g.edge_tail[edge] : g.edge_head[edge]) != g.head[a] ||
                g.arc_time_ms[a] != g.edge_cost(edge, Metric::time_ms, rev) || g.arc_length_cm[a] != g.edge_length_cm[edge] ||
                g.arc_time_ms[a] < 1 || g.arc_length_cm[a] < 1 || g.arc_time_ms[a] >= inf_cost) {
                fail("arcs");
            }
            if (directional && g.arc_back_time_ms[a] != g.edge_cost(edge, Metric::time_ms, !rev)) {
                fail("arcs");
            }
        }
    }
}

// A file being written: mapped read-write so the body is filled in place and hashed once.
class OutputMap {
public:
    OutputMap(const std::string& name, std::size_t size) : m_name(name), m_size(size) {
        m_fd = ::open(m_name.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0) {
            throw io_error(m_name + ": cannot create graph file: " + std::generic_category().message(errno));
        }
        if (::ftruncate(m_fd, static_cast<off_t>(size)) != 0) {
            fail("cannot size graph file");
        }
        void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, 0);
        if (p == MAP_FAILED) {
            fail("cannot map graph file");
        }
        m_data = static_cast<std::byte*>(p);
    }
    OutputMap(const OutputMap&) = delete;
    OutputMap& operator=(const OutputMap&) = delete;
    ~OutputMap() {
        if (m_data != nullptr) {
            ::munmap(m_data, m_size);
        }
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    [[nodiscard]] std::byte* data() noexcept { return m_data; }
    // Flushes and closes; errors (a full disk shows here) throw.
    void finish() {
        if (::msync(m_data, m_size, MS_SYNC) != 0) {
            fail("cannot write graph file");
        }
        ::munmap(m_data, m_size);
        m_data = nullptr;
        if (::close(m_fd) != 0) {
            m_fd = -1;
            throw io_error(m_name + ": cannot write graph file: " + std::generic_category().message(errno));
        }
        m_fd = -1;
    }

private:
    [[noreturn]] void fail(const char* what) {
        const int err = errno;
        throw io_error(m_name + ": " + what + ": " + std::generic_category().message(err));
    }

    std::string m_name;
    std::size_t m_size;
    int m_fd = -1;
    std::byte* m_data = nullptr;
}; // class OutputMap

} // namespace

std::uint64_t graph_file_hash(std::span<const std::byte> bytes) noexcept {
    const std::size_t words = bytes.size() / 8;
    const std::byte* p = bytes.data();
    std::array<std::uint64_t, 4> lane{prime1 + prime2, prime2, 0, 0 - prime1};
    std::size_t w = 0;
    // Four independent lanes keep the multiplier busy (several GB/s); order matters within a lane.
    for (; w + 4 <= words; w += 4) {
        lane[0] = mix_lane(lane[0], load_word(p + 8 * w));
        lane[1] = mix_lane(lane[1], load_word(p + 8 * w + 8));
        lane[2] = mix_lane(lane[2], load_word(p + 8 * w + 16));
        lane[3] = mix_lane(lane[3], load_word(p + 8 * w + 24));
    }
    std::uint64_t h = std::rotl(lane[0], 1) + std::rotl(lane[1], 7) + std::rotl(lane[2], 12) + std::rotl(lane[3], 18);
    for (; w < words; ++w) {
        h = std::rotl(h ^ mix_lane(0, load_word(p + 8 * w)), 27) * prime1 + prime3;
    }
    h ^= static_cast<std::uint64_t>(bytes.size());
    h ^= h >> 33;
    h *= prime2;
    h ^= h >> 29;
    h *= prime3;
    h ^= h >> 32;
    return h;
}

void save_walk_graph(const std::filesystem::path& path, const WalkGraph& graph, std::span<const std::byte> extra) {
    static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big);
    const std::string name = path.string();
    std::size_t body = 8 + 8 + 4 + 4 + 8; // origin lon, lat, speed, array count, extra size
    const bool directional = graph.has_directional_times();
    const std::uint32_t arrays = directional ? directional_array_count : array_count;
    for_each_array(graph, [&](const auto& v) { body += 8 + padded(v.size() * sizeof(v[0])); });
    if (directional) {
        for_each_directional_array(graph, [&](const auto& v) { body += 8 + padded(v.size() * sizeof(v[0])); });
    }
    body += padded(extra.size());
    const std::size_t total = header_bytes + body;

    std::filesystem::path tmp = path;
    tmp += ".tmp";
    try {
        OutputMap out(tmp.string(), total);
        std::byte* base = out.data();
        std::size_t at = header_bytes;
        auto put = [&](const void* src, std::size_t bytes) {
            if (bytes > 0) {
                std::memcpy(base + at, src, bytes);
            }
            std::memset(base + at + bytes, 0, padded(bytes) - bytes);
            at += padded(bytes);
        };
        const LonLat origin = graph.projection.origin();
        const std::uint32_t speed = graph.walk_speed_mm_per_s;
        const std::uint64_t extra_bytes = extra.size();
        std::memcpy(base + at, &origin.lon, 8);
        std::memcpy(base + at + 8, &origin.lat, 8);
        std::memcpy(base + at + 16, &speed, 4);
        std::memcpy(base + at + 20, &arrays, 4);
        std::memcpy(base + at + 24, &extra_bytes, 8);
        at += 32;
        auto put_array = [&](const auto& v) {
            const std::uint64_t count = v.size();
            put(&count, 8);
            put(v.data(), v.size() * sizeof(v[0]));
        };
        for_each_array(graph, put_array);
        if (directional) {
            for_each_directional_array(graph, put_array);
        }
        put(extra.data(), extra.size());

        const std::uint64_t file_bytes = total;
        const std::uint64_t hash = graph_file_hash({base + header_bytes, body});
        std::memcpy(base, magic.data(), magic.size());
        std::memcpy(base + 8, &graph_file_version, 4);
        std::memcpy(base + 12, &endian_tag, 4);
        std::memcpy(base + 16, &file_bytes, 8);
        std::memcpy(base + 24, &hash, 8);
        out.finish();
        std::filesystem::rename(tmp, path);
    } catch (const std::filesystem::filesystem_error& e) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw io_error(name + ": cannot write graph file: " + e.code().message());
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw;
    }
}

LoadedGraph load_walk_graph(const std::filesystem::path& path) {
    const std::string name = path.string();
    const MappedFile file(path);
    const std::span<const std::byte> bytes = file.bytes();
    if (bytes.size() < header_bytes) {
        throw io_error(name + ": not a yike graph file (only " + std::to_string(bytes.size()) + " bytes)");
    }
    if (std::memcmp(bytes.data(), magic.data(), magic.size()) != 0) {
        throw io_error(name + ": not a yike graph file (wrong magic number)");
    }
    std::uint32_t version = 0;
    std::uint32_t tag = 0;
    std::uint64_t file_bytes = 0;
    std::uint64_t hash = 0;
    std::memcpy(&version, bytes.data() + 8, 4);
    std::memcpy(&tag, bytes.data() + 12, 4);
    std::memcpy(&file_bytes, bytes.data() + 16, 8);
    std::memcpy(&hash, bytes.data() + 24, 8);
    if (tag != endian_tag) {
        throw io_error(name + ": graph file written on a machine of the other byte order; rebuild it with `yike graph --save`");
    }
    if (version != graph_file_version) {
        throw io_error(name + ": graph file format version " + std::to_string(version) + ", this yike reads version " +
                       std::to_string(graph_file_version) + "; rebuild it with `yike graph --save`");
    }
    if (file_bytes != bytes.size() || bytes.size() % 8 != 0) {
        throw io_error(name + ": graph file is truncated or extended (" + std::to_string(bytes.size()) +
                       " bytes, header says " + std::to_string(file_bytes) + ")");
    }
    const std::span<const std::byte> body = bytes.subspan(header_bytes);
    if (graph_file_hash(body) != hash) {
        throw io_error(name + ": graph file is corrupt (checksum mismatch)");
    }

    LoadedGraph out;
    WalkGraph& g = out.graph;
    BodyReader in(body, name);
    const auto lon = in.value<double>();
    const auto lat = in.value<double>();
    g.walk_speed_mm_per_s = in.value<std::uint32_t>();
    const auto arrays = in.value<std::uint32_t>();
    if (arrays != array_count && arrays != directional_array_count) {
        throw io_error(name + ": graph file is inconsistent (array count)");
    }
    const auto extra_bytes = in.value<std::uint64_t>();
    g.projection = LocalProjection({lon, lat});
    for_each_array(g, [&](auto& v) { in.array(v); });
    if (arrays == directional_array_count) {
        for_each_directional_array(g, [&](auto& v) { in.array(v); });
        if (g.edge_back_time_ms.empty()) {
            throw io_error(name + ": graph file is inconsistent (directional times without edges)");
        }
    }
    if (extra_bytes > body.size()) {
        throw io_error(name + ": graph file is inconsistent (extra block size)");
    }
    const std::span<const std::byte> extra = in.block(static_cast<std::size_t>(extra_bytes));
    out.extra.assign(extra.begin(), extra.end());
    if (!in.at_end()) {
        throw io_error(name + ": graph file is inconsistent (trailing bytes)");
    }
    validate(g, name);
    return out;
}

} // namespace yike::routing
