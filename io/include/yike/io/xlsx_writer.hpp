#pragma once
// A small Excel workbook writer (Office Open XML, .xlsx) for tables that street offices open in
// Excel or WPS: text and number cells, a bold frozen header row, one sheet per table. Written by
// hand rather than through GDAL so that the bytes depend on the content only (no creation time in
// docProps, fixed zip timestamps): the same tables give the same file.
#include <filesystem>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace yike::io {

// An empty cell, a text or a number (NaN and infinities are written as empty cells).
using XlsxCell = std::variant<std::monostate, std::string, double>;

struct XlsxSheet {
    std::string name;                       // at most 31 characters (not bytes), none of []:*?/\ (asserted)
    std::vector<std::string> header;        // the first row, bold and frozen
    std::vector<std::vector<XlsxCell>> rows;
    std::vector<double> column_widths;      // in characters; missing or 0: Excel's default
    // Rows made while the sheet is written, instead of `rows` (which must then be empty): row_at(n,
    // cells) sets the cells of row n < row_count. A million rows held as cells take ~0.5 GB.
    std::size_t row_count = 0;
    std::function<void(std::size_t, std::vector<XlsxCell>&)> row_at{};
}; // struct XlsxSheet

// Excel's last row: a sheet holds at most this many rows, header included.
inline constexpr std::size_t xlsx_max_rows = 1048576;

// The bytes of a workbook holding the sheets in order (at least one).
std::string xlsx_bytes(const std::vector<XlsxSheet>& sheets);

// Writes the workbook atomically (as write_text_file); throws io_error naming the path.
void write_xlsx_file(const std::filesystem::path& path, const std::vector<XlsxSheet>& sheets);

} // namespace yike::io
