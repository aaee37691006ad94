// read_points: the origins of `yike isochrone --points`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "yike/io/point_reader.hpp"

namespace {

namespace fs = std::filesystem;

fs::path write_file(const std::string& name, const std::string& content) {
    const fs::path dir = fs::temp_directory_path() / ("yike-point-reader-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

TEST(PointReader, BlankIdsFallBackToThePosition) {
    // Found by the csv_points fuzz target: an empty id cell gave a point with an empty id.
    const auto path = write_file("blank_ids.csv", "id,lon,lat\na,7.42,43.73\n,7.43,43.74\n  ,7.44,43.75\n b ,7.45,43.76\n");
    const auto points = yike::io::read_points(path);
    ASSERT_EQ(points.size(), 4U);
    EXPECT_EQ(points[0].id, "a");
    EXPECT_EQ(points[1].id, "2");
    EXPECT_EQ(points[2].id, "3");
    EXPECT_EQ(points[3].id, "b");
    EXPECT_DOUBLE_EQ(points[1].lonlat.lon, 7.43);
    EXPECT_DOUBLE_EQ(points[1].lonlat.lat, 43.74);
    fs::remove_all(path.parent_path());
}

} // namespace
