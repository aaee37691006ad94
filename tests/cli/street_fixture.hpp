#pragma once
// The drawn street of tests/support/street_areas.hpp as the inputs of a CLI run, shared by the CLI
// tests that judge that street.
#include "cli_fixture.hpp"
#include "support/street_areas.hpp"

namespace {

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
