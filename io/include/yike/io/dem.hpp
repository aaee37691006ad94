#pragma once
// Digital elevation models (any raster GDAL reads: GeoTIFF, ESRI ASCII grid, SRTM .hgt, ...) and
// the slope of street pieces sampled on them.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "yike/io/profile.hpp"
#include "yike/routing/geo.hpp"
#include "yike/routing/graph.hpp"

namespace yike::io {

// A DEM opened for height lookups at WGS84 points. The file is opened and checked at once
// (readable raster, one band, north-up georeferencing, a CRS); its cells are read later, only the
// window the lookups need. Heights are bilinear between cell centres: a DEM cell value is the
// height at (or averaged around) the cell's centre, and nearest-cell lookup would turn a steady
// slope into flat steps with jumps at cell borders (zero slope, then a cliff), which a per-segment
// slope would pick up as spurious steep pieces.
class ElevationModel {
public:
    // Throws yike::io_error naming the file when it is missing or not a readable raster, and
    // yike::data_error when it has no CRS, no (or a rotated) georeferencing, or no band.
    explicit ElevationModel(const std::filesystem::path& file);
    ~ElevationModel();
    ElevationModel(ElevationModel&&) noexcept;
    ElevationModel& operator=(ElevationModel&&) noexcept;
    ElevationModel(const ElevationModel&) = delete;
    ElevationModel& operator=(const ElevationModel&) = delete;

    // Heights in metres at the points (WGS84), reprojected to the DEM's CRS when it has another;
    // NaN where a point lies outside the DEM or one of the cells around it is nodata.
    [[nodiscard]] std::vector<double> heights_m(std::span<const routing::LonLat> points) const;

    // The smaller cell side in metres (at the DEM's centre latitude for a geographic CRS).
    [[nodiscard]] double cell_size_m() const noexcept;
    [[nodiscard]] const std::filesystem::path& file() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
}; // class ElevationModel

// Time factor (flat time x factor) of Tobler's hiking function normalised to the flat:
// exp(b (|s + c| - c)) for a slope s (rise over run in the walking direction).
[[nodiscard]] double tobler_time_factor(double slope, double b, double c) noexcept;

// What sampling a DEM along the street pieces found, for the warning and the statistics.
struct SlopeReport {
    std::uint64_t segments = 0;           // way segments (between consecutive OSM nodes) sampled
    std::uint64_t segments_without_height = 0; // partly outside the DEM or on nodata: taken as flat
    std::uint64_t segments_too_steep = 0; // removed: steeper than the profile's max incline
    double steepest_percent = 0.0;        // the steepest sampled piece, for the statistics
};

// Samples the DEM along every segment of every piece (at its points and every cell size in
// between) and, for a profile with the Tobler model, sets each piece's per-segment time factors
// both ways; for a profile with max_incline_permille, cuts out the segments any sampled piece of
// which is steeper than it (in either direction: a wheelchair can no more brake safely down a
// slope than push up it). Segments without a height everywhere are flat and never cut.
void apply_slope(std::vector<routing::EdgeInput>& pieces, const ElevationModel& dem, const WalkProfile& profile,
                 SlopeReport& report);

// The one-line warning for segments without a height ("" when there are none).
[[nodiscard]] std::string slope_warning_text(const ElevationModel& dem, const SlopeReport& report);

} // namespace yike::io
