// The workbook writer on a sheet bigger than the pieces it is deflated in: rows made while it is
// written give the bytes of the same rows held as cells, and GDAL reads every row back.
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.hpp"
#include "yike/io/xlsx_writer.hpp"

namespace {

using yike::io::XlsxCell;
using yike::io::XlsxSheet;

constexpr std::size_t big_rows = 60'000; // about 6 MB of sheet XML: several 1 MB pieces

std::vector<XlsxCell> big_row(std::size_t n) {
    return {"point-" + std::to_string(n), static_cast<double>(n) * 0.5, n % 7 == 0 ? XlsxCell{} : XlsxCell{"是 yes"},
            static_cast<double>(n % 1000) + 0.25};
}

XlsxSheet big_sheet(bool made_while_written) {
    XlsxSheet sheet{"大 big", {"id", "half", "flag", "value"}, {}, {16, 10}};
    if (made_while_written) {
        sheet.row_count = big_rows;
        sheet.row_at = [](std::size_t n, std::vector<XlsxCell>& row) { row = big_row(n); };
    } else {
        for (std::size_t n = 0; n < big_rows; ++n) sheet.rows.push_back(big_row(n));
    }
    return sheet;
}

TEST(XlsxWriter, RowsMadeWhileWrittenGiveTheBytesOfRowsHeld) {
    const XlsxSheet small{"small", {"a"}, {{XlsxCell{"x"}}}, {}};
    const std::string held = yike::io::xlsx_bytes({small, big_sheet(false)});
    const std::string made = yike::io::xlsx_bytes({small, big_sheet(true)});
    EXPECT_GT(held.size(), std::size_t{100'000});
    EXPECT_EQ(held, made);
}

std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = v << 8U | static_cast<unsigned char>(b[at + static_cast<std::size_t>(k)]);
    return v;
}

// The stored bytes of a zip entry and its inflated size.
std::pair<std::string, std::size_t> zip_entry(const std::string& zip, const std::string& name) {
    for (std::size_t at = 0; at + 30 <= zip.size() && le(zip, at, 4) == 0x04034b50;) {
        const std::size_t packed = le(zip, at + 18, 4);
        const std::size_t size = le(zip, at + 22, 4);
        const std::size_t name_len = le(zip, at + 26, 2);
        const std::size_t extra = le(zip, at + 28, 2);
        const std::size_t data = at + 30 + name_len + extra;
        if (zip.compare(at + 30, name_len, name) == 0) return {zip.substr(data, packed), size};
        at = data + packed;
    }
    return {};
}

TEST(XlsxWriter, SheetPiecesDeflateToTheBytesOfOneCall) {
    const std::string zip = yike::io::xlsx_bytes({big_sheet(true)});
    const auto [packed, size] = zip_entry(zip, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(packed.empty());
    ASSERT_GT(size, std::size_t{3} << 20U); // several pieces
    std::string xml(size, '\0');
    z_stream in{};
    ASSERT_EQ(inflateInit2(&in, -15), Z_OK);
    in.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    in.avail_in = static_cast<uInt>(packed.size());
    in.next_out = reinterpret_cast<Bytef*>(xml.data());
    in.avail_out = static_cast<uInt>(xml.size());
    EXPECT_EQ(inflate(&in, Z_FINISH), Z_STREAM_END);
    inflateEnd(&in);
    z_stream out{};
    ASSERT_EQ(deflateInit2(&out, Z_BEST_SPEED, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string once(deflateBound(&out, static_cast<uLong>(xml.size())), '\0');
    out.next_in = reinterpret_cast<Bytef*>(xml.data());
    out.avail_in = static_cast<uInt>(xml.size());
    out.next_out = reinterpret_cast<Bytef*>(once.data());
    out.avail_out = static_cast<uInt>(once.size());
    EXPECT_EQ(deflate(&out, Z_FINISH), Z_STREAM_END);
    once.resize(out.total_out);
    deflateEnd(&out);
    EXPECT_TRUE(once == packed);
    EXPECT_EQ(xml.substr(xml.size() - 25), "</sheetData></worksheet>\n");
}

TEST(XlsxWriter, ABigSheetReadsBackWhole) {
    yike::test::TempDir dir;
    const auto path = dir.path("big.xlsx");
    yike::io::write_xlsx_file(path, {big_sheet(true)});
    GDALAllRegister();
    const char* drivers[] = {"XLSX", nullptr};
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, drivers, nullptr, nullptr);
    ASSERT_NE(ds, nullptr) << CPLGetLastErrorMsg();
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), static_cast<GIntBig>(big_rows));
    std::size_t n = 0;
    bool all_match = true;
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        const auto expected = big_row(n);
        all_match = all_match && OGR_F_GetFieldAsString(f, 0) == std::get<std::string>(expected[0]) &&
                    OGR_F_GetFieldAsDouble(f, 1) == std::get<double>(expected[1]) &&
                    OGR_F_GetFieldAsDouble(f, 3) == std::get<double>(expected[3]);
        OGR_F_Destroy(f);
        ++n;
    }
    EXPECT_EQ(n, big_rows);
    EXPECT_TRUE(all_match);
    GDALClose(ds);
}

// write_xlsx_file streams the archive to the file and fills each local header's crc and sizes in
// once the entry is written: the file holds the bytes xlsx_bytes makes in memory, and every local
// header agrees with its central directory record.
TEST(XlsxWriter, TheFileStreamedHoldsTheBytesMadeInMemory) {
    yike::test::TempDir dir;
    const auto path = dir.path("streamed.xlsx");
    const XlsxSheet small{"small", {"a"}, {{XlsxCell{"x"}}}, {}};
    yike::io::write_xlsx_file(path, {small, big_sheet(true)});
    std::ifstream in(path, std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string held = yike::io::xlsx_bytes({small, big_sheet(false)});
    EXPECT_GT(file.size(), std::size_t{100'000});
    EXPECT_TRUE(file == held);
    const std::size_t end = file.size() - 22; // no comment: the end record is the last 22 bytes
    ASSERT_EQ(le(file, end, 4), 0x06054b50U);
    std::size_t central = le(file, end + 16, 4);
    std::size_t entries = 0;
    while (le(file, central, 4) == 0x02014b50U) {
        const std::size_t local = le(file, central + 42, 4);
        EXPECT_EQ(le(file, local, 4), 0x04034b50U);
        EXPECT_EQ(file.compare(local + 14, 12, file, central + 16, 12), 0) << "entry " << entries; // crc, sizes
        EXPECT_NE(le(file, local + 18, 4), 0U);
        central += 46 + le(file, central + 28, 2);
        ++entries;
    }
    EXPECT_EQ(entries, std::size_t{7}); // content types, rels, workbook, its rels, styles, two sheets
}

} // namespace
