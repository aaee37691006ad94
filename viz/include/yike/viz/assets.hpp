#pragma once
// Front-end files built into the binary: the npm packages the build installed (Leaflet) and
// yike's own page scripts and styles (viz/web/src). The HTML report inlines them and `yike serve`
// serves them, so neither needs the network or files beside the binary.
#include <span>
#include <string_view>

namespace yike::viz {

struct Asset {
    std::string_view name;    // file name, e.g. "leaflet.js", "planner.js"
    std::string_view mime;    // from the extension, e.g. "text/javascript; charset=utf-8"
    std::string_view content;
};

// Every asset, sorted by name.
[[nodiscard]] std::span<const Asset> assets() noexcept;

// The asset of that name, or nullptr.
[[nodiscard]] const Asset* find_asset(std::string_view name) noexcept;

// The asset of that name; a missing one is a build defect (YIKE_ASSERT).
[[nodiscard]] const Asset& asset(std::string_view name);

} // namespace yike::viz
