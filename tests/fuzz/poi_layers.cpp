// AMap and Baidu POI exports (read_poi_layer): the input as a CSV read as both providers, with the
// encoding detected (UTF-8, else GBK/GB18030) and the providers' default CRSs (GCJ-02, BD-09). What
// comes back must hold whatever the bytes were: WGS84 positions, rows in file order, ids, labels and
// classes as UTF-8 text without the separators they were split at, non-negative amounts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "utf8_check.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"

namespace {

void check(const yike::io::PoiLayer& layer) {
    using yike::fuzz::valid_amount;
    using yike::fuzz::valid_lonlat;
    using yike::fuzz::valid_utf8;
    std::uint64_t last_row = 0;
    for (const auto& p : layer.pois) {
        YIKE_FUZZ_CHECK(!p.id.empty() && valid_utf8(p.id));
        YIKE_FUZZ_CHECK(valid_utf8(p.name));
        YIKE_FUZZ_CHECK(!p.label.empty() && valid_utf8(p.label));
        YIKE_FUZZ_CHECK(p.row > last_row);
        last_row = p.row;
        YIKE_FUZZ_CHECK(valid_lonlat(p.location));
        for (const std::string& c : p.codes) {
            YIKE_FUZZ_CHECK(!c.empty() && c.find('|') == std::string::npos && valid_utf8(c));
        }
        for (const std::string& t : p.types) {
            YIKE_FUZZ_CHECK(!t.empty() && t.find('|') == std::string::npos && valid_utf8(t));
        }
        YIKE_FUZZ_CHECK(!p.capacity || valid_amount(*p.capacity));
        YIKE_FUZZ_CHECK(!p.floor_area_m2 || valid_amount(*p.floor_area_m2));
        YIKE_FUZZ_CHECK(!p.staff || valid_amount(*p.staff));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("pois.csv");
    const auto& path = file.write(data, size);
    for (const char* provider : {"amap", "baidu"}) {
        try {
            yike::io::FacilityLayerOptions options;
            options.poi_format = provider;
            yike::io::ReadWarnings warnings;
            check(yike::io::read_poi_layer(path, options, warnings));
        } catch (const yike::error&) {
        }
    }
    return 0;
}
