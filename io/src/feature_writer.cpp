#include "yike/io/feature_stream.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <system_error>
#include <unordered_map>
#include <unistd.h>

#include "detail/atomic_path.hpp"
#include "detail/gdal_handles.hpp"
#include "yike/error.hpp"
#include "yike/io/json_text.hpp"

namespace yike::io {

namespace {

bool needs_escape(unsigned char c, bool script_safe) noexcept {
    return c < 0x20 || c == '"' || c == '\\' || (script_safe && (c == '<' || c == '>' || c == '&'));
}

} // namespace

void append_json_string(std::string& out, std::string_view text, bool script_safe) {
    out += '"';
    // Runs of characters that need no escape are appended whole: the layers of a large city are
    // gigabytes of property names and ids, and appending them one character at a time was the
    // largest cost of writing them.
    std::size_t run = 0;
    std::size_t i = 0;
    // Eight bytes at a time while none of them can need an escape (without script_safe): a byte is
    // flagged when it is below 0x20 or equals '"' or '\\'; the test never misses one (it may flag a
    // byte above a real match, which the byte-by-byte loop below then sorts out).
    if (!script_safe) {
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t highs = 0x8080808080808080ULL;
        auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
        while (i + 8 <= text.size()) {
            std::uint64_t w = 0;
            std::memcpy(&w, text.data() + i, 8);
            const std::uint64_t flagged =
                ((w - ones * 0x20) & ~w & highs) | zero_byte(w ^ (ones * '"')) | zero_byte(w ^ (ones * '\\'));
            if (flagged != 0) {
                break;
            }
            i += 8;
        }
    }
    for (; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!needs_escape(c, script_safe)) {
            continue;
        }
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            std::array<char, 8> buf{};
            std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
            out += buf.data();
        }
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

namespace {

using detail::AtomicPath;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}



// 7 decimals is the 1e-7 degree precision of the data (about 1 cm): the shortest text of the
// value rounded to 1e-7, without trailing zeros (what "%.7f" of it gives, trimmed).
void append_coordinate(std::string& out, double degrees) {
    const double scaled = std::round(degrees * 1e7);
    // Below 1e12 (1e5 degrees) the double nearest k / 1e7 lies within 1e-11 of it, so "%.7f"
    // prints exactly the digits of k: they are made from the integer directly (printf's exact
    // decimal conversion was a large part of writing the layers).
    if (std::abs(scaled) < 1e12) {
        const auto k = static_cast<std::int64_t>(scaled);
        if (k == 0) {
            out += '0';
            return;
        }
        const std::uint64_t magnitude = k < 0 ? static_cast<std::uint64_t>(-k) : static_cast<std::uint64_t>(k);
        if (k < 0) {
            out += '-';
        }
        out += std::to_string(magnitude / 10'000'000);
        std::uint64_t fraction = magnitude % 10'000'000;
        if (fraction != 0) {
            std::array<char, 8> digits{};
            int n = 7;
            while (fraction % 10 == 0) {
                fraction /= 10;
                --n;
            }
            for (int i = n - 1; i >= 0; --i) {
                digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + fraction % 10);
                fraction /= 10;
            }
            out += '.';
            out.append(digits.data(), static_cast<std::size_t>(n));
        }
        return;
    }
    std::array<char, 32> buf{};
    double rounded = scaled / 1e7;
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
            const std::vector<const routing::Ring*> rings = routing::rings_of(mp.polygons[i]);
            for (std::size_t r = 0; r < rings.size(); ++r) {
                if (r != 0) {
                    out += ',';
                }
                append_positions(out, rings[r]->points);
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

namespace {

// One layer as the writers see it: features by index, each valid until the next call.
struct Source {
    const std::string* name = nullptr;
    std::size_t size = 0;
    std::function<const Feature&(std::size_t)> get;
};

std::vector<Source> sources_of(const std::vector<Layer>& layers) {
    std::vector<Source> out;
    for (const auto& layer : layers) {
        out.push_back({&layer.name, layer.features.size(), [&layer](std::size_t i) -> const Feature& { return layer.features[i]; }});
    }
    return out;
}

std::vector<Source> sources_of(const std::vector<LayerSource>& layers) {
    std::vector<Source> out;
    for (const auto& layer : layers) {
        auto buffer = std::make_shared<Feature>();
        out.push_back({&layer.name, layer.size, [&layer, buffer](std::size_t i) -> const Feature& {
                           buffer->geometry = std::monostate{};
                           buffer->properties.clear();
                           layer.feature(i, *buffer);
                           return *buffer;
                       }});
    }
    return out;
}

void append_feature_json(std::string& out, const std::string* layer_name, const Feature& f) {
    out += R"({"type":"Feature","properties":{)";
    bool first_prop = true;
    if (layer_name != nullptr) {
        out += R"("layer":)";
        append_json_string(out, *layer_name);
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

// Makes the GeoJSON text in pieces: `flush(text)` is called whenever the text passes `chunk`
// bytes and once at the end; the text is cleared after each call.
void geojson(const std::vector<Source>& layers, std::size_t chunk, const std::function<void(std::string&)>& flush) {
    std::string out = "{\"type\":\"FeatureCollection\",\"features\":[\n";
    bool first = true;
    for (const auto& layer : layers) {
        const std::string* name = layers.size() > 1 ? layer.name : nullptr;
        for (std::size_t i = 0; i < layer.size; ++i) {
            if (!first) {
                out += ",\n";
            }
            first = false;
            append_feature_json(out, name, layer.get(i));
            if (out.size() >= chunk) {
                flush(out);
                out.clear();
            }
        }
    }
    out += "\n]}\n";
    flush(out);
}

void write_geojson_file(const std::filesystem::path& path, const std::vector<Source>& layers) {
    AtomicPath out(path);
    {
        std::ofstream f(out.temp(), std::ios::binary | std::ios::trunc);
        if (!f) {
            throw io_error(path.string() + ": cannot open for writing");
        }
        geojson(layers, std::size_t{1} << 20, [&](std::string& text) {
            f.write(text.data(), static_cast<std::streamsize>(text.size()));
            if (!f) {
                throw io_error(path.string() + ": write failed (disk full?)");
            }
        });
        f.flush();
        if (!f) {
            throw io_error(path.string() + ": write failed (disk full?)");
        }
    }
    out.commit();
}

} // namespace

std::string to_geojson(const std::vector<Layer>& layers) {
    std::string out;
    geojson(sources_of(layers), std::size_t{1} << 20, [&](std::string& text) { out += text; });
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
            for (const routing::Ring* ring : routing::rings_of(poly)) {
                OGR_G_AddGeometryDirectly(ph, ring_of(ring->points));
            }
            OGR_G_AddGeometryDirectly(h, ph);
        }
        return h;
    }
    return nullptr;
}

OGRwkbGeometryType geometry_type(const Geometry& g) {
    if (std::holds_alternative<PointGeometry>(g)) {
        return wkbPoint;
    }
    if (std::holds_alternative<LineGeometry>(g)) {
        return wkbLineString;
    }
    if (std::holds_alternative<MultiPolygonGeometry>(g)) {
        return wkbMultiPolygon;
    }
    return wkbNone;
}

// What a first pass over a layer finds: the geometry type shared by all features (wkbUnknown if
// they differ or none has one) and the fields in first-seen order, each typed by its first
// non-null value (string when always null).
struct Schema {
    OGRwkbGeometryType geometry = wkbNone;
    std::vector<std::string> names;
    std::vector<OGRFieldType> types;
    std::vector<OGRFieldSubType> subtypes;
    std::vector<bool> typed;
    std::unordered_map<std::string, std::size_t> index;

    // The position of `key` in `names`; features usually list their properties in the same
    // order, so position k is tried first.
    [[nodiscard]] std::size_t find(const std::string& key, std::size_t k) const {
        if (k < names.size() && names[k] == key) {
            return k;
        }
        const auto it = index.find(key);
        return it == index.end() ? names.size() : it->second;
    }
};

Schema schema_of(const Source& layer) {
    Schema s;
    bool mixed = false;
    for (std::size_t i = 0; i < layer.size; ++i) {
        const Feature& f = layer.get(i);
        const OGRwkbGeometryType t = geometry_type(f.geometry);
        if (t != wkbNone && !mixed) {
            if (s.geometry == wkbNone) {
                s.geometry = t;
            } else if (s.geometry != t) {
                mixed = true;
            }
        }
        for (std::size_t k = 0; k < f.properties.size(); ++k) {
            const auto& [key, value] = f.properties[k];
            std::size_t at = s.find(key, k);
            if (at == s.names.size()) {
                s.names.push_back(key);
                s.types.push_back(OFTString);
                s.subtypes.push_back(OFSTNone);
                s.typed.push_back(false);
                s.index.emplace(key, at);
            }
            if (s.typed[at] || std::holds_alternative<std::monostate>(value)) {
                continue;
            }
            s.typed[at] = true;
            if (std::holds_alternative<bool>(value)) {
                s.types[at] = OFTInteger;
                s.subtypes[at] = OFSTBoolean;
            } else if (std::holds_alternative<std::int64_t>(value)) {
                s.types[at] = OFTInteger64;
            } else if (std::holds_alternative<double>(value)) {
                s.types[at] = OFTReal;
            }
        }
    }
    if (mixed || s.geometry == wkbNone) {
        s.geometry = wkbUnknown;
    }
    return s;
}

void write_gdal(const std::filesystem::path& target, const std::filesystem::path& temp, const char* driver_name,
                const std::vector<Source>& layers) {
    detail::register_gdal();
    GDALDriverH driver = GDALGetDriverByName(driver_name);
    if (driver == nullptr) {
        throw io_error(target.string() + ": GDAL has no " + driver_name + " driver");
    }
    // Fixed timestamps make GeoPackage output byte-identical across runs.
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    const bool gpkg = std::string(driver_name) == "GPKG";
    // GDAL's bulk-load settings for SQLite-based formats: no rollback journal and no fsync. The file
    // is a temporary that replaces the target only once complete (AtomicPath), so a crash leaves
    // nothing that a journal would have to recover.
    CPLSetThreadLocalConfigOption("OGR_SQLITE_JOURNAL", gpkg ? "OFF" : nullptr);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_SYNCHRONOUS", gpkg ? "OFF" : nullptr);
    detail::DatasetPtr ds(GDALCreate(driver, temp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    CPLSetThreadLocalConfigOption("OGR_SQLITE_JOURNAL", nullptr);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_SYNCHRONOUS", nullptr);
    if (!ds) {
        throw io_error(target.string() + ": cannot create: " + CPLGetLastErrorMsg());
    }
    // One transaction for every layer of a GeoPackage (layer creation included); the spatial
    // indexes are built once at its end (GDAL defers them during a transaction).
    if (gpkg && GDALDatasetStartTransaction(ds.get(), FALSE) != OGRERR_NONE) {
        throw io_error(target.string() + ": cannot start writing: " + CPLGetLastErrorMsg());
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    for (const Source& layer : layers) {
        const std::string& name = *layer.name;
        char** options = nullptr;
        if (std::string(driver_name) == "CSV") {
            options = CSLSetNameValue(options, "GEOMETRY", "AS_WKT");
            options = CSLSetNameValue(options, "CREATE_CSVT", "NO");
            options = CSLSetNameValue(options, "WRITE_BOM", "YES"); // as every CSV yike writes (write_csv_file)
        }
        const Schema schema = schema_of(layer);
        OGRLayerH lh = GDALDatasetCreateLayer(ds.get(), name.c_str(), srs, schema.geometry, options);
        CSLDestroy(options);
        if (lh == nullptr) {
            OSRDestroySpatialReference(srs);
            throw io_error(target.string() + ": cannot create layer '" + name + "': " + CPLGetLastErrorMsg());
        }
        for (std::size_t k = 0; k < schema.names.size(); ++k) {
            OGRFieldDefnH fd = OGR_Fld_Create(schema.names[k].c_str(), schema.types[k]);
            OGR_Fld_SetSubType(fd, schema.subtypes[k]);
            OGR_L_CreateField(lh, fd, TRUE);
            OGR_Fld_Destroy(fd);
        }
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lh);
        std::vector<int> field(schema.names.size());
        for (std::size_t k = 0; k < schema.names.size(); ++k) {
            field[k] = OGR_FD_GetFieldIndex(defn, schema.names[k].c_str());
        }
        if (!gpkg && OGR_L_StartTransaction(lh) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            throw io_error(target.string() + ": cannot start writing layer '" + name + "'");
        }
        for (std::size_t n = 0; n < layer.size; ++n) {
            const Feature& f = layer.get(n);
            OGRFeatureH fh = OGR_F_Create(defn);
            for (std::size_t k = 0; k < f.properties.size(); ++k) {
                const auto& [key, value] = f.properties[k];
                const int i = field[schema.find(key, k)];
                if (std::holds_alternative<std::monostate>(value)) {
                    OGR_F_SetFieldNull(fh, i);
                } else if (const auto* b = std::get_if<bool>(&value)) {
                    OGR_F_SetFieldInteger(fh, i, *b ? 1 : 0);
                } else if (const auto* v = std::get_if<std::int64_t>(&value)) {
                    OGR_F_SetFieldInteger64(fh, i, *v);
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
                throw io_error(target.string() + ": cannot write a feature of layer '" + name +
                               "': " + CPLGetLastErrorMsg());
            }
        }
        if (!gpkg && OGR_L_CommitTransaction(lh) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            throw io_error(target.string() + ": cannot finish writing layer '" + name + "': " + CPLGetLastErrorMsg());
        }
    }
    OSRDestroySpatialReference(srs);
    if (gpkg && GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE) {
        throw io_error(target.string() + ": cannot finish writing: " + CPLGetLastErrorMsg());
    }
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

void write_csv_file(const std::filesystem::path& path, const std::string& content) {
    std::string text;
    text.reserve(utf8_bom.size() + content.size());
    text += utf8_bom;
    text += content;
    write_text_file(path, text);
}

std::string_view strip_utf8_bom(std::string_view text) {
    if (text.substr(0, utf8_bom.size()) == utf8_bom) text.remove_prefix(utf8_bom.size());
    return text;
}

namespace {

void write_sources(const std::filesystem::path& path, const std::vector<Source>& layers) {
    const VectorFormat format = format_for_path(path);
    if (format == VectorFormat::geojson) {
        write_geojson_file(path, layers);
        return;
    }
    if (format == VectorFormat::gpkg) {
        AtomicPath out(path);
        write_gdal(path, out.temp(), "GPKG", layers);
        out.commit();
        return;
    }
    // CSV: one file per layer; all are written before any is renamed into place.
    std::vector<std::unique_ptr<AtomicPath>> outs;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        std::filesystem::path target = path;
        if (i > 0) {
            target.replace_filename(path.stem().string() + "." + *layers[i].name + ".csv");
        }
        outs.push_back(std::make_unique<AtomicPath>(target));
        write_gdal(target, outs.back()->temp(), "CSV", {layers[i]});
    }
    for (auto& o : outs) {
        o->commit();
    }
}

} // namespace

void write_layers(const std::filesystem::path& path, const std::vector<Layer>& layers) {
    write_sources(path, sources_of(layers));
}

void write_layers(const std::filesystem::path& path, const std::vector<LayerSource>& layers) {
    write_sources(path, sources_of(layers));
}

} // namespace yike::io
