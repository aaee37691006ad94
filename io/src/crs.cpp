#include "yike/io/crs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <tuple>
#include <utility>

#include <proj.h>

#include "yike/error.hpp"

namespace yike::io {

using routing::LonLat;

namespace {

// ---- GCJ-02 ------------------------------------------------------------------------------------
// The published constants of the obfuscation: the Krasovsky 1940 semi-major axis and (a value
// close to) its first eccentricity squared.
constexpr double krasovsky_a_m = 6378245.0;
constexpr double krasovsky_ee = 0.00669342162296594323;

constexpr double china_lon_min = 72.004;
constexpr double china_lon_max = 137.8347;
constexpr double china_lat_min = 0.8293;
constexpr double china_lat_max = 55.8271;

// Iterative inverses stop once the forward formula reproduces the target to this many degrees
// (1e-10 degrees is about 0.01 mm); contraction is a few 1e-3 per round, so 3 rounds suffice.
constexpr double inverse_tolerance_deg = 1e-10;
constexpr int inverse_max_rounds = 20;

constexpr double pi = std::numbers::pi;
constexpr double deg_to_rad = pi / 180.0;

// The series of the published formula, offsets from (105E, 35N). They are best read as metres of
// northward and eastward shift on the Krasovsky ellipsoid, which is how shift_deg uses them.
double shift_north_m(double x, double y) {
    return -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x)) +
           (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0 +
           (20.0 * std::sin(y * pi) + 40.0 * std::sin(y / 3.0 * pi)) * 2.0 / 3.0 +
           (160.0 * std::sin(y / 12.0 * pi) + 320.0 * std::sin(y * pi / 30.0)) * 2.0 / 3.0;
}

double shift_east_m(double x, double y) {
    return 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x)) +
           (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0 +
           (20.0 * std::sin(x * pi) + 40.0 * std::sin(x / 3.0 * pi)) * 2.0 / 3.0 +
           (150.0 * std::sin(x / 12.0 * pi) + 300.0 * std::sin(x / 30.0 * pi)) * 2.0 / 3.0;
}

// GCJ-02 minus WGS84 at a WGS84 point, in degrees: the metre shifts divided by the meridional and
// parallel radii of curvature of the Krasovsky ellipsoid.
LonLat gcj_shift_deg(LonLat wgs) {
    const double x = wgs.lon - 105.0;
    const double y = wgs.lat - 35.0;
    const double phi = wgs.lat * deg_to_rad;
    const double s = std::sin(phi);
    const double w2 = 1.0 - krasovsky_ee * s * s;
    const double w = std::sqrt(w2);
    const double meridional_m = krasovsky_a_m * (1.0 - krasovsky_ee) / (w2 * w);
    const double prime_vertical_m = krasovsky_a_m / w;
    return {shift_east_m(x, y) / (prime_vertical_m * std::cos(phi) * deg_to_rad),
            shift_north_m(x, y) / (meridional_m * deg_to_rad)};
}

LonLat gcj_forward(LonLat wgs) {
    const LonLat d = gcj_shift_deg(wgs);
    return {wgs.lon + d.lon, wgs.lat + d.lat};
}

// Solves forward(p) == target by p <- p - (forward(p) - target). The forward map is the identity
// plus a shift whose derivative is a few thousandths, so this is a strong contraction.
template <class Forward>
LonLat invert(Forward forward, LonLat target, LonLat start) {
    LonLat p = start;
    for (int round = 0; round < inverse_max_rounds; ++round) {
        const LonLat f = forward(p);
        const double dlon = f.lon - target.lon;
        const double dlat = f.lat - target.lat;
        if (std::abs(dlon) < inverse_tolerance_deg && std::abs(dlat) < inverse_tolerance_deg) {
            break;
        }
        p.lon -= dlon;
        p.lat -= dlat;
    }
    return p;
}

// ---- BD-09 ---------------------------------------------------------------------------------------
constexpr double bd_x_pi = pi * 3000.0 / 180.0;
constexpr double bd_lon_offset = 0.0065;
constexpr double bd_lat_offset = 0.006;

LonLat bd_forward(LonLat gcj) {
    const double x = gcj.lon;
    const double y = gcj.lat;
    const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * bd_x_pi);
    const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * bd_x_pi);
    return {z * std::cos(theta) + bd_lon_offset, z * std::sin(theta) + bd_lat_offset};
}

LonLat bd_approximate_inverse(LonLat bd) {
    const double x = bd.lon - bd_lon_offset;
    const double y = bd.lat - bd_lat_offset;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * bd_x_pi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * bd_x_pi);
    return {z * std::cos(theta), z * std::sin(theta)};
}

bool finite(LonLat p) { return std::isfinite(p.lon) && std::isfinite(p.lat); }

std::string lower_trimmed(std::string_view s) {
    const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && blank(s.back())) {
        s.remove_suffix(1);
    }
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

// Messages must stay on one line.
std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    return s;
}

} // namespace

bool in_china_rough(LonLat p) noexcept {
    return p.lon >= china_lon_min && p.lon <= china_lon_max && p.lat >= china_lat_min && p.lat <= china_lat_max;
}

LonLat wgs84_to_gcj02(LonLat wgs) noexcept {
    if (!in_china_rough(wgs)) {
        return wgs;
    }
    return gcj_forward(wgs);
}

LonLat gcj02_to_wgs84(LonLat gcj) noexcept {
    if (!in_china_rough(gcj)) {
        return gcj;
    }
    // Starting from the shift at the GCJ-02 point already gets within ~1 m.
    const LonLat d = gcj_shift_deg(gcj);
    return invert(gcj_forward, gcj, {gcj.lon - d.lon, gcj.lat - d.lat});
}

LonLat gcj02_to_bd09(LonLat gcj) noexcept { return bd_forward(gcj); }

LonLat bd09_to_gcj02(LonLat bd) noexcept {
    if (!finite(bd)) {
        return bd;
    }
    return invert(bd_forward, bd, bd_approximate_inverse(bd));
}

LonLat wgs84_to_bd09(LonLat wgs) noexcept {
    if (!in_china_rough(wgs)) {
        return wgs;
    }
    return bd_forward(gcj_forward(wgs));
}

LonLat bd09_to_wgs84(LonLat bd) noexcept {
    if (!in_china_rough(bd)) {
        return bd;
    }
    return gcj02_to_wgs84(bd09_to_gcj02(bd));
}

// ---- CrsTransform --------------------------------------------------------------------------------

namespace detail {

struct CrsImpl {
    enum class Kind { proj, gcj02, bd09 };

    Kind kind = Kind::proj;
    std::string definition;
    std::string name;
    bool wgs84 = false;
    bool geographic = false;
    PJ_CONTEXT* ctx = nullptr;
    PJ* op = nullptr; // source CRS -> WGS84, lon/lat and easting/northing order
    std::string last_error; // PROJ's last logged error, for messages

    explicit CrsImpl(std::string_view text);
    CrsImpl(const CrsImpl&) = delete;
    CrsImpl& operator=(const CrsImpl&) = delete;
    ~CrsImpl() { release(); }

private:
    void init_proj();
    void release() noexcept {
        if (op != nullptr) {
            proj_destroy(op);
            op = nullptr;
        }
        if (ctx != nullptr) {
            proj_context_destroy(ctx);
            ctx = nullptr;
        }
    }
    [[noreturn]] void fail(std::string_view what) const;
}; // struct CrsImpl

namespace {

struct PjDeleter {
    void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

void capture_log(void* data, int level, const char* message) {
    if (level == PJ_LOG_ERROR && data != nullptr && message != nullptr) {
        static_cast<CrsImpl*>(data)->last_error = message;
    }
}

bool is_geographic_type(PJ_TYPE t) {
    return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS || t == PJ_TYPE_GEOGRAPHIC_CRS;
}

} // namespace

CrsImpl::CrsImpl(std::string_view text) : definition(text) {
    const std::string key = lower_trimmed(text);
    if (key == "gcj-02" || key == "gcj02") {
        kind = Kind::gcj02;
        name = "GCJ-02";
        geographic = true;
        return;
    }
    if (key == "bd-09" || key == "bd09") {
        kind = Kind::bd09;
        name = "BD-09";
        geographic = true;
        return;
    }
    if (key.empty()) {
        throw config_error("crs '" + definition + "': empty CRS name (give e.g. EPSG:4326, GCJ-02 or BD-09)");
    }
    try {
        init_proj();
    } catch (...) {
        release(); // a constructor that throws gets no destructor call
        throw;
    }
}

void CrsImpl::fail(std::string_view what) const {
    std::string message = "crs '" + one_line(definition) + "': " + std::string(what);
    if (!last_error.empty()) {
        message += " (" + one_line(last_error) + ")";
    } else if (ctx != nullptr && proj_context_errno(ctx) != 0) {
        const char* reason = proj_context_errno_string(ctx, proj_context_errno(ctx));
        if (reason != nullptr) {
            message += " (" + one_line(reason) + ")";
        }
    }
    throw config_error(message);
}

void CrsImpl::init_proj() {
    ctx = proj_context_create();
    if (ctx == nullptr) {
        fail("cannot create a PROJ context");
    }
    // Keep PROJ quiet on stderr; its reasons go into our error messages instead.
    proj_log_func(ctx, this, capture_log);
    proj_log_level(ctx, PJ_LOG_ERROR);

    const std::string trimmed = [&] {
        std::string s = definition;
        s.erase(0, s.find_first_not_of(" \t\r\n"));
        s.erase(s.find_last_not_of(" \t\r\n") + 1);
        return s;
    }();
    PjPtr source(proj_create(ctx, trimmed.c_str()));
    if ((source == nullptr || proj_is_crs(source.get()) == 0) && trimmed.starts_with('+') &&
        lower_trimmed(trimmed).find("+type=crs") == std::string::npos) {
        // A bare "+proj=..." string describes an operation, not a CRS, unless marked as one.
        PjPtr retry(proj_create(ctx, (trimmed + " +type=crs").c_str()));
        if (retry != nullptr) {
            source = std::move(retry);
            last_error.clear();
        }
    }
    if (source == nullptr) {
        fail("not a CRS known to PROJ (expected e.g. EPSG:4326, EPSG:4547, a PROJ string, WKT, GCJ-02 or BD-09)");
    }
    if (proj_is_crs(source.get()) == 0) {
        fail("PROJ reads this as an operation, not a coordinate reference system");
    }
    PjPtr target(proj_create(ctx, "EPSG:4326"));
    if (target == nullptr) {
        fail("PROJ cannot load EPSG:4326 (is proj.db installed?)");
    }
    PjPtr raw(proj_create_crs_to_crs_from_pj(ctx, source.get(), target.get(), nullptr, nullptr));
    if (raw == nullptr) {
        fail("PROJ finds no transformation to WGS84");
    }
    op = proj_normalize_for_visualization(ctx, raw.get());
    if (op == nullptr) {
        fail("PROJ cannot normalise the axis order");
    }
    if (const char* n = proj_get_name(source.get()); n != nullptr) {
        name = n;
    } else {
        name = trimmed;
    }
    PJ_TYPE type = proj_get_type(source.get());
    if (type == PJ_TYPE_BOUND_CRS) {
        PjPtr base(proj_get_source_crs(ctx, source.get()));
        if (base != nullptr) {
            type = proj_get_type(base.get());
        }
    }
    geographic = is_geographic_type(type);
    wgs84 = proj_is_equivalent_to_with_ctx(ctx, source.get(), target.get(),
                                           PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
    last_error.clear();
}

} // namespace detail

CrsTransform::CrsTransform(std::string_view crs) : m_impl(std::make_unique<detail::CrsImpl>(crs)) {}

CrsTransform::CrsTransform(const CrsTransform& other)
    : m_impl(std::make_unique<detail::CrsImpl>(other.m_impl->definition)) {}

CrsTransform& CrsTransform::operator=(const CrsTransform& other) {
    if (this != &other) {
        m_impl = std::make_unique<detail::CrsImpl>(other.m_impl->definition);
    }
    return *this;
}

CrsTransform::CrsTransform(CrsTransform&&) noexcept = default;
CrsTransform& CrsTransform::operator=(CrsTransform&&) noexcept = default;
CrsTransform::~CrsTransform() = default;

namespace {

using Kind = detail::CrsImpl::Kind;

std::optional<LonLat> checked(LonLat p) {
    if (!finite(p)) {
        return std::nullopt;
    }
    return p;
}

// One point through PROJ; HUGE_VAL (PROJ's failure mark) and NaN both become nullopt.
std::optional<CrsCoord> proj_point(PJ* op, PJ_DIRECTION direction, double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) {
        return std::nullopt;
    }
    const PJ_COORD out = proj_trans(op, direction, proj_coord(x, y, 0.0, 0.0));
    if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y) || out.xy.x == HUGE_VAL || out.xy.y == HUGE_VAL) {
        return std::nullopt;
    }
    return CrsCoord{out.xy.x, out.xy.y};
}

// A batch through PROJ in one proj_trans_generic call, with the same failure rule per point;
// `coords` gives a point's two coordinates in PROJ's order.
template <class Out, class In, class Coords>
std::vector<std::optional<Out>> proj_batch(PJ* op, PJ_DIRECTION direction, std::span<const In> points, Coords coords) {
    const std::size_t n = points.size();
    std::vector<double> x(n);
    std::vector<double> y(n);
    std::vector<bool> bad(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::tie(x[i], y[i]) = coords(points[i]);
        bad[i] = !std::isfinite(x[i]) || !std::isfinite(y[i]);
        if (bad[i]) {
            x[i] = 0.0; // keep PROJ away from NaN input; the point is reported as failed anyway
            y[i] = 0.0;
        }
    }
    if (n > 0) {
        proj_trans_generic(op, direction, x.data(), sizeof(double), n, y.data(), sizeof(double), n, nullptr, 0, 0,
                           nullptr, 0, 0);
    }
    std::vector<std::optional<Out>> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!bad[i] && std::isfinite(x[i]) && std::isfinite(y[i])) {
            out[i] = Out{x[i], y[i]};
        }
    }
    return out;
}

// A built-in datum's shift of `p`: nullopt when p is not finite or the result is not valid (checked).
std::optional<LonLat> shifted(LonLat p, LonLat (*shift)(LonLat) noexcept) { return finite(p) ? checked(shift(p)) : std::nullopt; }

// The built-in datums' batches: each point on its own.
template <class In, class One>
auto each_point(std::span<const In> points, One one) {
    std::vector<decltype(one(points[0]))> out(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        out[i] = one(points[i]);
    }
    return out;
}

} // namespace

std::optional<LonLat> CrsTransform::to_wgs84(CrsCoord p) const {
    const LonLat q{p.x, p.y};
    switch (m_impl->kind) {
    case Kind::gcj02:
        return shifted(q, gcj02_to_wgs84);
    case Kind::bd09:
        return shifted(q, bd09_to_wgs84);
    case Kind::proj:
        break;
    }
    const auto r = proj_point(m_impl->op, PJ_FWD, p.x, p.y);
    if (!r) {
        return std::nullopt;
    }
    return LonLat{r->x, r->y};
}

std::optional<CrsCoord> CrsTransform::from_wgs84(LonLat p) const {
    std::optional<LonLat> r;
    switch (m_impl->kind) {
    case Kind::gcj02:
        r = shifted(p, wgs84_to_gcj02);
        break;
    case Kind::bd09:
        r = shifted(p, wgs84_to_bd09);
        break;
    case Kind::proj:
        return proj_point(m_impl->op, PJ_INV, p.lon, p.lat);
    }
    if (!r) {
        return std::nullopt;
    }
    return CrsCoord{r->lon, r->lat};
}

std::vector<std::optional<LonLat>> CrsTransform::to_wgs84(std::span<const CrsCoord> points) const {
    if (m_impl->kind == Kind::proj) {
        return proj_batch<LonLat>(m_impl->op, PJ_FWD, points, [](const CrsCoord& p) { return std::pair{p.x, p.y}; });
    }
    return each_point(points, [this](const CrsCoord& p) { return to_wgs84(p); });
}

std::vector<std::optional<CrsCoord>> CrsTransform::from_wgs84(std::span<const LonLat> points) const {
    if (m_impl->kind == Kind::proj) {
        return proj_batch<CrsCoord>(m_impl->op, PJ_INV, points, [](const LonLat& p) { return std::pair{p.lon, p.lat}; });
    }
    return each_point(points, [this](const LonLat& p) { return from_wgs84(p); });
}

const std::string& CrsTransform::definition() const noexcept { return m_impl->definition; }
const std::string& CrsTransform::name() const noexcept { return m_impl->name; }
bool CrsTransform::is_wgs84() const noexcept { return m_impl->wgs84; }
bool CrsTransform::is_geographic() const noexcept { return m_impl->geographic; }

} // namespace yike::io
