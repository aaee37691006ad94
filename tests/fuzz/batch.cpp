// Batch files (`yike batch FILE.toml`) through load_batch, with what it promises about an accepted
// file: unique names, every item writing its own folder, none inside another's.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_input.hpp"
#include "yike/engine/batch.hpp"
#include "yike/error.hpp"

namespace {

bool inside(const std::filesystem::path& a, const std::filesystem::path& b) {
    auto ia = a.begin();
    for (auto ib = b.begin(); ib != b.end(); ++ib, ++ia) {
        if (ia == a.end() || *ia != *ib) return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("batch.toml");
    try {
        const auto batch = yike::engine::load_batch(file.write(data, size));
        std::set<std::string> names;
        for (const auto& item : batch.items) {
            YIKE_FUZZ_CHECK(!item.name.empty());
            YIKE_FUZZ_CHECK(names.insert(item.name).second);
            YIKE_FUZZ_CHECK(!item.settings.out.empty());
        }
        for (std::size_t i = 0; i < batch.items.size(); ++i) {
            for (std::size_t j = 0; j < batch.items.size(); ++j) {
                if (i == j) continue;
                const auto a = batch.items[i].settings.out.lexically_normal();
                const auto b = batch.items[j].settings.out.lexically_normal();
                YIKE_FUZZ_CHECK(!inside(a, b));
            }
        }
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    return 0;
}
