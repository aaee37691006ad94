#pragma once
// Coordinate reference systems: anything PROJ knows (EPSG codes, PROJ strings, WKT) plus the two
// Chinese obfuscated systems PROJ does not know, GCJ-02 (AMap, Tencent) and BD-09 (Baidu).
// Everything inside yike is WGS84 lon/lat; readers convert in, writers convert out.
// Accuracy figures and the meaning of "outside China" are in doc/crs.md.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::io {

// A position in some CRS, in the conventional GIS order whatever the CRS definition says:
// x = longitude, y = latitude (degrees) for geographic CRSs; x = easting, y = northing (CRS units,
// usually metres) for projected ones.
struct CrsCoord {
    double x = 0.0;
    double y = 0.0;
};

// ---- GCJ-02 / BD-09 (closed forms and iterative inverses, no PROJ) ---------------------------

// The rough rectangle that the de-facto GCJ-02 implementations use as "China": lon 72.004 to
// 137.8347, lat 0.8293 to 55.8271 (edges included). It also contains neighbours (Korea, western
// Japan, Mongolia, most of South-East Asia...) and misses nothing of China's mainland. Points
// outside it are returned unchanged by every conversion below that involves WGS84.
[[nodiscard]] bool in_china_rough(routing::LonLat p) noexcept;

// WGS84 -> GCJ-02: the published obfuscation formula (Krasovsky-ellipsoid radii scaling a
// polynomial-plus-sine series); being the de-facto definition, it is exact by construction.
[[nodiscard]] routing::LonLat wgs84_to_gcj02(routing::LonLat wgs) noexcept;
// GCJ-02 -> WGS84: fixed-point iteration of the forward formula until it reproduces the input to
// 1e-10 degrees (at most 20 rounds; 3 corrections suffice over China). Round trip
// WGS84 -> GCJ-02 -> WGS84 is within 2e-5 m on a 0.5-degree grid over China.
[[nodiscard]] routing::LonLat gcj02_to_wgs84(routing::LonLat gcj) noexcept;
// GCJ-02 -> BD-09: Baidu's published closed form (applied everywhere, no China test).
[[nodiscard]] routing::LonLat gcj02_to_bd09(routing::LonLat gcj) noexcept;
// BD-09 -> GCJ-02: the published approximate inverse, refined by fixed-point iteration of
// gcj02_to_bd09 to 1e-10 degrees (the closed form alone is off by up to 0.2 m).
[[nodiscard]] routing::LonLat bd09_to_gcj02(routing::LonLat bd) noexcept;
// WGS84 <-> BD-09 via GCJ-02; unchanged outside in_china_rough (tested on the given point).
[[nodiscard]] routing::LonLat wgs84_to_bd09(routing::LonLat wgs) noexcept;
[[nodiscard]] routing::LonLat bd09_to_wgs84(routing::LonLat bd) noexcept;

// ---- Any CRS <-> WGS84 --------------------------------------------------------------------------

namespace detail {
struct CrsImpl;
} // namespace detail

// Converts between one CRS and WGS84 lon/lat. Built from a user string (from --crs or a file):
//  - "GCJ-02", "GCJ02", "BD-09", "BD09" in any letter case (surrounding blanks ignored);
//  - anything PROJ accepts as a CRS: "EPSG:4326", "EPSG:4490" (CGCS2000), "EPSG:3857",
//    "EPSG:4547" (CGCS2000 3-degree Gauss-Krüger CM 114E), "EPSG:2383" (Xian 1980 GK), WKT,
//    PROJJSON, or a "+proj=..." string (" +type=crs" is added when missing).
// Throws yike::config_error naming the string and PROJ's reason when it is none of these.
//
// Points that cannot be converted give std::nullopt, one point at a time: non-finite input, or
// PROJ returning inf/NaN (outside a projection's domain). PROJ does not flag everything absurd:
// a Web Mercator y of 1e30 becomes the pole. Nothing throws after construction.
//
// Each object owns its own PROJ context; PROJ objects are not thread-safe, so the conversion
// methods, although const, must not be called on one object from several threads at once. Copy
// the object (a copy builds a fresh context) to get one per thread. A moved-from object may only be
// assigned to or destroyed.
class CrsTransform {
public:
    explicit CrsTransform(std::string_view crs);
    CrsTransform(const CrsTransform& other);
    CrsTransform& operator=(const CrsTransform& other);
    CrsTransform(CrsTransform&&) noexcept;
    CrsTransform& operator=(CrsTransform&&) noexcept;
    ~CrsTransform();

    // Source CRS -> WGS84.
    [[nodiscard]] std::optional<routing::LonLat> to_wgs84(CrsCoord p) const;
    [[nodiscard]] std::vector<std::optional<routing::LonLat>> to_wgs84(std::span<const CrsCoord> points) const;
    // WGS84 -> source CRS (for writers that output in the user's CRS).
    [[nodiscard]] std::optional<CrsCoord> from_wgs84(routing::LonLat p) const;
    [[nodiscard]] std::vector<std::optional<CrsCoord>> from_wgs84(std::span<const routing::LonLat> points) const;

    // The string the object was built from, as given.
    [[nodiscard]] const std::string& definition() const noexcept;
    // A readable name: "GCJ-02", "BD-09", or PROJ's name of the CRS (e.g. "WGS 84 / Pseudo-Mercator").
    [[nodiscard]] const std::string& name() const noexcept;
    // True when the CRS is WGS84 lon/lat itself (EPSG:4326 or equivalent), so callers may skip work.
    [[nodiscard]] bool is_wgs84() const noexcept;
    // True for geographic CRSs (lon/lat in degrees), including GCJ-02 and BD-09.
    [[nodiscard]] bool is_geographic() const noexcept;

private:
    std::unique_ptr<detail::CrsImpl> m_impl;
}; // class CrsTransform

} // namespace yike::io
