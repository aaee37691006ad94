#include "yike/io/feature_writer.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <system_error>
#include <unistd.h>

#include "detail/gdal_handles.hpp"
#include "yike/error.hpp"

namespace yike::io {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// A temporary file beside the target; removed on destruction unless committed by rename.
class AtomicPath {
public:
    explicit AtomicPath(std::filesystem::path target) : m_target(std::move(target)) {
        const auto dir = m_target.has_parent_path() ? m_target.parent_path() : std::filesystem::path(".");
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            throw io_error(m_target.string() + ": cannot write: folder '" + dir.string() + "' does not exist");
        }
        // Keep the extension last: GDAL picks drivers by it.
        std::string name = ".";
        name.append(m_target.stem().string());
        name.append(".tmp");
        name.append(std::to_string(::getpid()));
        name.append(m_target.extension().string());
        m_temp = dir / name;
    }
    AtomicPath(const AtomicPath&) = delete;
    AtomicPath& operator=(const AtomicPath&) = delete;
    ~AtomicPath() {
        if (!m_committed) {
            std::error_code ec;
            std::filesystem::remove(m_temp, ec);
        }
    }
    [[nodiscard]] const std::filesystem::path& temp() const noexcept { return m_temp; }
    void commit() {
        std::error_code ec;
        std::filesystem::rename(m_temp, m_target, ec);
        if (ec) {
            throw io_error(m_target.string() + ": cannot write: " + ec.message());
        }
        m_committed = true;
    }

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    bool m_committed = false;
}; // class AtomicPath

void append_json_string(std::string& out, const std::string& s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                std::array<char, 8> buf{};
                std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
                out += buf.data();
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

// 7 decimals is the 1e-7 degree precision of the data (about 1 cm).
void append_coordinate(std::string& out, double degrees) {
    std::array<char, 32> buf{};
    double rounded = std::round(degrees * 1e7) / 1e7;
    if (rounded == 0.0) {
        rounded = 0.0; // no "-0"
    }
    std::snprintf(buf.data(), buf.size(), "%.7f", rounded);
    std::string s(buf.data());
    while (!s.empty() && s.back() == '0') {
        s.pop_back();
    }
    if (!s.empty() && s.back() == '.') {
        s.pop_back();
    }
    out += s;
}

void append_position(std::string& out, routing::LonLat p) {
    out += '[';
    append_coordinate(out, p.lon);
    out += ',';
    append_coordinate(out, p.lat);
    out += ']';
}

void append_positions(std::string& out, const std::vector<routing::LonLat>& pts) {
    out += '[';
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        append_position(out, pts[i]);
    }
    out += ']';
}

void append_geometry_json(std::string& out, const Geometry& g) {
    if (std::holds_alternative<std::monostate>(g)) {
        out += "null";
    } else if (const auto* p = std::get_if<PointGeometry>(&g)) {
        out += R"({"type":"Point","coordinates":)";
        append_position(out, p->point);
        out += '}';
    } else if (const auto* l = std::get_if<LineGeometry>(&g)) {
        out += R"({"type":"LineString","coordinates":)";
        append_positions(out, l->points);
        out += '}';
    } else {
        const auto& mp = std::get<MultiPolygonGeometry>(g);
        out += R"({"type":"MultiPolygon","coordinates":[)";
        for (std::size_t i = 0; i < mp.polygons.size(); ++i) {
            if (i != 0) {
                out += ',';
            }
            out += '[';
            for (std::size_t r = 0; r < mp.polygons[i].rings.size(); ++r) {
                if (r != 0) {
                    out += ',';
                }
                append_positions(out, mp.polygons[i].rings[r]);
            }
            out += ']';
        }
        out += "]}";
    }
}

void append_value_json(std::string& out, const PropertyValue& v) {
    if (std::holds_alternative<std::monostate>(v)) {
        out += "null";
    } else if (const auto* b = std::get_if<bool>(&v)) {
        out += *b ? "true" : "false";
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        out += std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
        out += std::isfinite(*d) ? format_number(*d) : "null";
    } else {
        append_json_string(out, std::get<std::string>(v));
    }
}

} // namespace

std::string to_geojson(const std::vector<Layer>& layers) {
    std::string out = "{\"type\":\"FeatureCollection\",\"features\":[\n";
    bool first = true;
    for (const auto& layer : layers) {
        for (const auto& f : layer.features) {
            if (!first) {
                out += ",\n";
            }
            first = false;
            out += R"({"type":"Feature","properties":{)";
            bool first_prop = true;
            if (layers.size() > 1) {
                out += R"("layer":)";
                append_json_string(out, layer.name);
                first_prop = false;
            }
            for (const auto& [key, value] : f.properties) {
                if (!first_prop) {
                    out += ',';
                }
                first_prop = false;
                append_json_string(out, key);
                out += ':';
                append_value_json(out, value);
            }
            out += R"(},"geometry":)";
            append_geometry_json(out, f.geometry);
            out += '}';
        }
    }
    out += "\n]}\n";
    return out;
}

namespace {

// ---- GDAL --------------------------------------------------------------------------------------


OGRGeometryH make_ogr_geometry(const Geometry& g) {
    auto ring_of = [](const std::vector<routing::LonLat>& pts) {
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        for (const auto& p : pts) {
            OGR_G_AddPoint_2D(ring, p.lon, p.lat);
        }
        return ring;
    };
    if (const auto* p = std::get_if<PointGeometry>(&g)) {
        OGRGeometryH h = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(h, 0, p->point.lon, p->point.lat);
        return h;
    }
    if (const auto* l = std::get_if<LineGeometry>(&g)) {
        OGRGeometryH h = OGR_G_CreateGeometry(wkbLineString);
        for (const auto& p : l->points) {
            OGR_G_AddPoint_2D(h, p.lon, p.lat);
        }
        return h;
    }
    if (const auto* mp = std::get_if<MultiPolygonGeometry>(&g)) {
        OGRGeometryH h = OGR_G_CreateGeometry(wkbMultiPolygon);
        for (const auto& poly : mp->polygons) {
            OGRGeometryH ph = OGR_G_CreateGeometry(wkbPolygon);
            for (const auto& ring : poly.rings) {
                OGR_G_AddGeometryDirectly(ph, ring_of(ring));
            }
            OGR_G_AddGeometryDirectly(h, ph);
        }
        return h;
    }
    return nullptr;
}

OGRwkbGeometryType layer_geometry_type(const Layer& layer) {
    OGRwkbGeometryType type = wkbNone;
    for (const auto& f : layer.features) {
        OGRwkbGeometryType t = wkbNone;
        if (std::holds_alternative<PointGeometry>(f.geometry)) {
            t = wkbPoint;
        } else if (std::holds_alternative<LineGeometry>(f.geometry)) {
            t = wkbLineString;
        } else if (std::holds_alternative<MultiPolygonGeometry>(f.geometry)) {
            t = wkbMultiPolygon;
        }
        if (t == wkbNone) {
            continue;
        }
        if (type == wkbNone) {
            type = t;
        } else if (type != t) {
            return wkbUnknown;
        }
    }
    return type == wkbNone ? wkbUnknown : type;
}

void write_gdal(const std::filesystem::path& target, const std::filesystem::path& temp, const char* driver_name,
                const std::vector<const Layer*>& layers) {
    detail::register_gdal();
    GDALDriverH driver = GDALGetDriverByName(driver_name);
    if (driver == nullptr) {
        throw io_error(target.string() + ": GDAL has no " + driver_name + " driver");
    }
    // Fixed timestamps make GeoPackage output byte-identical across runs.
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    detail::DatasetPtr ds(GDALCreate(driver, temp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) {
        throw io_error(target.string() + ": cannot create: " + CPLGetLastErrorMsg());
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    for (const Layer* layer : layers) {
        char** options = nullptr;
        if (std::string(driver_name) == "CSV") {
            options = CSLSetNameValue(options, "GEOMETRY", "AS_WKT");
            options = CSLSetNameValue(options, "CREATE_CSVT", "NO");
        }
        const OGRwkbGeometryType gtype = layer_geometry_type(*layer);
        OGRLayerH lh = GDALDatasetCreateLayer(ds.get(), layer->name.c_str(), srs, gtype, options);
        CSLDestroy(options);
        if (lh == nullptr) {
            OSRDestroySpatialReference(srs);
            throw io_error(target.string() + ": cannot create layer '" + layer->name + "': " + CPLGetLastErrorMsg());
        }
        // Field types from the first non-null value of each property, in first-seen order.
        std::vector<std::string> names;
        std::map<std::string, int> index;
        for (const auto& f : layer->features) {
            for (const auto& [key, value] : f.properties) {
                if (index.count(key) == 0) {
                    index[key] = -1;
                    names.push_back(key);
                }
            }
        }
        for (const auto& key : names) {
            OGRFieldType type = OFTString;
            OGRFieldSubType sub = OFSTNone;
            for (const auto& f : layer->features) {
                const auto it = std::find_if(f.properties.begin(), f.properties.end(),
                                             [&](const auto& kv) { return kv.first == key; });
                if (it == f.properties.end() || std::holds_alternative<std::monostate>(it->second)) {
                    continue;
                }
                if (std::holds_alternative<bool>(it->second)) {
                    type = OFTInteger;
                    sub = OFSTBoolean;
                } else if (std::holds_alternative<std::int64_t>(it->second)) {
                    type = OFTInteger64;
                } else if (std::holds_alternative<double>(it->second)) {
                    type = OFTReal;
                }
                break;
            }
            OGRFieldDefnH fd = OGR_Fld_Create(key.c_str(), type);
            OGR_Fld_SetSubType(fd, sub);
            OGR_L_CreateField(lh, fd, TRUE);
            OGR_Fld_Destroy(fd);
        }
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lh);
        for (const auto& key : names) {
            index[key] = OGR_FD_GetFieldIndex(defn, key.c_str());
        }
        if (OGR_L_StartTransaction(lh) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            throw io_error(target.string() + ": cannot start writing layer '" + layer->name + "'");
        }
        for (const auto& f : layer->features) {
            OGRFeatureH fh = OGR_F_Create(defn);
            for (const auto& [key, value] : f.properties) {
                const int i = index[key];
                if (std::holds_alternative<std::monostate>(value)) {
                    OGR_F_SetFieldNull(fh, i);
                } else if (const auto* b = std::get_if<bool>(&value)) {
                    OGR_F_SetFieldInteger(fh, i, *b ? 1 : 0);
                } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
                    OGR_F_SetFieldInteger64(fh, i, *n);
                } else if (const auto* d = std::get_if<double>(&value)) {
                    OGR_F_SetFieldDouble(fh, i, *d);
                } else {
                    OGR_F_SetFieldString(fh, i, std::get<std::string>(value).c_str());
                }
            }
            if (OGRGeometryH gh = make_ogr_geometry(f.geometry)) {
                OGR_G_AssignSpatialReference(gh, srs);
                OGR_F_SetGeometryDirectly(fh, gh);
            }
            const OGRErr err = OGR_L_CreateFeature(lh, fh);
            OGR_F_Destroy(fh);
            if (err != OGRERR_NONE) {
                OSRDestroySpatialReference(srs);
                throw io_error(target.string() + ": cannot write a feature of layer '" + layer->name +
                               "': " + CPLGetLastErrorMsg());
            }
        }
        if (OGR_L_CommitTransaction(lh) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            throw io_error(target.string() + ": cannot finish writing layer '" + layer->name + "': " + CPLGetLastErrorMsg());
        }
    }
    OSRDestroySpatialReference(srs);
    GDALDatasetH raw = ds.release();
    GDALClose(raw);
    if (CPLGetLastErrorType() == CE_Failure) {
        throw io_error(target.string() + ": write failed: " + CPLGetLastErrorMsg());
    }
}

} // namespace

std::string format_number(double value) {
    if (value == 0.0) {
        return "0";
    }
    std::array<char, 64> buf{};
    const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    return {buf.data(), result.ptr};
}

std::string csv_row(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        const std::string& text = fields[i];
        if (text.find_first_of(",\"\r\n") == std::string::npos) {
            out += text;
            continue;
        }
        out += '"';
        for (const char c : text) {
            if (c == '"') {
                out += '"';
            }
            out += c;
        }
        out += '"';
    }
    out += '\n';
    return out;
}

VectorFormat format_for_path(const std::filesystem::path& path) {
    const std::string ext = lower(path.extension().string());
    if (ext == ".geojson" || ext == ".json") {
        return VectorFormat::geojson;
    }
    if (ext == ".gpkg") {
        return VectorFormat::gpkg;
    }
    if (ext == ".csv") {
        return VectorFormat::csv;
    }
    throw config_error(path.string() + ": unknown output format '" + ext +
                       "' (use .geojson, .gpkg or .csv)");
}

void write_text_file(const std::filesystem::path& path, const std::string& content) {
    AtomicPath out(path);
    {
        std::ofstream f(out.temp(), std::ios::binary | std::ios::trunc);
        if (!f) {
            throw io_error(path.string() + ": cannot open for writing");
        }
        f.write(content.data(), static_cast<std::streamsize>(content.size()));
        f.flush();
        if (!f) {
            throw io_error(path.string() + ": write failed (disk full?)");
        }
    }
    out.commit();
}

void write_layers(const std::filesystem::path& path, const std::vector<Layer>& layers) {
    const VectorFormat format = format_for_path(path);
    if (format == VectorFormat::geojson) {
        write_text_file(path, to_geojson(layers));
        return;
    }
    if (format == VectorFormat::gpkg) {
        AtomicPath out(path);
        std::vector<const Layer*> all;
        for (const auto& l : layers) {
            all.push_back(&l);
        }
        write_gdal(path, out.temp(), "GPKG", all);
        out.commit();
        return;
    }
    // CSV: one file per layer; all are written before any is renamed into place.
    std::vector<std::unique_ptr<AtomicPath>> outs;
    std::vector<std::filesystem::path> targets;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        std::filesystem::path target = path;
        if (i > 0) {
            target.replace_filename(path.stem().string() + "." + layers[i].name + ".csv");
        }
        targets.push_back(target);
        outs.push_back(std::make_unique<AtomicPath>(target));
        write_gdal(target, outs.back()->temp(), "CSV", {&layers[i]});
    }
    for (auto& o : outs) {
        o->commit();
    }
}

} // namespace yike::io
