// Standards catalogs (data/standards/*.toml) through load_standard, then everything the commands
// derive from a loaded standard: its description and every coverage target's network budget.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/standards.hpp"
#include "yike/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::engine::CategoryMapping categories = yike::engine::load_category_mapping();
    static const yike::fuzz::InputFile file("standard.toml");
    try {
        const auto standard = yike::engine::load_standard(file.write(data, size).string(), categories);
        (void)yike::engine::describe_standard(standard, categories);
        (void)standard.unconfirmed_count();
        for (const auto& target : standard.targets) {
            (void)standard.find(target.id);
            YIKE_FUZZ_CHECK(!target.id.empty());
            YIKE_FUZZ_CHECK(target.report_only || target.required_share.has_value() ||
                            target.kind == yike::engine::TargetKind::ratio);
            YIKE_FUZZ_CHECK(!target.required_share || (*target.required_share > 0 && *target.required_share <= 1));
            if (target.kind == yike::engine::TargetKind::coverage) {
                YIKE_FUZZ_CHECK(target.threshold_minutes.has_value() != target.threshold_m.has_value());
                YIKE_FUZZ_CHECK(!target.categories.empty());
                // the slowest and fastest speeds a profile may have (with_speed allows (0, 10] m/s)
                (void)yike::engine::threshold_cm(target, 1);
                (void)yike::engine::threshold_cm(target, 10'000);
                (void)yike::engine::target_measure(target);
            }
        }
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    return 0;
}
