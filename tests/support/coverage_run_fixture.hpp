#pragma once
// The fixture of the coverage-run tests on the bundled Monaco extract (tests/engine/test_coverage_run.cpp,
// and tests/viz/test_coverage_reports.cpp for the runs checked through their report folders): a
// temporary folder per test, and two communities over parts of Monaco with known household counts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace yike::test_run {

namespace fs = std::filesystem;

class CoverageRunTest : public ::testing::Test {
protected:
    fs::path write(const std::string& name, const std::string& text) const { return m_temp.file(name, text); }
    test::TempDir m_temp;
    const fs::path& m_dir = m_temp.dir();
};

inline const std::string monaco = std::string(YIKE_DATA_DIR) + "/osm/monaco.osm.pbf";

// Two communities over parts of Monaco with known household counts.
inline const char* communities_geojson =
    R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},)"
    R"("features":[)"
    R"({"type":"Feature","properties":{"id":"west","households":5000},"geometry":{"type":"Polygon","coordinates":)"
    R"([[[7.410,43.725],[7.422,43.725],[7.422,43.740],[7.410,43.740],[7.410,43.725]]]}},)"
    R"({"type":"Feature","properties":{"id":"east","households":2000},"geometry":{"type":"Polygon","coordinates":)"
    R"([[[7.422,43.725],[7.435,43.725],[7.435,43.745],[7.422,43.745],[7.422,43.725]]]}}]})";

} // namespace yike::test_run
