// The box of every node of an OSM extract, for cutting a study area into tiles.
#include <algorithm>

#include <osmium/io/any_input.hpp>
#include <osmium/memory/buffer.hpp>
#include <osmium/osm/node.hpp>

#include "detail/osm_file.hpp"
#include "yike/io/osm_network.hpp"

namespace yike::io {

std::pair<routing::LonLat, routing::LonLat> read_osm_bounds(const std::filesystem::path& osm_file) {
    const std::string name = osm_file.string();
    detail::require_osm_file(osm_file);
    routing::LonLat lo{180.0, 90.0};
    routing::LonLat hi{-180.0, -90.0};
    bool any = false;
    try {
        osmium::io::Reader reader(osmium::io::File(name), osmium::osm_entity_bits::node, osmium::io::read_meta::no);
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const osmium::Node& node : buffer.select<osmium::Node>()) {
                const auto loc = node.location();
                if (!loc.valid()) continue;
                any = true;
                lo.lon = std::min(lo.lon, loc.lon());
                lo.lat = std::min(lo.lat, loc.lat());
                hi.lon = std::max(hi.lon, loc.lon());
                hi.lat = std::max(hi.lat, loc.lat());
            }
        }
        reader.close();
    } catch (const std::exception& e) {
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        throw io_error(name + ": cannot read OSM data: " + what);
    }
    if (!any) {
        throw data_error(name + ": holds no node with a location");
    }
    return {lo, hi};
}

} // namespace yike::io
