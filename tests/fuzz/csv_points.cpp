// CSV point files (lon/lat columns) through read_points (the --points of `yike isochrone`) and the
// facility and demand layer readers of `yike coverage`. GDAL parses the CSV; the target checks our
// handling of what it returns: ids, coordinates, bounds, numeric fields.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "layer_checks.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("points.csv");
    const auto& path = file.write(data, size);
    try {
        yike::fuzz::check(yike::io::read_points(path));
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    try {
        yike::io::FacilityLayerOptions options;
        options.crs = "EPSG:4326";
        options.category_field = "category";
        yike::io::ReadWarnings warnings;
        yike::fuzz::check(yike::io::read_facility_layer(path, options, warnings));
    } catch (const yike::error&) {
    }
    try {
        yike::io::DemandLayerOptions options;
        options.crs = "EPSG:4326";
        yike::io::ReadWarnings warnings;
        yike::fuzz::check(yike::io::read_demand_layer(path, options, warnings));
    } catch (const yike::error&) {
    }
    return 0;
}
