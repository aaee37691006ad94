// Request bodies of `yike serve` (POST /api/isochrone, /api/scenario, /api/export) through
// viz::parse_isochrone_request and viz::parse_scenario_request, the functions the server calls on
// every body before the planner sees it. Bad bodies must end in a request_error with a 4xx status;
// an accepted request must respect the limits it was parsed under. The input goes to both parsers
// with the server's default limits, then with tight ones so that the 413 paths and the edges of
// the limits are reached by short inputs too.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "yike/viz/planner.hpp"

namespace {

using yike::fuzz::valid_lonlat;
using yike::viz::PlannerLimits;

bool valid_id(const std::string& id, const PlannerLimits& limits) {
    return !id.empty() && id.size() <= limits.max_id_chars;
}

void check_status(const yike::viz::request_error& e) {
    YIKE_FUZZ_CHECK(e.status() >= 400 && e.status() < 500);
    YIKE_FUZZ_CHECK(*e.what() != '\0');
}

void isochrone(std::string_view body, const PlannerLimits& limits) {
    try {
        const auto r = yike::viz::parse_isochrone_request(body, limits);
        YIKE_FUZZ_CHECK(body.size() <= limits.max_body_bytes);
        YIKE_FUZZ_CHECK(valid_lonlat(r.at));
        YIKE_FUZZ_CHECK(!r.minutes.empty());
        YIKE_FUZZ_CHECK(r.minutes.size() <= limits.max_bands);
        for (std::size_t k = 0; k < r.minutes.size(); ++k) {
            YIKE_FUZZ_CHECK(std::isfinite(r.minutes[k]) && r.minutes[k] > 0 && r.minutes[k] <= limits.max_minutes);
            if (k > 0) YIKE_FUZZ_CHECK(r.minutes[k - 1] < r.minutes[k]); // sorted, no duplicates
        }
    } catch (const yike::viz::request_error& e) {
        check_status(e);
    }
}

void scenario(std::string_view body, const PlannerLimits& limits) {
    try {
        const auto r = yike::viz::parse_scenario_request(body, limits);
        YIKE_FUZZ_CHECK(body.size() <= limits.max_body_bytes);
        YIKE_FUZZ_CHECK(valid_id(r.category, limits));
        YIKE_FUZZ_CHECK(r.add.size() + r.remove.size() <= limits.max_sites);
        std::set<std::string> added;
        for (const auto& s : r.add) {
            YIKE_FUZZ_CHECK(valid_id(s.id, limits));
            YIKE_FUZZ_CHECK(valid_lonlat(s.at));
            YIKE_FUZZ_CHECK(added.insert(s.id).second);
        }
        std::set<std::string> removed;
        for (const auto& id : r.remove) {
            YIKE_FUZZ_CHECK(valid_id(id, limits));
            YIKE_FUZZ_CHECK(removed.insert(id).second);
        }
    } catch (const yike::viz::request_error& e) {
        check_status(e);
    }
}

} // namespace

// Any other exception, request_error's base yike::error included, escapes and fails the target:
// the server answers only request_error with its status, anything else would be a 500.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const PlannerLimits server_defaults;
    PlannerLimits tight;
    tight.max_body_bytes = 256;
    tight.max_bands = 2;
    tight.max_minutes = 7.5;
    tight.max_sites = 2;
    tight.max_id_chars = 3;
    for (const PlannerLimits& limits : {server_defaults, tight}) {
        isochrone(body, limits);
        scenario(body, limits);
    }
    return 0;
}
