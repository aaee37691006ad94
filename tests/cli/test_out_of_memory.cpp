// A population raster with more populated cells than memory holds ends in one line naming the
// file and what to do (issue 18: it used to end in a bare "out of memory"), exit 1, nothing
// written. The memory is made short with `ulimit -v` rather than with a raster of 10⁹ cells.
#include <fstream>
#include <string>

#include "cli_fixture.hpp"

namespace {

class MemoryTest : public CliTest {};

TEST_F(MemoryTest, PopulationRasterBeyondMemoryNamesTheFile) {
    // 3,000 x 3,000 cells of one person over Monaco: 9 million demand points, several GB in
    // memory, 18 MB as text.
    const int n = 3000;
    {
        std::ofstream f(path("people.asc"), std::ios::binary);
        f << "ncols " << n << "\nnrows " << n << "\nxllcorner 7.40\nyllcorner 43.72\ncellsize 0.00001\nNODATA_value -9999\n";
        std::string row;
        for (int c = 0; c < n; ++c) row += c == 0 ? "1" : " 1";
        row += '\n';
        for (int r = 0; r < n; ++r) f << row;
    }
    const std::string command = "ulimit -v 1500000; exec " + yike + " coverage --osm " + monaco +
                                " --standard mofcom-15min --crs EPSG:4326 --population-raster " + path("people.asc").string() +
                                " --out " + path("report").string() + " -q >" + path("stdout.txt").string() + " 2>" +
                                path("stderr.txt").string();
    const int status = std::system(("sh -c '" + command + "'").c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    const std::string err = slurp(path("stderr.txt"));
    EXPECT_NE(err.find(path("people.asc").string() + ": too many populated cells to hold in memory (3000 x 3000 cells"),
              std::string::npos)
        << err;
    EXPECT_EQ(lines(err), 1) << err;
    EXPECT_FALSE(fs::exists(path("report")));
}

} // namespace
