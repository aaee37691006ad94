#include "convert.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <bit>
#include <variant>

namespace yike::python {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
    char bytes[4];
    std::memcpy(bytes, &v, 4); // the module is built for little-endian machines only (see below)
    out.append(bytes, 4);
}

// Rounded to 1e-7 degrees, the precision of the data, as the command's GeoJSON writes them: the
// values read back from its files (k / 1e7 is the double nearest the decimal text).
void put_point(std::string& out, routing::LonLat p) {
    const double lon = std::round(p.lon * 1e7) / 1e7;
    const double lat = std::round(p.lat * 1e7) / 1e7;
    char bytes[16];
    std::memcpy(bytes, &lon, 8);
    std::memcpy(bytes + 8, &lat, 8);
    out.append(bytes, 16);
}

void put_points(std::string& out, const std::vector<routing::LonLat>& points) {
    put_u32(out, static_cast<std::uint32_t>(points.size()));
    for (const auto& p : points) put_point(out, p);
}

static_assert(std::endian::native == std::endian::little, "WKB is written in the machine's byte order, flagged little-endian");

} // namespace

std::string to_wkb(const io::Geometry& geometry) {
    std::string out;
    struct Visitor {
        std::string& out;
        void operator()(const std::monostate&) const {}
        void operator()(const io::PointGeometry& g) const {
            out.push_back(1);
            put_u32(out, 1);
            put_point(out, g.point);
        }
        void operator()(const io::LineGeometry& g) const {
            out.push_back(1);
            put_u32(out, 2);
            put_points(out, g.points);
        }
        void operator()(const io::MultiPolygonGeometry& g) const {
            out.push_back(1);
            put_u32(out, 6);
            put_u32(out, static_cast<std::uint32_t>(g.polygons.size()));
            for (const auto& polygon : g.polygons) {
                out.push_back(1);
                put_u32(out, 3);
                const std::vector<const routing::Ring*> rings = routing::rings_of(polygon);
                put_u32(out, static_cast<std::uint32_t>(rings.size()));
                for (const routing::Ring* ring : rings) put_points(out, ring->points);
            }
        }
    };
    std::visit(Visitor{out}, geometry);
    return out;
}

void TableBuilder::add(const io::Feature& feature) {
    for (const auto& [name, value] : feature.properties) {
        auto it = m_index.find(name);
        if (it == m_index.end()) {
            it = m_index.emplace(name, m_names.size()).first;
            m_names.push_back(name);
            m_values.emplace_back(m_rows); // missing in the rows before
        }
        auto& column = m_values[it->second];
        if (column.size() == m_rows) column.push_back(value); // a repeated name keeps its first value
    }
    for (auto& column : m_values) {
        if (column.size() == m_rows) column.emplace_back();
    }
    m_has_geometry.push_back(!std::holds_alternative<std::monostate>(feature.geometry));
    m_wkb.push_back(to_wkb(feature.geometry));
    ++m_rows;
}

void TableBuilder::add(const io::LayerSource& layer) {
    io::Feature f;
    for (std::size_t i = 0; i < layer.size; ++i) {
        f.geometry = std::monostate{};
        f.properties.clear();
        layer.feature(i, f);
        add(f);
    }
}

py::tuple TableBuilder::take() {
    py::dict columns;
    for (std::size_t c = 0; c < m_names.size(); ++c) {
        auto& values = m_values[c];
        bool all_int = true, all_bool = true, numeric = true;
        for (const auto& v : values) {
            const bool missing = std::holds_alternative<std::monostate>(v);
            all_int = all_int && std::holds_alternative<std::int64_t>(v);
            all_bool = all_bool && std::holds_alternative<bool>(v);
            numeric = numeric && (missing || std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v));
        }
        const py::str name(m_names[c]);
        if (!values.empty() && all_int) {
            std::vector<std::int64_t> a;
            a.reserve(values.size());
            for (const auto& v : values) a.push_back(std::get<std::int64_t>(v));
            columns[name] = to_array(std::move(a));
        } else if (!values.empty() && all_bool) {
            py::array_t<bool> a(static_cast<py::ssize_t>(values.size()));
            auto* out = a.mutable_data();
            for (std::size_t i = 0; i < values.size(); ++i) out[i] = std::get<bool>(values[i]);
            columns[name] = a;
        } else if (numeric) {
            std::vector<double> a;
            a.reserve(values.size());
            for (const auto& v : values) {
                if (const auto* d = std::get_if<double>(&v)) a.push_back(*d);
                else if (const auto* i = std::get_if<std::int64_t>(&v)) a.push_back(static_cast<double>(*i));
                else a.push_back(std::numeric_limits<double>::quiet_NaN());
            }
            columns[name] = to_array(std::move(a));
        } else {
            py::list a(values.size());
            for (std::size_t i = 0; i < values.size(); ++i) {
                py::object o = py::none();
                std::visit([&](const auto& x) {
                    using T = std::decay_t<decltype(x)>;
                    if constexpr (std::is_same_v<T, bool>) o = py::bool_(x);
                    else if constexpr (std::is_same_v<T, std::int64_t>) o = py::int_(x);
                    else if constexpr (std::is_same_v<T, double>) o = py::float_(x);
                    else if constexpr (std::is_same_v<T, std::string>) o = py::str(x);
                }, values[i]);
                a[i] = std::move(o);
            }
            columns[name] = a;
        }
        std::vector<io::PropertyValue>().swap(values);
    }
    py::list geometries(m_rows);
    for (std::size_t i = 0; i < m_rows; ++i) {
        if (m_has_geometry[i]) geometries[i] = py::bytes(m_wkb[i]);
        else geometries[i] = py::none();
    }
    m_wkb.clear();
    return py::make_tuple(columns, geometries);
}

} // namespace yike::python
