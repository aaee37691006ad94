#include "yike/io/dem.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "detail/gdal_handles.hpp"
#include "yike/error.hpp"

namespace yike::io {

namespace {

using detail::DatasetPtr;
using detail::last_gdal_error;
using detail::SrsPtr;
using detail::TransformPtr;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// No segment is cut into more samples than this, whatever the cell size (a 1 km segment on a
// 0.1 m lidar grid would otherwise take 10,000).
constexpr std::uint32_t max_samples_per_segment = 1000;

// The steepest slope (rise over run) Tobler's function is evaluated at.
constexpr double max_slope = 1.0;

} // namespace

struct ElevationModel::Impl {
    std::filesystem::path file;
    DatasetPtr dataset;
    int width = 0;
    int height = 0;
    double gt[6] = {0, 1, 0, 0, 0, 1};
    TransformPtr to_dem; // null: the DEM is in WGS84 longitude/latitude already
    int has_nodata = 0;
    double nodata = 0.0;
    double cell_m = 1.0;
};

ElevationModel::ElevationModel(const std::filesystem::path& file) : m_impl(std::make_unique<Impl>()) {
    Impl& m = *m_impl;
    m.file = file;
    const std::string name = file.string();
    detail::register_gdal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw io_error(name + ": DEM file not found");
    }
    CPLErrorReset();
    m.dataset.reset(GDALOpenEx(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!m.dataset) {
        throw io_error(name + ": DEM is not a readable raster file" + last_gdal_error());
    }
    if (GDALGetRasterCount(m.dataset.get()) < 1) {
        throw data_error(name + ": DEM holds no raster band");
    }
    m.width = GDALGetRasterXSize(m.dataset.get());
    m.height = GDALGetRasterYSize(m.dataset.get());
    if (GDALGetGeoTransform(m.dataset.get(), m.gt) != CE_None) {
        throw data_error(name + ": DEM has no georeferencing (geotransform)");
    }
    if (m.gt[2] != 0.0 || m.gt[4] != 0.0 || m.gt[1] == 0.0 || m.gt[5] == 0.0 || !std::isfinite(m.gt[0]) ||
        !std::isfinite(m.gt[3])) {
        throw data_error(name + ": DEM grid is rotated or degenerate (only north-up grids are read)");
    }
    const OGRSpatialReferenceH file_srs = GDALGetSpatialRef(m.dataset.get());
    if (file_srs == nullptr) {
        throw data_error(name + ": DEM has no coordinate reference system (use a GeoTIFF that has one, or put a .prj "
                                "file beside an .asc grid)");
    }
    SrsPtr dem_srs(OSRClone(file_srs));
    OSRSetAxisMappingStrategy(dem_srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
    SrsPtr wgs84(OSRNewSpatialReference(nullptr));
    OSRSetWellKnownGeogCS(wgs84.get(), "WGS84");
    OSRSetAxisMappingStrategy(wgs84.get(), OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRIsSame(dem_srs.get(), wgs84.get()) == 0) {
        m.to_dem.reset(OCTNewCoordinateTransformation(wgs84.get(), dem_srs.get()));
        if (!m.to_dem) {
            throw data_error(name + ": DEM is in a CRS that WGS84 cannot be transformed to" + last_gdal_error());
        }
    }
    GDALRasterBandH band = GDALGetRasterBand(m.dataset.get(), 1);
    m.nodata = GDALGetRasterNoDataValue(band, &m.has_nodata);
    const double dx = std::abs(m.gt[1]);
    const double dy = std::abs(m.gt[5]);
    if (OSRIsGeographic(dem_srs.get()) != 0) {
        // Degrees to metres at the grid's centre latitude (the sampling step need not be exact).
        const double lat = (m.gt[3] + m.gt[5] * m.height / 2.0) * M_PI / 180.0;
        m.cell_m = std::min(dx * 111'320.0 * std::max(0.01, std::cos(lat)), dy * 110'574.0);
    } else {
        m.cell_m = std::min(dx, dy) * OSRGetLinearUnits(dem_srs.get(), nullptr);
    }
    if (!(m.cell_m > 0.0) || !std::isfinite(m.cell_m)) {
        throw data_error(name + ": DEM cell size is not a positive length");
    }
}

ElevationModel::~ElevationModel() = default;
ElevationModel::ElevationModel(ElevationModel&&) noexcept = default;
ElevationModel& ElevationModel::operator=(ElevationModel&&) noexcept = default;

double ElevationModel::cell_size_m() const noexcept { return m_impl->cell_m; }
const std::filesystem::path& ElevationModel::file() const noexcept { return m_impl->file; }

std::vector<double> ElevationModel::heights_m(std::span<const routing::LonLat> points) const {
    const Impl& m = *m_impl;
    const std::size_t n = points.size();
    std::vector<double> x(n);
    std::vector<double> y(n);
    std::vector<int> ok(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = points[i].lon;
        y[i] = points[i].lat;
    }
    if (m.to_dem && n > 0) {
        std::vector<double> z(n, 0.0);
        // A point the transformation cannot take is only a missing height (its `ok` is 0).
        (void)OCTTransformEx(m.to_dem.get(), static_cast<int>(n), x.data(), y.data(), z.data(), ok.data());
    }
    // Fractional cell coordinates of every point, relative to cell centres.
    std::vector<double> fx(n, nan);
    std::vector<double> fy(n, nan);
    int c_lo = m.width;
    int c_hi = -1;
    int r_lo = m.height;
    int r_hi = -1;
    for (std::size_t i = 0; i < n; ++i) {
        if (ok[i] == 0 || !std::isfinite(x[i]) || !std::isfinite(y[i])) {
            continue;
        }
        const double px = (x[i] - m.gt[0]) / m.gt[1];
        const double py = (y[i] - m.gt[3]) / m.gt[5];
        if (!(px >= 0.0 && px <= m.width && py >= 0.0 && py <= m.height)) {
            continue; // outside the grid
        }
        // Within half a cell of the border the nearest centres are the border cells.
        fx[i] = std::clamp(px - 0.5, 0.0, static_cast<double>(m.width - 1));
        fy[i] = std::clamp(py - 0.5, 0.0, static_cast<double>(m.height - 1));
        const int c = static_cast<int>(fx[i]);
        const int r = static_cast<int>(fy[i]);
        c_lo = std::min(c_lo, c);
        c_hi = std::max(c_hi, std::min(c + 1, m.width - 1));
        r_lo = std::min(r_lo, r);
        r_hi = std::max(r_hi, std::min(r + 1, m.height - 1));
    }
    std::vector<double> heights(n, nan);
    if (c_hi < c_lo || r_hi < r_lo) {
        return heights;
    }
    // Only the window the points need is read.
    const int w = c_hi - c_lo + 1;
    const int h = r_hi - r_lo + 1;
    std::vector<double> cells(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    GDALRasterBandH band = GDALGetRasterBand(m.dataset.get(), 1);
    CPLErrorReset();
    if (GDALRasterIO(band, GF_Read, c_lo, r_lo, w, h, cells.data(), w, h, GDT_Float64, 0, 0) != CE_None) {
        throw io_error(m.file.string() + ": cannot read the DEM's cells" + last_gdal_error());
    }
    auto cell = [&](int c, int r, double& v) {
        v = cells[static_cast<std::size_t>(r - r_lo) * static_cast<std::size_t>(w) + static_cast<std::size_t>(c - c_lo)];
        return std::isfinite(v) && !(m.has_nodata != 0 && v == m.nodata);
    };
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(fx[i])) {
            continue;
        }
        // Within 1e-9 cell of a centre is on it (the noise of the coordinate arithmetic).
        const int c0 = static_cast<int>(std::floor(fx[i] + 1e-9));
        const int r0 = static_cast<int>(std::floor(fy[i] + 1e-9));
        const double tx = fx[i] - c0 < 1e-9 ? 0.0 : fx[i] - c0;
        const double ty = fy[i] - r0 < 1e-9 ? 0.0 : fy[i] - r0;
        // A neighbour of weight 0 (a point on a cell centre's row or column) is not needed.
        const int c1 = tx > 0.0 ? std::min(c0 + 1, m.width - 1) : c0;
        const int r1 = ty > 0.0 ? std::min(r0 + 1, m.height - 1) : r0;
        double v00 = 0.0;
        double v10 = 0.0;
        double v01 = 0.0;
        double v11 = 0.0;
        // All four cells must hold a height: one nodata cell among them makes the point unknown
        // rather than pulling it towards a made-up value.
        if (!cell(c0, r0, v00) || !cell(c1, r0, v10) || !cell(c0, r1, v01) || !cell(c1, r1, v11)) {
            continue;
        }
        heights[i] = (v00 * (1.0 - tx) + v10 * tx) * (1.0 - ty) + (v01 * (1.0 - tx) + v11 * tx) * ty;
    }
    return heights;
}

double tobler_time_factor(double slope, double b, double c) noexcept {
    return std::exp(b * (std::abs(slope + c) - c));
}

void apply_slope(std::vector<routing::EdgeInput>& pieces, const ElevationModel& dem, const WalkProfile& profile,
                 SlopeReport& report) {
    const bool cut = profile.max_incline_permille.has_value();
    if (!profile.slope.tobler && !cut) {
        return; // the profile does not care about slopes
    }
    // 1. Sample points of every segment: its two ends and every cell size in between, so a long
    // straight segment sees the relief under it, not only the heights at its ends.
    const double step_m = std::max(0.5, dem.cell_size_m());
    std::vector<routing::LonLat> samples;
    std::vector<std::uint32_t> parts; // per segment of every piece, in order: how many pieces it is cut into
    for (const routing::EdgeInput& piece : pieces) {
        for (std::size_t i = 0; i + 1 < piece.points.size(); ++i) {
            const routing::LonLat a = piece.points[i];
            const routing::LonLat b = piece.points[i + 1];
            const double len = routing::segment_length_m(a, b);
            const auto k = static_cast<std::uint32_t>(
                std::clamp(std::ceil(len / step_m), 1.0, static_cast<double>(max_samples_per_segment)));
            parts.push_back(k);
            for (std::uint32_t j = 0; j <= k; ++j) {
                const double t = static_cast<double>(j) / k;
                samples.push_back({a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t});
            }
        }
    }
    const std::vector<double> heights = dem.heights_m(samples);

    // 2. Per segment: the time factors each way (mean over its equal parts) and whether it is
    // too steep for the profile.
    const double limit = cut ? *profile.max_incline_permille / 1000.0 : 0.0;
    std::vector<routing::EdgeInput> out;
    out.reserve(pieces.size());
    std::size_t seg = 0;
    std::size_t at = 0;
    for (routing::EdgeInput& piece : pieces) {
        const std::size_t count = piece.points.size() < 2 ? 0 : piece.points.size() - 1;
        std::vector<double> forward(count, 1.0);
        std::vector<double> backward(count, 1.0);
        std::vector<bool> steep(count, false);
        bool any_steep = false;
        for (std::size_t i = 0; i < count; ++i, ++seg) {
            const std::uint32_t k = parts[seg];
            const double* h = heights.data() + at;
            at += k + 1;
            ++report.segments;
            if (!std::all_of(h, h + k + 1, [](double v) { return std::isfinite(v); })) {
                ++report.segments_without_height;
                continue;
            }
            const double part_m = routing::segment_length_m(piece.points[i], piece.points[i + 1]) / k;
            double f = 0.0;
            double fb = 0.0;
            for (std::uint32_t j = 0; j < k; ++j) {
                // A segment shorter than a millimetre has no measurable slope.
                const double s = part_m > 1e-3 ? (h[j + 1] - h[j]) / part_m : 0.0;
                report.steepest_percent = std::max(report.steepest_percent, std::abs(s) * 100.0);
                if (cut && std::abs(s) > limit) {
                    steep[i] = true;
                }
                if (profile.slope.tobler) {
                    // A street steeper than 1:1 is a DEM artefact (a bridge or viaduct over a
                    // valley, a tunnel, a retaining wall beside the street): capped there, so the
                    // time stays finite (at most 33x the flat time for b = 3.5, c = 0.05).
                    const double sc = std::clamp(s, -max_slope, max_slope);
                    f += tobler_time_factor(sc, profile.slope.b, profile.slope.c);
                    fb += tobler_time_factor(-sc, profile.slope.b, profile.slope.c);
                }
            }
            if (profile.slope.tobler) {
                forward[i] = f / k;
                backward[i] = fb / k;
            }
            if (steep[i]) {
                ++report.segments_too_steep;
                any_steep = true;
            }
        }
        if (profile.slope.tobler) {
            piece.segment_time_factor = forward;
            piece.segment_back_time_factor = backward;
        }
        if (!any_steep) {
            out.push_back(std::move(piece));
            continue;
        }
        // The runs of passable segments become pieces of their own; the piece's own ends keep
        // their detachment and crossing delays, the new ends are plain dead ends.
        std::size_t i = 0;
        while (i < count) {
            if (steep[i]) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < count && !steep[j]) {
                ++j;
            }
            routing::EdgeInput part;
            part.way_id = piece.way_id;
            part.speed_mm_per_s = piece.speed_mm_per_s;
            part.points.assign(piece.points.begin() + static_cast<std::ptrdiff_t>(i),
                               piece.points.begin() + static_cast<std::ptrdiff_t>(j + 1));
            part.point_osm_id.assign(piece.point_osm_id.begin() + static_cast<std::ptrdiff_t>(i),
                                     piece.point_osm_id.begin() + static_cast<std::ptrdiff_t>(j + 1));
            if (profile.slope.tobler) {
                part.segment_time_factor.assign(forward.begin() + static_cast<std::ptrdiff_t>(i),
                                                forward.begin() + static_cast<std::ptrdiff_t>(j));
                part.segment_back_time_factor.assign(backward.begin() + static_cast<std::ptrdiff_t>(i),
                                                     backward.begin() + static_cast<std::ptrdiff_t>(j));
            }
            if (i == 0) {
                part.detach_front = piece.detach_front;
                part.front_delay_ms = piece.front_delay_ms;
            }
            if (j == count) {
                part.detach_back = piece.detach_back;
                part.back_delay_ms = piece.back_delay_ms;
            }
            out.push_back(std::move(part));
            i = j;
        }
    }
    pieces = std::move(out);
}

std::string slope_warning_text(const ElevationModel& dem, const SlopeReport& report) {
    if (report.segments_without_height == 0) {
        return {};
    }
    return dem.file().string() + ": " + std::to_string(report.segments_without_height) + " of " +
           std::to_string(report.segments) +
           " way segments lie outside the DEM or on its nodata cells; they are taken as flat";
}

} // namespace yike::io
