// Opening user layers: encodings, byte-order marks, spreadsheets and Chinese column names.
#include "detail/layer_source.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <iconv.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <utility>

#include "detail/csv_columns.hpp"
#include "detail/utf8.hpp"
#include "yike/error.hpp"

namespace yike::io::detail {

MemFile::MemFile(std::string path, std::string bytes)
    : m_path(std::move(path)), m_bytes(std::make_unique<std::string>(std::move(bytes))) {
    VSILFILE* f = VSIFileFromMemBuffer(m_path.c_str(), reinterpret_cast<GByte*>(m_bytes->data()),
                                       static_cast<vsi_l_offset>(m_bytes->size()), FALSE);
    if (f == nullptr) {
        throw io_error(m_path + ": cannot make an in-memory copy");
    }
    VSIFCloseL(f);
}

MemFile::MemFile(MemFile&& other) noexcept
    : m_path(std::exchange(other.m_path, {})), m_bytes(std::move(other.m_bytes)) {}

MemFile& MemFile::operator=(MemFile&& other) noexcept {
    if (this != &other) {
        if (!m_path.empty()) VSIUnlink(m_path.c_str());
        m_path = std::exchange(other.m_path, {});
        m_bytes = std::move(other.m_bytes);
    }
    return *this;
}

MemFile::~MemFile() {
    if (!m_path.empty()) VSIUnlink(m_path.c_str());
}

// ASCII letters in lower case (extensions, encoding names, English field names).
std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string canonical_encoding(std::string_view encoding) {
    std::string e = lower_ascii(encoding);
    if (e == "utf8") e = "utf-8";
    if (e == "gb2312" || e == "cp936") e = "gbk";
    if (e.empty()) e = "auto";
    return e;
}

namespace {

// Line (1-based) and column name of a byte offset in CSV text, for messages about bad bytes.
std::string place_of(const std::string& bytes, std::size_t offset) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
        if (bytes[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    // The column: commas outside quotes before the offset on its line, named by the header.
    std::size_t column = 0;
    bool quoted = false;
    for (std::size_t i = line_start; i < offset; ++i) {
        if (bytes[i] == '"') quoted = !quoted;
        if (bytes[i] == ',' && !quoted) ++column;
    }
    std::string header = bytes.substr(0, bytes.find('\n'));
    if (header.starts_with("\xEF\xBB\xBF")) header.erase(0, 3);
    std::vector<std::string> names;
    std::string field;
    quoted = false;
    for (const char c : header) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            names.push_back(field);
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    names.push_back(field);
    std::string text = "line " + std::to_string(line);
    if (line > 1) text += " (row " + std::to_string(line - 1) + ")";
    text += ", column " + std::to_string(column + 1);
    if (line > 1 && column < names.size() && is_utf8(names[column]) && !names[column].empty()) {
        text += " '" + names[column] + "'";
    }
    return text;
}

struct IconvCloser {
    void operator()(iconv_t* cd) const noexcept {
        iconv_close(*cd);
        delete cd;
    }
};

// GB18030 (a superset of GBK and GB2312) to UTF-8; nullopt-like: sets `bad` to the offset of the
// first byte that is not GB18030 text and returns an empty string.
std::string gb18030_to_utf8(const std::string& bytes, std::size_t& bad) {
    iconv_t raw = iconv_open("UTF-8", "GB18030");
    if (raw == reinterpret_cast<iconv_t>(-1)) {
        throw io_error("cannot convert from GB18030: iconv has no GB18030 converter");
    }
    std::unique_ptr<iconv_t, IconvCloser> cd(new iconv_t(raw));
    std::string out(bytes.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    while (in_left > 0) {
        if (iconv(*cd, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1)) {
            if (errno == E2BIG) {
                const std::size_t used = static_cast<std::size_t>(dst - out.data());
                out.resize(out.size() * 2);
                dst = out.data() + used;
                out_left = out.size() - used;
                continue;
            }
            bad = static_cast<std::size_t>(in - bytes.data());
            return {};
        }
    }
    out.resize(static_cast<std::size_t>(dst - out.data()));
    bad = std::string::npos;
    return out;
}

} // namespace

std::string csv_text_as_utf8(const std::string& bytes, std::string_view encoding, const std::filesystem::path& path) {
    const std::string e = canonical_encoding(encoding);
    io::check_encoding_name(e, path.string());
    const bool bom = bytes.starts_with("\xEF\xBB\xBF");
    if (e == "utf-8" || bom || (e == "auto" && is_utf8(bytes))) {
        std::string text = bom ? bytes.substr(3) : bytes;
        if (!is_utf8(text)) {
            const std::size_t at = first_invalid_utf8(text) + (bom ? 3 : 0);
            throw data_error(path.string() + ": " + place_of(bytes, at) + ": bytes that are not UTF-8 text" +
                             (bom ? " although the file starts with a UTF-8 byte-order mark" : "") +
                             " (saved in another encoding? give --encoding gbk, or convert the file to UTF-8)");
        }
        return text;
    }
    std::size_t bad = std::string::npos;
    std::string text = gb18030_to_utf8(bytes, bad);
    if (bad != std::string::npos) {
        throw data_error(path.string() + ": " + place_of(bytes, bad) +
                         ": bytes that are neither UTF-8 nor GBK/GB18030 text (" +
                         (e == "auto" ? "detected" : "--encoding " + e) +
                         "); save the file as UTF-8 CSV (or .xlsx) and try again");
    }
    return text;
}

namespace {

std::atomic<unsigned> g_mem_files{0};

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw io_error(path.string() + ": cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

bool has_extension(const std::filesystem::path& path, std::initializer_list<const char*> extensions) {
    const std::string ext = lower_ascii(path.extension().string());
    return std::any_of(extensions.begin(), extensions.end(), [&](const char* e) { return ext == e; });
}

std::string layer_names(void* ds) {
    std::string out;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
        out += (i == 0 ? "" : ", ");
        out += OGR_L_GetName(GDALDatasetGetLayer(ds, i));
    }
    return out.empty() ? "none" : out;
}

int field_named(OGRFeatureDefnH defn, std::string_view names) {
    std::size_t begin = 0;
    while (begin <= names.size()) {
        const std::size_t end = std::min(names.find(',', begin), names.size());
        const std::string name(names.substr(begin, end - begin));
        if (const int i = OGR_FD_GetFieldIndex(defn, name.c_str()); i >= 0) return i;
        begin = end + 1;
    }
    return -1;
}

} // namespace

SourceLayer open_source_layer(const std::filesystem::path& path, const LayerOptions& options) {
    register_gdal();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw io_error(path.string() + ": file not found");
    }
    SourceLayer src;
    src.is_csv = has_extension(path, {".csv", ".txt", ".tsv"});
    src.is_spreadsheet = has_extension(path, {".xlsx", ".xls", ".ods"});
    std::string open_path = path.string();
    if (src.is_csv) {
        const std::string bytes = read_bytes(path);
        std::string text = csv_text_as_utf8(bytes, options.encoding, path);
        if (text != bytes) {
            // GDAL reads the UTF-8 text from memory under the file's own name, so that the layer
            // is named as the file is.
            const std::string dir = "/vsimem/yike-" + std::to_string(::getpid()) + "-" + std::to_string(g_mem_files++);
            src.text_copy = MemFile(dir + "/" + path.filename().string(), std::move(text));
            open_path = src.text_copy.path();
            std::filesystem::path csvt = path;
            csvt.replace_extension(".csvt");
            if (std::filesystem::is_regular_file(csvt, ec)) {
                src.type_copy = MemFile(dir + "/" + csvt.filename().string(), read_bytes(csvt));
            }
        }
    } else if (!options.encoding.empty()) {
        io::check_encoding_name(options.encoding, path.string());
    }
    char** open_options = src.is_csv ? csv_open_options() : nullptr;
    if (src.is_spreadsheet) {
        // GDAL guesses whether the first row is a header from its cells' types, and takes a header
        // over text-only rows for data; a sheet given to yike always starts with its header.
        // GDAL 3.6 reads it from configuration options, when the sheet is first parsed.
        CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
        CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
    }
    struct ConfigReset {
        ~ConfigReset() {
            CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", nullptr);
            CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", nullptr);
        }
    } reset_config;
    const char* csv_only[] = {"CSV", nullptr};
    CPLErrorReset();
    src.dataset.reset(GDALOpenEx(open_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                 src.is_csv && has_extension(path, {".txt", ".tsv"}) ? csv_only : nullptr,
                                 open_options, nullptr));
    CSLDestroy(open_options);
    if (!src.dataset) {
        const std::string why = last_gdal_error();
        throw io_error(path.string() + ": not a readable vector file" +
                       (why.empty() ? " (not GeoJSON, GeoPackage, Shapefile, KML, XLSX or CSV with lon/lat columns)" : why));
    }
    src.is_csv = src.is_csv || is_csv(src.dataset.get());
    void* ds = src.dataset.get();
    if (!options.layer.empty()) {
        src.layer = GDALDatasetGetLayerByName(ds, options.layer.c_str());
        if (src.layer == nullptr) {
            const char* what = src.is_spreadsheet ? "sheet" : "layer";
            throw config_error(path.string() + ": has no " + what + " named '" + options.layer + "' (" + what +
                               "s: " + layer_names(ds) + ")");
        }
    } else {
        if (GDALDatasetGetLayerCount(ds) < 1) {
            throw io_error(path.string() + ": holds no layer");
        }
        src.layer = GDALDatasetGetLayer(ds, 0);
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(src.layer);
    if (src.is_csv || src.is_spreadsheet) {
        check_coordinate_columns(src.layer, path);
    }
    if (OGR_FD_GetGeomFieldCount(defn) == 0) {
        src.x_field = field_named(defn, csv_x_names);
        src.y_field = field_named(defn, csv_y_names);
        if (src.x_field < 0 || src.y_field < 0) {
            src.x_field = src.y_field = -1;
        }
        src.wkt_field = field_named(defn, "wkt,geometry,geom,the_geom,几何,几何 wkt");
    }
    // Before any field check: an empty layer often has no fields either, and that is not its fault.
    const auto features = OGR_L_GetFeatureCount(src.layer, 1);
    if (features == 0) {
        throw io_error(path.string() + ": holds no feature" +
                       (src.is_spreadsheet ? " (the sheet '" + std::string(OGR_L_GetName(src.layer)) + "' is empty)" : ""));
    }
    // A sheet of one row is its header (an unfilled `yike template` sheet): GDAL reads that row as
    // data under fields it names Field1, Field2, ..., which would be reported as missing fields.
    if (src.is_spreadsheet && features == 1) {
        bool default_names = OGR_FD_GetFieldCount(defn) > 0;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn) && default_names; ++i)
            default_names = std::string(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))) == "Field" + std::to_string(i + 1);
        if (default_names)
            throw io_error(path.string() + ": holds no feature (the sheet '" + std::string(OGR_L_GetName(src.layer)) +
                           "' has its header row only)");
    }
    return src;
}

namespace {

std::optional<double> cell_number(OGRFeatureH f, int i) {
    if (OGR_F_IsFieldSetAndNotNull(f, i) == 0) return std::nullopt;
    const OGRFieldType type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
    if (type == OFTInteger || type == OFTInteger64 || type == OFTReal) {
        return OGR_F_GetFieldAsDouble(f, i);
    }
    std::string text = OGR_F_GetFieldAsString(f, i);
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t\r") + 1);
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0') return std::nullopt;
    return v;
}

} // namespace

OGRGeometryH feature_geometry(const SourceLayer& source, OGRFeatureH f, GeometryPtr& holder) {
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) {
        return g;
    }
    if (source.x_field >= 0) {
        const auto x = cell_number(f, source.x_field);
        const auto y = cell_number(f, source.y_field);
        if (x && y) {
            holder.reset(OGR_G_CreateGeometry(wkbPoint));
            OGR_G_SetPoint_2D(holder.get(), 0, *x, *y);
            return holder.get();
        }
    }
    if (source.wkt_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, source.wkt_field) != 0) {
        std::string wkt = OGR_F_GetFieldAsString(f, source.wkt_field);
        char* text = wkt.data();
        OGRGeometryH g = nullptr;
        if (OGR_G_CreateFromWkt(&text, nullptr, &g) == OGRERR_NONE && g != nullptr) {
            holder.reset(g);
            return g;
        }
    }
    return nullptr;
}

namespace {

struct KnownField {
    const char* english;
    const char* chinese; // comma-separated
};

// Column names of the sheets Chinese street offices and planning bureaus keep.
constexpr KnownField k_known_fields[] = {
    {"id", "编号,编码,代码"},
    {"name", "名称,设施名称,名字"},
    {"category", "类别,设施类别,设施类型"},
    {"address", "地址"},
    {"households", "户数,住户数,总户数"},
    {"population", "人口,人口数,常住人口,总人口"},
    {"seniors", "老年人口,老年人,60岁以上人口,60岁及以上人口"},
    {"children", "儿童人口,儿童,少儿人口,0-14岁人口"},
    {"capacity", "座位数,床位数,容量,规模"},
    {"floor_area", "建筑面积,面积"},
    {"staff", "工作人员,人员数,职工数,人数"},
    {"parent", "街道,所属街道,街道编号"},
};

} // namespace

std::string_view chinese_field_names(std::string_view name) {
    const std::string lower = lower_ascii(name);
    for (const auto& k : k_known_fields) {
        if (lower == k.english) return k.chinese;
    }
    return {};
}

int known_field_index(OGRFeatureDefnH defn, std::string_view name) {
    if (name.empty()) return -1;
    const std::string text(name);
    if (const int i = OGR_FD_GetFieldIndex(defn, text.c_str()); i >= 0) return i;
    const std::string_view chinese = chinese_field_names(name);
    if (chinese.empty()) return -1;
    if (const int i = field_named(defn, chinese); i >= 0) return i;
    // The bilingual headers of `yike template` (engine/src/templates.cpp): "名称 name", "户数 households".
    const std::string english = lower_ascii(name);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
        const std::string field = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        const auto space = field.rfind(' ');
        if (space == std::string::npos || lower_ascii(field.substr(space + 1)) != english) continue;
        const std::string zh = field.substr(0, space);
        for (std::size_t begin = 0; begin <= chinese.size();) {
            const std::size_t end = std::min(chinese.find(',', begin), chinese.size());
            if (chinese.substr(begin, end - begin) == zh) return i;
            begin = end + 1;
        }
    }
    return -1;
}

} // namespace yike::io::detail

namespace yike::io {

void check_encoding_name(std::string_view encoding, std::string_view where) {
    const std::string e = detail::canonical_encoding(encoding);
    if (e != "auto" && e != "utf-8" && e != "gbk" && e != "gb18030") {
        throw config_error(std::string(where) + ": unknown encoding '" + std::string(encoding) +
                           "' (auto, utf-8, gbk or gb18030)");
    }
}


LayerSpec parse_layer_spec(const std::string& text) {
    LayerSpec spec;
    std::error_code ec;
    if (text.empty() || std::filesystem::exists(text, ec)) {
        spec.path = text;
        return spec;
    }
    std::string rest = text;
    if (const auto at = rest.rfind('@'); at != std::string::npos && at > 0 && at + 1 < rest.size() &&
                                         rest.find('/', at) == std::string::npos) {
        spec.crs = rest.substr(at + 1);
        rest.erase(at);
    }
    const std::string lower = detail::lower_ascii(rest);
    for (const char* ext : {".xlsx:", ".xls:", ".ods:"}) {
        if (const auto p = lower.rfind(ext); p != std::string::npos) {
            const auto colon = p + std::string_view(ext).size() - 1;
            spec.layer = rest.substr(colon + 1);
            rest.erase(colon);
            break;
        }
    }
    spec.path = rest;
    return spec;
}

} // namespace yike::io
