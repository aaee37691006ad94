// Excel workbooks as input layers (GDAL's XLSX driver behind io's layer readers, with the sheet
// chosen as FILE:SHEET does). The input is either a whole workbook (bytes starting "PK", as Excel
// and WPS save them; the seeds hold some) or, to let the fuzzer reach the cells rather than the zip
// structure, a table in text that the target writes as a workbook with io::xlsx_bytes: line 1 the
// sheet name, line 2 the header, then the rows, cells split at tabs; a cell that reads wholly as a
// number is a number cell. The target puts an `id` column first ("r1", "r2", ... by row), which
// every reader takes as the id, so that the order of what comes back can be checked.
//
// Whatever the bytes, each reader must return records that hold (WGS84 positions, non-negative
// amounts, closed rings, well-formed UTF-8 text, rows in sheet order) or refuse with a yike::error;
// a sheet name that is not in the workbook is always refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "layer_checks.hpp"
#include "utf8_check.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"
#include "yike/io/xlsx_writer.hpp"

namespace {

using yike::fuzz::valid_utf8;

std::vector<std::string> split(const std::string& text, char at) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (true) {
        const auto end = text.find(at, begin);
        parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
        if (end == std::string::npos) return parts;
        begin = end + 1;
    }
}

// A name the writer accepts (it asserts its rules): none of []:*?/\, at most 31 characters.
std::string sheet_name(const std::string& text) {
    std::string name;
    std::size_t characters = 0;
    for (const char c : text) {
        if (std::string_view("[]:*?/\\\r").find(c) != std::string_view::npos) continue;
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
        if (!continuation && ++characters > 31) break;
        name += c;
    }
    return name.empty() || !valid_utf8(name) ? "Sheet1" : name;
}

yike::io::XlsxCell cell(const std::string& text) {
    if (text.empty()) return std::monostate{};
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() && text.find_first_of(" \t") == std::string::npos) return v;
    return text;
}

// Rows come back in sheet order: the ids the target wrote ("r<row>") increase; an id column of
// the input's own (a workbook given whole) is not the target's and is not checked.
void check_order(const std::vector<std::string>& ids, bool ours) {
    long last = 0;
    for (const auto& id : ids) {
        YIKE_FUZZ_CHECK(!id.empty() && valid_utf8(id));
        if (!ours) continue;
        YIKE_FUZZ_CHECK(id.size() > 1 && id[0] == 'r');
        const long row = std::strtol(id.c_str() + 1, nullptr, 10);
        YIKE_FUZZ_CHECK(row > last);
        last = row;
    }
}

// Checks the ids of what a reader returned (records with an `id`), in the order it returned them.
template <typename Records>
void check_record_order(const Records& records, bool ours) {
    std::vector<std::string> ids;
    for (const auto& r : records) ids.push_back(r.id);
    check_order(ids, ours);
}

// A reader's options for `sheet` (empty: the first), with positions in WGS 84.
template <typename Options>
Options sheet_options(const std::string& sheet) {
    Options options;
    options.layer = sheet;
    options.crs = "EPSG:4326";
    return options;
}

template <typename Read>
void refused_or_checked(Read&& read) {
    try {
        read();
    } catch (const yike::error&) {
    }
}

void read_all(const std::filesystem::path& path, const std::string& sheet, bool ours) {
    using namespace yike::io;
    refused_or_checked([&] {
        const auto points = read_points(path, sheet_options<LayerOptions>(sheet), nullptr);
        yike::fuzz::check(points);
        check_record_order(points, ours);
    });
    refused_or_checked([&] {
        auto options = sheet_options<FacilityLayerOptions>(sheet);
        options.category_field = "category";
        ReadWarnings warnings;
        const auto facilities = read_facility_layer(path, options, warnings);
        yike::fuzz::check(facilities);
        for (const auto& f : facilities) YIKE_FUZZ_CHECK(valid_utf8(f.name) && valid_utf8(f.category));
        check_record_order(facilities, ours);
    });
    refused_or_checked([&] {
        ReadWarnings warnings;
        const auto demand = read_demand_layer(path, sheet_options<DemandLayerOptions>(sheet), warnings);
        yike::fuzz::check(demand);
        check_record_order(demand, ours);
    });
    refused_or_checked([&] {
        ReadWarnings warnings;
        const auto areas = read_area_layer(path, sheet_options<AreaLayerOptions>(sheet), warnings);
        yike::fuzz::check(areas);
        for (const auto& a : areas) YIKE_FUZZ_CHECK(valid_utf8(a.name) && valid_utf8(a.parent_id));
        check_record_order(areas, ours);
    });
    refused_or_checked([&] {
        FacilityLayerOptions options;
        options.layer = sheet;
        options.poi_format = "amap";
        ReadWarnings warnings;
        const auto layer = read_poi_layer(path, options, warnings);
        std::uint64_t last_row = 0;
        std::vector<std::string> ids;
        for (const auto& p : layer.pois) {
            YIKE_FUZZ_CHECK(p.row > last_row);
            last_row = p.row;
            ids.push_back(p.id);
            YIKE_FUZZ_CHECK(valid_utf8(p.name) && valid_utf8(p.label));
            YIKE_FUZZ_CHECK(yike::fuzz::valid_lonlat(p.location));
            for (const auto& c : p.codes) YIKE_FUZZ_CHECK(valid_utf8(c));
            for (const auto& t : p.types) YIKE_FUZZ_CHECK(valid_utf8(t));
        }
        check_order(ids, ours);
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("sheets.xlsx");
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::string sheet;
    bool ours = false;
    std::filesystem::path path;
    if (input.rfind("PK", 0) == 0) {
        path = file.write(data, size);
    } else {
        const auto lines = split(input, '\n');
        yike::io::XlsxSheet table;
        table.name = sheet_name(lines[0]);
        table.header.emplace_back("id");
        if (lines.size() > 1)
            for (const auto& h : split(lines[1], '\t')) table.header.push_back(h);
        // Excel's row limit is the writer's (asserted); far fewer rows reach every branch.
        for (std::size_t k = 2; k < lines.size() && k < 2000; ++k) {
            std::string id = "r"; // appended, not "r" + ...: GCC 12 warns falsely (-Wrestrict) on the latter
            id += std::to_string(k - 1);
            std::vector<yike::io::XlsxCell> row{std::move(id)};
            for (const auto& c : split(lines[k], '\t')) row.push_back(cell(c));
            table.rows.push_back(std::move(row));
        }
        const std::string bytes = yike::io::xlsx_bytes({table});
        path = file.write(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        sheet = table.name;
        ours = true;
    }
    // The first sheet (no name given), and the sheet by its name as FILE:SHEET gives it.
    read_all(path, "", ours);
    if (!ours) return 0;
    read_all(path, sheet, ours);
    // A sheet the workbook does not have is refused, never read as another.
    const std::string missing = "没有这张表 no such sheet";
    if (sheet == missing) return 0;
    try {
        (void)yike::io::read_points(path, sheet_options<yike::io::LayerOptions>(missing), nullptr);
        const bool missing_sheet_read = true;
        YIKE_FUZZ_CHECK(!missing_sheet_read);
    } catch (const yike::error&) {
    }
    return 0;
}
