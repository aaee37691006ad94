// Option values the `yike` command parses itself: --at LON,LAT, --map-layers lists, --paper sizes,
// and the tag conditions of category mappings (key=value, key!=v1|v2, !key ...). The input is
// handed whole to each parser.
#include <cstddef>
#include <cstdint>
#include <string>

#include "arguments.hpp"
#include "yike/engine/categories.hpp"
#include "yike/error.hpp"
#include "yike/viz/map_render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)yike::cli::parse_lonlat(text);
    } catch (const yike::error&) {
        // bad input, reported with a message: what the parser must do
    }
    try {
        (void)yike::viz::parse_map_layers(text);
    } catch (const yike::error&) {
    }
    (void)yike::viz::parse_paper_size(text);
    if (const auto condition = yike::engine::parse_tag_condition(text)) {
        const yike::engine::Tags tags{{condition->key, "yes"}, {"amenity", "pharmacy"}};
        (void)yike::engine::tag_condition_holds(*condition, tags);
    }
    return 0;
}
