// GeoJSON layers through every vector reader of ours: read_points, and the facility, demand and
// area (community) readers with their CRS handling, representative points, numeric fields and
// polygon repair. GDAL parses the JSON; the target checks our handling of what it returns.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "layer_checks.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("layer.geojson");
    const auto& path = file.write(data, size);
    yike::fuzz::check_point_readers(path, "");
    try {
        yike::io::AreaLayerOptions options;
        yike::io::ReadWarnings warnings;
        yike::fuzz::check(yike::io::read_area_layer(path, options, warnings));
    } catch (const yike::error&) {
    }
    return 0;
}
