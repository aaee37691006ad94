// Scenario files (data/scenarios/*.toml) through load_scenario.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("scenario.toml");
    try {
        (void)yike::engine::load_scenario(file.write(data, size));
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    return 0;
}
