#pragma once
// Excel workbooks for tests, written with GDAL's XLSX driver: one sheet per entry, the first row
// the header; a column whose first value is a number is written as numbers.
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace yike::test {

using SheetRows = std::vector<std::vector<std::string>>;

inline void write_xlsx(const std::filesystem::path& path, const std::vector<std::pair<std::string, SheetRows>>& sheets) {
    GDALAllRegister();
    GDALDriverH driver = GDALGetDriverByName("XLSX");
    if (driver == nullptr) throw std::runtime_error("GDAL has no XLSX driver");
    GDALDatasetH ds = GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (ds == nullptr) throw std::runtime_error("cannot create " + path.string());
    for (const auto& [name, rows] : sheets) {
        OGRLayerH layer = GDALDatasetCreateLayer(ds, name.c_str(), nullptr, wkbNone, nullptr);
        const auto& header = rows.front();
        for (std::size_t c = 0; c < header.size(); ++c) {
            const bool number = rows.size() > 1 && !rows[1][c].empty() &&
                                rows[1][c].find_first_not_of("0123456789.-e") == std::string::npos;
            OGRFieldDefnH fd = OGR_Fld_Create(header[c].c_str(), number ? OFTReal : OFTString);
            OGR_L_CreateField(layer, fd, TRUE);
            OGR_Fld_Destroy(fd);
        }
        for (std::size_t r = 1; r < rows.size(); ++r) {
            OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
            for (std::size_t c = 0; c < header.size(); ++c) {
                const int i = static_cast<int>(c);
                if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) == OFTReal) {
                    OGR_F_SetFieldDouble(f, i, std::stod(rows[r][c]));
                } else {
                    OGR_F_SetFieldString(f, i, rows[r][c].c_str());
                }
            }
            if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) throw std::runtime_error(path.string() + ": cannot write a row");
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
}

// The rows of a small CSV text (no quoted commas), for writing the same data as a workbook.
inline SheetRows csv_rows(const std::string& text) {
    SheetRows rows;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::vector<std::string> row;
        std::size_t cell = start;
        while (true) {
            const std::size_t comma = text.find(',', cell);
            if (comma == std::string::npos || comma > end) {
                row.push_back(text.substr(cell, end - cell));
                break;
            }
            row.push_back(text.substr(cell, comma - cell));
            cell = comma + 1;
        }
        rows.push_back(std::move(row));
        start = end + 1;
    }
    return rows;
}

} // namespace yike::test
