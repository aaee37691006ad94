# Every dependency comes from Debian 12 packages and is used through an imported target.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)               # Boost.Geometry R-tree (header-only)
find_package(ZLIB REQUIRED)
find_package(BZip2 REQUIRED)
find_package(EXPAT REQUIRED)
find_package(GDAL CONFIG REQUIRED)
find_package(GEOS CONFIG REQUIRED)
find_package(PROJ CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)

# cairo (map images: PNG, SVG, PDF) through its pkg-config file.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
# cpp-httplib (`yike serve`): Debian builds it as a shared library with a pkg-config file.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# libosmium ships no CMake config in Debian: wrap its header-only library in an imported target.
find_path(OSMIUM_INCLUDE_DIR osmium/osm.hpp REQUIRED)
find_path(PROTOZERO_INCLUDE_DIR protozero/pbf_reader.hpp REQUIRED)
add_library(yike_osmium INTERFACE IMPORTED GLOBAL)
add_library(yike::osmium ALIAS yike_osmium)
target_include_directories(yike_osmium SYSTEM INTERFACE ${OSMIUM_INCLUDE_DIR} ${PROTOZERO_INCLUDE_DIR})
target_link_libraries(yike_osmium INTERFACE ZLIB::ZLIB BZip2::BZip2 EXPAT::EXPAT Threads::Threads)

# GLPK (site planning's LP bounds and exact mode) ships no CMake config in Debian either.
find_path(GLPK_INCLUDE_DIR glpk.h REQUIRED)
find_library(GLPK_LIBRARY glpk REQUIRED)
add_library(yike_glpk INTERFACE IMPORTED GLOBAL)
add_library(yike::glpk ALIAS yike_glpk)
target_include_directories(yike_glpk SYSTEM INTERFACE ${GLPK_INCLUDE_DIR})
target_link_libraries(yike_glpk INTERFACE ${GLPK_LIBRARY})

if(YIKE_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(YIKE_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)
endif()
