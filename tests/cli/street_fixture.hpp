#pragma once
// The drawn street of tests/support/street_areas.hpp as the inputs of a CLI run, and the TOML of a
// test standard's targets, shared by the CLI tests that judge that street.
#include "cli_fixture.hpp"
#include "support/street_areas.hpp"

#include <initializer_list>

namespace {

// One [[target]] table of a test standard: `fields` are the "key = value" lines that differ between
// targets (kind, category, threshold, basis, share...), in TOML (strings in single quotes read best).
[[maybe_unused]] std::string target_toml(const std::string& id, const std::string& name_zh, const std::string& name_en,
                                         std::initializer_list<std::string> fields, const std::string& source = "test") {
    std::string toml = "\n[[target]]\nid = \"" + id + "\"\nname_zh = \"" + name_zh + "\"\nname_en = \"" + name_en + "\"\n";
    for (const auto& f : fields) toml += f + "\n";
    return toml + "source = \"" + source + "\"\nconfidence = \"S\"\n";
}

class StreetCliTest : public CliTest {
protected:
    // Writes the street's network, households, communities and `standard` (TOML text) into the test
    // folder; returns the options that name them, ready to follow `coverage` (single-threaded).
    std::string street_inputs(const std::string& standard) {
        write("street.osm", m_street.osm_xml());
        write("homes.geojson", m_street.households_geojson());
        write("communities.geojson", m_street.communities_geojson());
        write("std.toml", standard);
        return " --osm " + path("street.osm").string() + " --crs EPSG:4326 --households " + path("homes.geojson").string() +
               " --communities " + path("communities.geojson").string() + " --standard " + path("std.toml").string() +
               " --threads 1";
    }

    yike::test::StreetAreas m_street;
};

} // namespace
