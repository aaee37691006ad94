// Every CSV yike writes starts with a UTF-8 byte-order mark (Excel and WPS on Chinese Windows read
// a CSV without one as GBK), and yike reads its own CSVs back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "yike/io/feature_writer.hpp"
#include "yike/io/point_reader.hpp"

namespace {

namespace fs = std::filesystem;

fs::path temp_dir() {
    const fs::path dir = fs::temp_directory_path() / ("yike-csv-bom-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CsvBom, TextTablesStartWithTheMarkOnce) {
    const auto p = temp_dir() / "table.csv";
    const std::string table = yike::io::csv_row({"名称", "name"}) + yike::io::csv_row({"药店", "pharmacy"});
    yike::io::write_csv_file(p, table);
    const auto bytes = slurp(p);
    EXPECT_EQ(bytes, "\xEF\xBB\xBF" + table);
    EXPECT_EQ(yike::io::strip_utf8_bom(bytes), table);
    EXPECT_EQ(yike::io::strip_utf8_bom(table), table); // without a mark: unchanged
}

TEST(CsvBom, LayersWrittenAsCsvStartWithTheMarkAndReadBack) {
    const auto p = temp_dir() / "points.csv";
    yike::io::Layer layer{"points", {}};
    yike::io::Feature f;
    f.geometry = yike::io::PointGeometry{{116.39, 39.91}};
    f.properties = {{"id", std::string("a")}, {"name", std::string("药店")}, {"lon", 116.39}, {"lat", 39.91}};
    layer.features.push_back(f);
    yike::io::write_layers(p, {layer});
    const auto bytes = slurp(p);
    ASSERT_GE(bytes.size(), 3U);
    EXPECT_EQ(bytes.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(bytes.find("\xEF\xBB\xBF", 3), std::string::npos);
    const auto points = yike::io::read_points(p);
    ASSERT_EQ(points.size(), 1U);
    EXPECT_EQ(points[0].id, "a");
}

} // namespace
