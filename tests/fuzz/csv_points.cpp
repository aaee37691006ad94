// CSV point files (lon/lat columns) through read_points (the --points of `yike isochrone`) and the
// facility and demand layer readers of `yike coverage`. GDAL parses the CSV; the target checks our
// handling of what it returns: ids, coordinates, bounds, numeric fields.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "layer_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("points.csv");
    const auto& path = file.write(data, size);
    yike::fuzz::check_point_readers(path, "EPSG:4326"); // CSV carries no CRS
    return 0;
}
