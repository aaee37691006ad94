#pragma once
// What the vector readers promise about everything they return (io/inputs.hpp, io/point_reader.hpp):
// WGS84 positions within bounds, non-negative finite amounts, closed rings of at least 4 points.
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"

namespace yike::fuzz {

inline void check(const std::vector<io::InputPoint>& points) {
    YIKE_FUZZ_CHECK(!points.empty());
    for (const auto& p : points) {
        YIKE_FUZZ_CHECK(!p.id.empty());
        YIKE_FUZZ_CHECK(valid_lonlat(p.lonlat));
    }
}

inline void check(const std::vector<io::FacilityRecord>& facilities) {
    for (const auto& f : facilities) {
        YIKE_FUZZ_CHECK(!f.id.empty());
        YIKE_FUZZ_CHECK(!f.category.empty());
        YIKE_FUZZ_CHECK(valid_lonlat(f.location));
        YIKE_FUZZ_CHECK(!f.capacity || valid_amount(*f.capacity));
        YIKE_FUZZ_CHECK(!f.floor_area_m2 || valid_amount(*f.floor_area_m2));
        YIKE_FUZZ_CHECK(!f.staff || valid_amount(*f.staff));
    }
}

inline void check(const std::vector<io::DemandRecord>& demand) {
    for (const auto& d : demand) {
        YIKE_FUZZ_CHECK(!d.id.empty());
        YIKE_FUZZ_CHECK(valid_lonlat(d.location));
        YIKE_FUZZ_CHECK(valid_amount(d.households));
        YIKE_FUZZ_CHECK(valid_amount(d.population));
        YIKE_FUZZ_CHECK(valid_amount(d.seniors));
        YIKE_FUZZ_CHECK(valid_amount(d.children));
    }
}

inline void check(const std::vector<io::AreaRecord>& areas) {
    for (const auto& a : areas) {
        YIKE_FUZZ_CHECK(!a.id.empty());
        YIKE_FUZZ_CHECK(!a.geometry.polygons.empty());
        YIKE_FUZZ_CHECK(!a.households || valid_amount(*a.households));
        for (const auto& polygon : a.geometry.polygons) {
            YIKE_FUZZ_CHECK(!polygon.exterior.points.empty());
            for (const routing::Ring* r : routing::rings_of(polygon)) {
                const auto& ring = r->points;
                YIKE_FUZZ_CHECK(ring.size() >= 4);
                YIKE_FUZZ_CHECK(ring.front().lon == ring.back().lon && ring.front().lat == ring.back().lat);
                for (const auto& p : ring) {
                    YIKE_FUZZ_CHECK(valid_lonlat(p));
                }
            }
        }
    }
}

// One input through read_points and the facility and demand layer readers; `crs` is given for
// formats that carry none (CSV), empty to use the file's. A yike::error is bad input reported with
// a message, which is what a reader must do; anything else (a crash, a broken promise) is a finding.
inline void check_point_readers(const std::filesystem::path& path, const std::string& crs) {
    try {
        check(io::read_points(path));
    } catch (const yike::error&) {
    }
    try {
        io::FacilityLayerOptions options;
        if (!crs.empty()) options.crs = crs;
        options.category_field = "category";
        io::ReadWarnings warnings;
        check(io::read_facility_layer(path, options, warnings));
    } catch (const yike::error&) {
    }
    try {
        io::DemandLayerOptions options;
        if (!crs.empty()) options.crs = crs;
        io::ReadWarnings warnings;
        check(io::read_demand_layer(path, options, warnings));
    } catch (const yike::error&) {
    }
}

} // namespace yike::fuzz
