#pragma once
// Opening a user layer the way Chinese offices save them: CSV in UTF-8 (with or without a
// byte-order mark) or GBK/GB18030, Excel workbooks (.xlsx, one sheet a layer), and columns named
// in Chinese. Shared by the layer readers of yike::io (layers.cpp, poi_layers.cpp).
#include <ogr_api.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "gdal_handles.hpp"
#include "yike/io/inputs.hpp"

namespace yike::io::detail {

// A file in GDAL's in-memory file system (/vsimem/), removed when the object goes.
class MemFile {
public:
    MemFile() = default;
    MemFile(std::string path, std::string bytes);
    MemFile(MemFile&& other) noexcept;
    MemFile& operator=(MemFile&& other) noexcept;
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    ~MemFile();
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::unique_ptr<std::string> m_bytes; // GDAL reads the buffer in place: it must not move
};

std::string lower_ascii(std::string_view s);
std::string canonical_encoding(std::string_view encoding);

// The text of a CSV file as UTF-8, without a byte-order mark. `encoding` is "" or "auto" (UTF-8
// when the bytes are UTF-8, else GB18030, which includes GBK and GB2312), "utf-8", "gbk" or
// "gb18030". Bytes that are none of these throw data_error naming the file, line and column.
std::string csv_text_as_utf8(const std::string& bytes, std::string_view encoding, const std::filesystem::path& path);

// An opened layer. Files that GDAL cannot read as they are (a BOM, GBK bytes) are read through a
// UTF-8 copy in memory; the copy lives as long as the dataset.
struct SourceLayer {
    MemFile text_copy;
    MemFile type_copy; // the .csvt beside a CSV file, which GDAL looks for beside the copy
    DatasetPtr dataset;
    OGRLayerH layer = nullptr;
    bool is_csv = false;
    bool is_spreadsheet = false; // .xlsx, .xls, .ods: GDAL gives no geometry
    // Spreadsheets (and CSV files GDAL found no coordinates in) carry points as lon/lat columns
    // and polygons as WKT: the columns yike reads them from, -1 when absent.
    int x_field = -1;
    int y_field = -1;
    int wkt_field = -1;
};

// Opens the layer (options.layer names the layer or sheet; empty: the first) and checks it holds a
// feature. Throws io_error/config_error/data_error naming the file.
SourceLayer open_source_layer(const std::filesystem::path& path, const LayerOptions& options);

// The feature's geometry: GDAL's, or one made from the lon/lat or WKT columns (owned by `holder`).
// nullptr when it has none (blank or unreadable coordinates).
OGRGeometryH feature_geometry(const SourceLayer& source, OGRFeatureH f, GeometryPtr& holder);

// The index of a field yike knows by its English name (households, name, category, capacity...),
// matched without regard to case, or of the Chinese column name Chinese offices use for it
// (户数, 名称, 类别, 座位数...); -1 when the layer has neither. Other names are looked up as given.
int known_field_index(OGRFeatureDefnH defn, std::string_view name);

// The Chinese column names accepted for a known English field name (empty for other names).
std::string_view chinese_field_names(std::string_view name);

} // namespace yike::io::detail
