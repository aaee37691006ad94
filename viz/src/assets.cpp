#include "yike/viz/assets.hpp"

#include <algorithm>
#include <vector>

#include "yike/assert.hpp"

namespace yike::viz {
namespace detail {
struct EmbeddedFile { const char* name; const unsigned char* data; std::size_t size; };
extern const EmbeddedFile embedded_files[];
extern const std::size_t embedded_file_count;
} // namespace detail

namespace {

std::string_view mime_for(std::string_view name) {
    const auto ends = [&](std::string_view ext) { return name.ends_with(ext); };
    if (ends(".js")) return "text/javascript; charset=utf-8";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".png")) return "image/png";
    if (ends(".json")) return "application/json";
    return "application/octet-stream";
}

const std::vector<Asset>& table() {
    static const std::vector<Asset> all = [] {
        std::vector<Asset> out;
        out.reserve(detail::embedded_file_count);
        for (std::size_t i = 0; i < detail::embedded_file_count; ++i) {
            const auto& f = detail::embedded_files[i];
            const std::string_view name{f.name};
            out.push_back({name, mime_for(name), {reinterpret_cast<const char*>(f.data), f.size}});
        }
        std::sort(out.begin(), out.end(), [](const Asset& a, const Asset& b) { return a.name < b.name; });
        return out;
    }();
    return all;
}

} // namespace

std::span<const Asset> assets() noexcept { return table(); }

const Asset* find_asset(std::string_view name) noexcept {
    const auto& all = table();
    const auto it = std::lower_bound(all.begin(), all.end(), name,
                                     [](const Asset& a, std::string_view n) { return a.name < n; });
    return it != all.end() && it->name == name ? &*it : nullptr;
}

const Asset& asset(std::string_view name) {
    const Asset* found = find_asset(name);
    YIKE_ASSERT(found != nullptr && "asset not built into the binary");
    return *found;
}

} // namespace yike::viz
