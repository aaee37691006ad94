// Category mappings (data/categories/osm.toml) through load_category_mapping, then matching a few
// OSM objects against the loaded mapping (tag filters, name patterns, scopes and exclusions).
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "yike/engine/categories.hpp"
#include "yike/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("categories.toml");
    static const yike::engine::Tags objects[] = {
        {{"amenity", "pharmacy"}, {"name", "大药房"}},
        {{"shop", "supermarket"}, {"name:zh", "菜市场"}, {"access", "private"}},
        {{"amenity", "social_facility"}, {"social_facility:for", "senior"}, {"name", "养老驿站"}},
        {{"leisure", "park"}},
        {},
    };
    try {
        const auto mapping = yike::engine::load_category_mapping(file.write(data, size));
        for (const auto& tags : objects) {
            for (const auto& id : mapping.match(tags, "社区卫生服务站")) {
                (void)mapping.find(id);
            }
        }
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    return 0;
}
