// The web planner: its request parsers on their own, then a real server on loopback (port 0)
// queried with an HTTP client: isochrones equal to `yike isochrone`, scenarios equal to a full
// coverage run with the site as a facility, and every kind of bad request answered with JSON.
#include <gtest/gtest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <vector>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/siting.hpp"
#include "yike/viz/planner.hpp"
#include "yike/viz/server.hpp"

namespace yike::viz {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const std::string monaco = std::string(YIKE_DATA_DIR) + "/osm/monaco.osm.pbf";
const std::string standard = "mofcom-15min";

// ---- parsers --------------------------------------------------------------------------------

int status_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const request_error& e) {
        return e.status();
    }
    return 200;
}

int iso_status(const std::string& body) {
    return status_of([&] { (void)parse_isochrone_request(body, PlannerLimits{}); });
}

int scenario_status(const std::string& body) {
    return status_of([&] { (void)parse_scenario_request(body, PlannerLimits{}); });
}

TEST(PlannerRequests, IsochroneDefaultsAndOrder) {
    const auto r = parse_isochrone_request(R"({"lon": 7.42, "lat": 43.73})", {});
    EXPECT_DOUBLE_EQ(r.at.lon, 7.42);
    EXPECT_DOUBLE_EQ(r.at.lat, 43.73);
    EXPECT_EQ(r.minutes, (std::vector<double>{5, 10, 15}));
    EXPECT_FALSE(r.senior);
    EXPECT_FALSE(r.disjoint);
    const auto s = parse_isochrone_request(R"({"lon":1,"lat":2,"minutes":[15,5,5,10.5],"profile":"senior","bands":"disjoint"})", {});
    EXPECT_EQ(s.minutes, (std::vector<double>{5, 10.5, 15}));
    EXPECT_TRUE(s.senior);
    EXPECT_TRUE(s.disjoint);
}

TEST(PlannerRequests, DefaultBudgetsRespectTheLimits) { // found by the fuzz target api_request
    PlannerLimits tight;
    tight.max_minutes = 7.5;
    EXPECT_EQ(parse_isochrone_request(R"({"lon": 7.42, "lat": 43.73})", tight).minutes, (std::vector<double>{5}));
    tight.max_minutes = 60;
    tight.max_bands = 2;
    EXPECT_EQ(parse_isochrone_request(R"({"lon": 7.42, "lat": 43.73})", tight).minutes, (std::vector<double>{5, 10}));
    tight.max_minutes = 3;
    EXPECT_EQ(parse_isochrone_request(R"({"lon": 7.42, "lat": 43.73})", tight).minutes, (std::vector<double>{3}));
}

TEST(PlannerRequests, IsochroneRejects) {
    EXPECT_EQ(iso_status(""), 400);
    EXPECT_EQ(iso_status("{"), 400);
    EXPECT_EQ(iso_status("[1,2]"), 400);
    EXPECT_EQ(iso_status(R"({"lat": 43.7})"), 400);                         // missing lon
    EXPECT_EQ(iso_status(R"({"lon": "7.4", "lat": 43.7})"), 400);           // string
    EXPECT_EQ(iso_status(R"({"lon": 43.7, "lat": 97.4})"), 400);            // lat out of range
    EXPECT_EQ(iso_status(R"({"lon": 190, "lat": 43})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 1e999, "lat": 43})"), 400);             // overflow
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": []})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": [0]})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": [-5]})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": [61]})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": 15})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": [1,2,3,4,5,6,7]})"), 413);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "profile": "bike"})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "bands": 1})"), 400);
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "file": "/etc/passwd"})"), 400); // unknown field
    EXPECT_EQ(iso_status(std::string(70'000, ' ') + R"({"lon": 7, "lat": 43})"), 413);
    EXPECT_EQ(iso_status(std::string(100, '[') + std::string(100, ']')), 400); // nesting
    EXPECT_EQ(iso_status(R"({"lon": 7, "lat": 43, "minutes": [[[[[[[[[[1]]]]]]]]]]})"), 400);
}

TEST(PlannerRequests, ScenarioParsesAndRejects) {
    const auto r = parse_scenario_request(R"({"category":"c","add":[{"id":"a","lon":7.4,"lat":43.7}],"remove":["n1","n2"]})", {});
    EXPECT_EQ(r.category, "c");
    ASSERT_EQ(r.add.size(), 1U);
    EXPECT_EQ(r.add[0].id, "a");
    EXPECT_EQ(r.remove, (std::vector<std::string>{"n1", "n2"}));
    EXPECT_TRUE(parse_scenario_request(R"({"category":"c"})", {}).add.empty());

    EXPECT_EQ(scenario_status(R"({"add": []})"), 400);                       // no category
    EXPECT_EQ(scenario_status(R"({"category": ""})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": 3})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "add": {}})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "add": [{"lon": 1, "lat": 2}]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "add": [{"id": "a", "lon": 1}]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "add": [{"id": "a", "lon": 1, "lat": 200}]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "add": [{"id": "a", "lon": 1, "lat": 2, "x": 0}]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "add": [{"id":"a","lon":1,"lat":2},{"id":"a","lon":1,"lat":2}]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "remove": ["x", "x"]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": "c", "remove": [1]})"), 400);
    EXPECT_EQ(scenario_status(R"({"category": ")" + std::string(200, 'c') + R"("})"), 400);
    json many = {{"category", "c"}, {"add", json::array()}};
    for (int k = 0; k < 101; ++k) many["add"].push_back({{"id", std::to_string(k)}, {"lon", 7.4}, {"lat", 43.7}});
    EXPECT_EQ(scenario_status(many.dump()), 413);
    json split = {{"category", "c"}, {"add", json::array()}, {"remove", json::array()}};
    for (int k = 0; k < 60; ++k) {
        split["add"].push_back({{"id", std::to_string(k)}, {"lon", 7.4}, {"lat", 43.7}});
        split["remove"].push_back(std::to_string(k));
    }
    EXPECT_EQ(scenario_status(split.dump()), 413);
}

TEST(PlannerServer, LoopbackDetection) {
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("127.1.2.3"));
    EXPECT_TRUE(is_loopback("::1"));
    EXPECT_TRUE(is_loopback("localhost"));
    EXPECT_FALSE(is_loopback("0.0.0.0"));
    EXPECT_FALSE(is_loopback("192.168.1.2"));
    EXPECT_FALSE(is_loopback("::"));
}

// ---- a running server -----------------------------------------------------------------------

engine::CoverageSettings monaco_settings(const std::string& standard_id = standard) {
    engine::CoverageSettings s;
    s.osm = monaco;
    s.standard = standard_id;
    return s;
}

// One planner per test process (each test runs in its own process under ctest), served on a
// free loopback port.
class RunningServer : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto networks = std::make_unique<engine::CoverageNetworks>();
        auto data = engine::run_coverage(monaco_settings(), {}, networks.get());
        s_planner = std::make_unique<Planner>(std::move(data), std::move(networks));
        ServerOptions o;
        o.port = 0;
        o.threads = 4;
        s_server = std::make_unique<Server>(*s_planner, o);
        s_port = s_server->bind();
        s_thread = std::thread([] { s_server->run(); });
    }
    static void TearDownTestSuite() {
        s_server->stop();
        s_thread.join();
        s_server.reset();
        s_planner.reset();
    }

    static httplib::Client client() {
        httplib::Client c("127.0.0.1", s_port);
        c.set_read_timeout(60, 0);
        return c;
    }
    static json post_ok(const std::string& path, const json& body) {
        auto c = client();
        const auto res = c.Post(path.c_str(), body.dump(), "application/json");
        EXPECT_TRUE(res) << path;
        if (!res) return {};
        EXPECT_EQ(res->status, 200) << path << ": " << res->body;
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
        return json::parse(res->body);
    }
    // The status and the JSON error message of a request that must fail.
    static std::pair<int, std::string> failure(const httplib::Result& res) {
        EXPECT_TRUE(res);
        if (!res) return {0, ""};
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8") << res->body;
        const json j = json::parse(res->body, nullptr, false);
        EXPECT_TRUE(j.is_object() && j.contains("error") && j["error"].is_string()) << res->body;
        return {res->status, j.is_object() && j.contains("error") ? j["error"].get<std::string>() : ""};
    }

    static std::unique_ptr<Planner> s_planner;
    static std::unique_ptr<Server> s_server;
    static std::thread s_thread;
    static int s_port;
};

std::unique_ptr<Planner> RunningServer::s_planner;
std::unique_ptr<Server> RunningServer::s_server;
std::thread RunningServer::s_thread;
int RunningServer::s_port = 0;

std::string run_command(const std::string& command) {
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    std::array<char, 65536> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) out.append(buffer.data(), n);
    return out;
}

// Coordinates of a GeoJSON geometry as integers of 1e-7 degrees, in order.
void collect_e7(const json& coordinates, std::vector<long long>& out) {
    if (coordinates.is_number()) {
        out.push_back(std::llround(coordinates.get<double>() * 1e7));
        return;
    }
    for (const auto& c : coordinates) collect_e7(c, out);
}

TEST_F(RunningServer, IsochroneEqualsTheCommandLine) {
    for (const auto& [lon, lat, profile] : std::vector<std::tuple<double, double, std::string>>{
             {7.4246, 43.7384, "walk"}, {7.4282, 43.7396, "senior"}}) {
        const json api = post_ok("/api/isochrone", {{"lon", lon}, {"lat", lat}, {"minutes", {5, 10, 15}}, {"profile", profile}});
        ASSERT_EQ(api["type"], "FeatureCollection");
        ASSERT_EQ(api["features"].size(), 3U);
        char at[64];
        std::snprintf(at, sizeof at, "%.4f,%.4f", lon, lat);
        const std::string cli = run_command(std::string(YIKE_BINARY) + " isochrone --quiet --osm " + monaco + " --profile " +
                                            profile + " --at " + at + " --minutes 5,10,15 --out -");
        const json expected = json::parse(cli);
        ASSERT_EQ(expected["features"].size(), 3U);
        double previous_area = 0;
        for (std::size_t b = 0; b < 3; ++b) {
            const auto& a = api["features"][b];
            const auto& e = expected["features"][b];
            EXPECT_EQ(a["properties"]["minutes"].get<double>(), e["properties"]["minutes"].get<double>());
            EXPECT_EQ(a["geometry"]["type"], "MultiPolygon");
            std::vector<long long> got;
            std::vector<long long> want;
            collect_e7(a["geometry"]["coordinates"], got);
            collect_e7(e["geometry"]["coordinates"], want);
            EXPECT_FALSE(got.empty());
            EXPECT_EQ(got, want) << profile << " band " << b;
            EXPECT_NEAR(a["properties"]["area_m2"].get<double>(), e["properties"]["area_m2"].get<double>(), 0.05);
            EXPECT_GT(a["properties"]["area_m2"].get<double>(), previous_area); // nested bands grow
            previous_area = a["properties"]["area_m2"].get<double>();
        }
    }
    // Disjoint bands: the rings' areas add up to the largest nested band.
    const json nested = post_ok("/api/isochrone", {{"lon", 7.4246}, {"lat", 43.7384}});
    const json rings = post_ok("/api/isochrone", {{"lon", 7.4246}, {"lat", 43.7384}, {"bands", "disjoint"}});
    double sum = 0;
    for (const auto& f : rings["features"]) sum += f["properties"]["area_m2"].get<double>();
    EXPECT_NEAR(sum, nested["features"][2]["properties"]["area_m2"].get<double>(), 1.0);
    // Off the network (the sea south of Monaco): 422.
    auto c = client();
    const auto [status, message] = failure(c.Post("/api/isochrone", R"({"lon": 7.43, "lat": 43.70})", "application/json"));
    EXPECT_EQ(status, 422);
    EXPECT_NE(message.find("no walkable street"), std::string::npos);
}

// The coverage run again from the OSM extract, with `sites` as an extra facility layer: the
// independent recomputation each scenario is compared with.
engine::ReportResults full_run_with(const std::string& category, const std::vector<std::pair<double, double>>& sites,
                                    engine::CoverageData& data, const std::string& standard_id = standard) {
    const fs::path dir = fs::temp_directory_path() / ("yike-planner-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "sites.geojson";
    json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
    for (std::size_t k = 0; k < sites.size(); ++k) {
        fc["features"].push_back({{"type", "Feature"},
                                  {"geometry", {{"type", "Point"}, {"coordinates", {sites[k].first, sites[k].second}}}},
                                  {"properties", {{"id", "site" + std::to_string(k)}, {"category", category}}}});
    }
    std::ofstream(file) << fc.dump();
    auto s = monaco_settings(standard_id);
    engine::FacilityLayerSource layer;
    layer.path = file;
    layer.options.category_field = "category";
    s.facility_layers.push_back(layer);
    data = engine::run_coverage(s);
    fs::remove_all(dir);
    return engine::evaluate(data);
}

void expect_same_targets(const json& after, const engine::ReportResults& full, const engine::CoverageData& data) {
    ASSERT_EQ(after.size(), full.targets.size());
    for (std::size_t k = 0; k < full.targets.size(); ++k) {
        const auto& want = full.targets[k].overall;
        const auto& got = after[k]["after"];
        EXPECT_EQ(after[k]["id"], data.standard.targets[k].id);
        EXPECT_EQ(got["status"], std::string(engine::to_string(want.status))) << data.standard.targets[k].id;
        if (want.achieved) {
            EXPECT_NEAR(got["achieved"].get<double>(), *want.achieved, 1e-6) << data.standard.targets[k].id;
        } else {
            EXPECT_TRUE(got["achieved"].is_null());
        }
        EXPECT_NEAR(got["covered_households"].get<double>(), want.covered.households, 0.006) << data.standard.targets[k].id;
    }
}

// A category with at least two facilities, one an OSM node without entrances, that leaves some
// households out of reach for its first coverage target; with its scenario answer without changes.
struct Pick {
    std::string category;
    std::string node_facility;
    routing::LonLat node_location;
    json base;
};

TEST_F(RunningServer, AddMoveRemoveMatchFullRecomputation) {
    Pick pick;
    const auto& data = s_planner->data();
    for (const auto& costs : data.costs) {
        if (costs.facilities.size() < 2 || !pick.category.empty()) continue;
        for (const auto f : costs.facilities) {
            const auto& rec = data.facilities[f];
            if (rec.id.empty() || rec.id[0] != 'n' || !rec.entrances.empty() || !data.facility_snaps[f].origin) continue;
            auto c = client();
            const auto res = c.Post("/api/scenario", json{{"category", costs.category}}.dump(), "application/json");
            if (!res || res->status != 200) break; // a category without a coverage target
            json base = json::parse(res->body);
            if (base["uncovered"]["features"].size() >= 2) pick = {costs.category, rec.id, rec.location, std::move(base)};
            break;
        }
    }
    ASSERT_FALSE(pick.category.empty()) << "Monaco has no under-served category with an OSM node facility";
    const json& base = pick.base;
    for (const auto& row : base["targets"]) EXPECT_EQ(row["before"], row["after"]) << row["id"];
    const auto& uncovered = base["uncovered"]["features"];
    ASSERT_GE(uncovered.size(), 2U);
    ASSERT_EQ(base["coverage"].size() >= 1, true);
    const double covered_before = base["coverage"][0]["covered_before"].get<double>();

    // Add: a site at the first uncovered household.
    const auto first = uncovered[0]["geometry"]["coordinates"];
    const double lon1 = first[0].get<double>();
    const double lat1 = first[1].get<double>();
    const json added = post_ok("/api/scenario", {{"category", pick.category}, {"add", {{{"id", "s1"}, {"lon", lon1}, {"lat", lat1}}}}});
    ASSERT_TRUE(added["sites"][0]["snapped"].get<bool>());
    EXPECT_GT(added["coverage"][0]["covered_after"].get<double>(), covered_before);
    EXPECT_LT(added["uncovered"]["features"].size(), uncovered.size());
    EXPECT_GT(added["newly_covered_points"].get<int>(), 0);
    {
        engine::CoverageData full_data;
        const auto full = full_run_with(pick.category, {{lon1, lat1}}, full_data);
        expect_same_targets(added["targets"], full, full_data);
    }

    // Move: the same site at the last uncovered household.
    const auto last = uncovered[uncovered.size() - 1]["geometry"]["coordinates"];
    const double lon2 = last[0].get<double>();
    const double lat2 = last[1].get<double>();
    const json moved = post_ok("/api/scenario", {{"category", pick.category}, {"add", {{{"id", "s1"}, {"lon", lon2}, {"lat", lat2}}}}});
    {
        engine::CoverageData full_data;
        const auto full = full_run_with(pick.category, {{lon2, lat2}}, full_data);
        expect_same_targets(moved["targets"], full, full_data);
    }

    // Remove: an existing facility makes coverage no better; removing it and adding a site at its
    // exact place (a node without entrances snaps the same) gives the base state back.
    const json removed = post_ok("/api/scenario", {{"category", pick.category}, {"remove", {pick.node_facility}}});
    EXPECT_LE(removed["coverage"][0]["covered_after"].get<double>(), covered_before);
    EXPECT_EQ(removed["removed"][0], pick.node_facility);
    const json back = post_ok("/api/scenario", {{"category", pick.category},
                                                {"remove", {pick.node_facility}},
                                                {"add", {{{"id", "again"}, {"lon", pick.node_location.lon}, {"lat", pick.node_location.lat}}}}});
    for (std::size_t k = 0; k < back["targets"].size(); ++k) {
        EXPECT_EQ(back["targets"][k]["after"], base["targets"][k]["after"]) << back["targets"][k]["id"];
    }
    // ... and equal to the engine's own evaluation of the scenario's data.
    {
        ScenarioRequest r;
        r.category = pick.category;
        r.remove = {pick.node_facility};
        const auto scenario = s_planner->scenario_data(r);
        EXPECT_EQ(scenario.facilities.size(), s_planner->data().facilities.size() - 1);
        const auto results = engine::evaluate(scenario);
        expect_same_targets(removed["targets"], results, scenario);
    }

    // Export: the sites as GeoJSON points and the same table.
    const json exported = post_ok("/api/export", {{"category", pick.category},
                                                  {"add", {{{"id", "s1"}, {"lon", lon1}, {"lat", lat1}}}},
                                                  {"remove", {pick.node_facility}}});
    EXPECT_EQ(exported["type"], "FeatureCollection");
    ASSERT_EQ(exported["features"].size(), 2U);
    EXPECT_EQ(exported["features"][0]["properties"]["change"], "added");
    EXPECT_EQ(exported["features"][1]["properties"]["change"], "removed");
    EXPECT_EQ(exported["features"][1]["properties"]["id"], pick.node_facility);
    EXPECT_EQ(exported["targets"].size(), base["targets"].size());

    // A category the standard does not use, a facility of another category: 400.
    auto c = client();
    EXPECT_EQ(failure(c.Post("/api/scenario", R"({"category": "no_such_category"})", "application/json")).first, 400);
    EXPECT_EQ(failure(c.Post("/api/scenario", json{{"category", pick.category}, {"remove", {"n0"}}}.dump(), "application/json")).first, 400);
}

// A category only a presence target names (Dongcheng's senior dining table in every community;
// on Monaco the 500 m grid cells stand for the communities): its scenario answers per unit, and
// adding or moving a table equals a full coverage run with it as a facility.
TEST(PlannerPresence, SeniorDiningUnitsMatchFullRecomputation) {
    const std::string dongcheng = "dongcheng-2020";
    auto networks = std::make_unique<engine::CoverageNetworks>();
    auto data = engine::run_coverage(monaco_settings(dongcheng), {}, networks.get());
    const Planner planner(std::move(data), std::move(networks));
    const auto& base_data = planner.data();
    ScenarioRequest r;
    r.category = "senior_dining";
    const json base = json::parse(planner.scenario_json(r));
    ASSERT_EQ(base["units"].size(), 1U) << base.dump().substr(0, 500);
    const auto& units = base["units"][0];
    EXPECT_EQ(units["target"], "dc.senior_dining");
    EXPECT_EQ(units["level"], "grid");
    EXPECT_EQ(units["passing_before"], 0);
    EXPECT_EQ(units["units"].get<std::size_t>(), planner.base_results().areas.communities.size());
    EXPECT_TRUE(base["uncovered_target"].is_null());
    EXPECT_TRUE(base["coverage"].empty());
    const json layers = json::parse(planner.layers_json());
    EXPECT_EQ(layers["areas"]["communities"].size(), units["units"].get<std::size_t>());

    // Two demand points in different cells; a table at each in turn.
    const auto& areas = planner.base_results().areas;
    std::size_t first = 0;
    while (areas.demand_community[first] == routing::invalid_id) ++first;
    std::size_t second = first + 1;
    while (areas.demand_community[second] == routing::invalid_id ||
           areas.demand_community[second] == areas.demand_community[first]) {
        ++second;
    }
    for (const auto i : {first, second}) {
        const auto at = base_data.demand[i].location;
        r.add = {{"t1", at}};
        const json after = json::parse(planner.scenario_json(r));
        const auto& u = after["units"][0];
        EXPECT_EQ(u["passing_after"], 1);
        // Before, no source gave a senior dining table (OSM rarely maps them): every cell was
        // no_data; with one table every cell is judged, the table's passing and the others failing.
        EXPECT_EQ(u["changed"].get<std::size_t>(), units["units"].get<std::size_t>());
        for (std::size_t c = 0; c < areas.communities.size(); ++c) {
            EXPECT_EQ(u["status_before"][c], "no_data") << c;
            if (c != areas.demand_community[i]) {
                EXPECT_EQ(u["status_after"][c], "fail") << c;
            }
        }
        EXPECT_EQ(u["status_after"][areas.demand_community[i]], "pass");
        engine::CoverageData full_data;
        const auto full = full_run_with("senior_dining", {{at.lon, at.lat}}, full_data, dongcheng);
        expect_same_targets(after["targets"], full, full_data);
    }
    // A category no target names: 400.
    r.category = "no_such_category";
    EXPECT_THROW((void)planner.scenario_json(r), request_error);
}

// A burst of connections waits in the kernel's accept queue instead of being dropped (the
// library's own backlog is 5): with nobody accepting yet, 200 connects must mostly complete.
TEST_F(RunningServer, ListenBacklogHoldsABurst) {
    ServerOptions o;
    o.port = 0;
    Server idle(*s_planner, o);
    const int port = idle.bind();
    std::vector<int> fds;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < 200; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ASSERT_GE(fd, 0);
        (void)::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
        fds.push_back(fd);
    }
    int established = 0;
    for (const int fd : fds) {
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (::poll(&p, 1, 1000) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) ++established;
    }
    for (const int fd : fds) ::close(fd);
    EXPECT_GE(established, 128) << "connections completed before any accept";
    std::thread t([&] { idle.run(); });
    idle.stop();
    t.join();
}

// A raw TCP client on loopback, from a chosen source address (127.0.0.0/8 is all loopback, so
// each address counts as another client), optionally with a tiny receive buffer.
class RawClient {
public:
    explicit RawClient(int port, const char* source = "127.0.0.1", int receive_buffer = 0) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (receive_buffer > 0) ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        sockaddr_in from{};
        from.sin_family = AF_INET;
        ::inet_pton(AF_INET, source, &from.sin_addr);
        EXPECT_EQ(::bind(m_fd, reinterpret_cast<const sockaddr*>(&from), sizeof from), 0) << source;
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<std::uint16_t>(port));
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(m_fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
    }
    ~RawClient() { close(); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(const std::string& bytes) { EXPECT_EQ(::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size())); }
    // Everything until the server closes the connection (or timeout_ms of silence).
    std::string read_all(int timeout_ms = 20000) {
        std::string out;
        char buffer[65536];
        while (true) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, timeout_ms) != 1) break;
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            out.append(buffer, static_cast<std::size_t>(n));
        }
        return out;
    }
    void close() {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
};

int status_of(const std::string& response) {
    return response.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(response.substr(9, 3)) : 0;
}

// Waits (bounded) until the server's counts satisfy `done`.
template <typename Done>
bool wait_for(const Server& server, Done done) {
    for (int k = 0; k < 2000; ++k) {
        if (done(server.counts())) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

struct ServerThread {
    ServerThread(const Planner& planner, ServerOptions o) : server(planner, std::move(o)) {
        port = server.bind();
        thread = std::thread([this] { server.run(); });
    }
    ~ServerThread() {
        server.stop();
        thread.join();
    }
    Server server;
    int port = 0;
    std::thread thread;
};

const std::string get_info = "GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string get_info_close = "GET /api/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

// Clients sending a byte at a time hold no worker: with 2 workers and 6 such clients, other
// requests are answered while they trickle, and each slow one is cut (408) at the deadline for
// its whole request, not only when a single read waits too long.
TEST_F(RunningServer, SlowClientsHoldNoWorker) {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.request_timeout_s = 3;
    ServerThread st(*s_planner, o);
    std::vector<std::unique_ptr<RawClient>> slow;
    for (int k = 0; k < 6; ++k) {
        slow.push_back(std::make_unique<RawClient>(st.port, ("127.0.3." + std::to_string(k + 1)).c_str()));
        slow.back()->send("P");
    }
    // Trickle a byte per 100 ms from each, well inside every per-read timeout, while others ask.
    const std::string rest = "OST /api/isochrone HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n";
    int answered = 0;
    for (std::size_t i = 0; i < 20; ++i) {
        for (auto& c : slow) c->send(std::string(1, rest[i]));
        httplib::Client c("127.0.0.1", st.port);
        c.set_read_timeout(2, 0);
        c.set_connection_timeout(2, 0);
        const auto res = c.Get("/api/info");
        if (res && res->status == 200) ++answered;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(answered, 20) << "requests answered while 6 clients trickled with 2 workers";
    // The slow requests never complete: each gets a 408 once its whole-request deadline passes,
    // although it kept sending.
    for (auto& c : slow) {
        const std::string answer = c->read_all();
        EXPECT_EQ(status_of(answer), 408) << answer;
        EXPECT_NE(answer.find("\"error\""), std::string::npos);
    }
    EXPECT_EQ(st.server.counts().timed_out, 6U);
}

// A full queue of complete requests is answered 503 at once: one worker kept writing to a client
// that does not read, one request waiting, the next refused with Retry-After.
TEST_F(RunningServer, FullQueueAnswers503AtOnce) {
    ServerOptions o;
    o.port = 0;
    o.threads = 1;
    o.max_queued = 1;
    o.write_timeout_s = 30;
    ServerThread st(*s_planner, o);
    // Pipelined requests for /api/layers, together far more than the socket buffers hold (at
    // most 4 MiB sent, plus the 4 KiB received): the worker answering them ends up waiting to
    // write, which is when the number of requests handed over stops growing.
    RawClient stuck(st.port, "127.0.4.1", 4096);
    const std::size_t copies = 2 + (8U << 20) / s_planner->layers_json().size();
    std::string pipelined;
    for (std::size_t k = 0; k < copies; ++k) pipelined += "GET /api/layers HTTP/1.1\r\nHost: x\r\n\r\n";
    stuck.send(pipelined);
    std::uint64_t seen = 0;
    for (int still = 0; still < 5;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const std::uint64_t now = st.server.counts().requests;
        still = now == seen && now > 0 ? still + 1 : 0;
        seen = now;
    }
    ASSERT_LT(seen, copies) << "the worker never waited to write";
    RawClient waiting(st.port, "127.0.4.2");
    waiting.send(get_info_close);
    ASSERT_TRUE(wait_for(st.server, [seen](const ServerCounts& c) { return c.requests == seen + 1; }));
    RawClient refused(st.port, "127.0.4.3");
    refused.send(get_info_close);
    const std::string answer = refused.read_all();
    EXPECT_EQ(status_of(answer), 503) << answer;
    EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos);
    EXPECT_NE(answer.find("busy"), std::string::npos);
    EXPECT_EQ(st.server.counts().busy, 1U);
    // The stuck client leaves: its worker is free and the waiting request is answered.
    stuck.close();
    EXPECT_EQ(status_of(waiting.read_all()), 200);
}

// One address holds at most max_per_address connections; others are not affected, and a closed
// connection frees its place.
TEST_F(RunningServer, ConnectionsPerAddressAreLimited) {
    ServerOptions o;
    o.port = 0;
    o.max_per_address = 2;
    ServerThread st(*s_planner, o);
    RawClient a(st.port, "127.0.5.1");
    RawClient b(st.port, "127.0.5.1");
    ASSERT_TRUE(wait_for(st.server, [](const ServerCounts& c) { return c.accepted == 2; }));
    RawClient third(st.port, "127.0.5.1");
    third.send(get_info);
    const std::string answer = third.read_all();
    EXPECT_EQ(status_of(answer), 429) << answer;
    EXPECT_NE(answer.find("127.0.5.1"), std::string::npos);
    EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos);
    RawClient other(st.port, "127.0.5.2");
    other.send(get_info_close);
    EXPECT_EQ(status_of(other.read_all()), 200);
    // The two held connections still work (keep-alive, two requests each).
    a.send(get_info + get_info_close);
    const std::string two = a.read_all();
    EXPECT_EQ(status_of(two), 200);
    EXPECT_NE(two.find("HTTP/1.1 200", 12), std::string::npos) << "the second, pipelined answer";
    // a has closed: its place is free again.
    ASSERT_TRUE(wait_for(st.server, [](const ServerCounts& c) { return c.requests == 3; }));
    bool freed = false;
    for (int attempt = 0; attempt < 50 && !freed; ++attempt) {
        RawClient again(st.port, "127.0.5.1");
        again.send(get_info_close);
        freed = status_of(again.read_all()) == 200;
        if (!freed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(freed);
}

// What the loop decides itself: chunked bodies 411, "Expect: 100-continue" answered once, headers
// too large 431 — all JSON errors.
TEST_F(RunningServer, LoopAnswersItsOwnCasesInJson) {
    ServerOptions o;
    o.port = 0;
    ServerThread st(*s_planner, o);
    {
        RawClient c(st.port);
        c.send("POST /api/isochrone HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        const std::string answer = c.read_all();
        EXPECT_EQ(status_of(answer), 411) << answer;
        EXPECT_NE(answer.find("application/json"), std::string::npos);
        EXPECT_NE(answer.find("Content-Length"), std::string::npos);
    }
    {
        RawClient c(st.port);
        c.send("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(20000, 'a') + "\r\n\r\n");
        EXPECT_EQ(status_of(c.read_all()), 431);
    }
    {
        RawClient c(st.port);
        const std::string body = R"({"lon": 7.4246, "lat": 43.7384})";
        c.send("POST /api/isochrone HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        c.send(body);
        const std::string answer = c.read_all();
        ASSERT_EQ(answer.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200", 0), 0U) << answer.substr(0, 200);
        EXPECT_EQ(answer.find("100 Continue", 30), std::string::npos) << "one interim answer";
    }
    EXPECT_EQ(st.server.counts().refused, 2U);
}

TEST_F(RunningServer, PagesInfoLayersAndErrors) {
    auto c = client();
    const auto page = c.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("/assets/planner.js"), std::string::npos);
    for (const char* name : {"/assets/planner.js", "/assets/planner.css", "/assets/leaflet.js", "/assets/leaflet.css"}) {
        const auto res = c.Get(name);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200) << name;
        EXPECT_FALSE(res->body.empty()) << name;
    }
    const json info = json::parse(c.Get("/api/info")->body);
    EXPECT_EQ(info["standard"]["id"], standard);
    EXPECT_EQ(info["targets"].size(), s_planner->data().standard.targets.size());
    EXPECT_FALSE(info["categories"].empty());
    EXPECT_EQ(info["counts"]["facilities"].get<std::size_t>(), s_planner->data().facilities.size());
    const auto& b = info["bounds"];
    EXPECT_LT(b[0].get<double>(), 7.42);
    EXPECT_GT(b[2].get<double>(), 7.43);
    const json layers = json::parse(c.Get("/api/layers")->body);
    EXPECT_GT(layers["network"].size(), 1000U);
    EXPECT_EQ(layers["facilities"].size(), s_planner->data().facilities.size());
    EXPECT_EQ(layers["demand"].size(), s_planner->data().demand.size());

    // Unknown paths and path tricks: 404 JSON, never a file.
    for (const char* path : {"/nope", "/api", "/api/isochrone/x", "/assets/../x", "/assets/..%2F..%2Fetc%2Fpasswd",
                             "/assets/%2e%2e/planner.js", "/../../etc/passwd", "/assets/", "/assets/planner.js/",
                             "/assets/no-such-file.js", "/assets/..", "/etc/passwd", "//etc/passwd"}) {
        const auto [status, message] = failure(c.Get(path));
        EXPECT_EQ(status, 404) << path;
        EXPECT_EQ(message.find("root:"), std::string::npos);
    }
    // Wrong methods.
    EXPECT_EQ(failure(c.Get("/api/isochrone")).first, 405);
    EXPECT_EQ(failure(c.Post("/api/info", "{}", "application/json")).first, 405);
    // Bad bodies over the wire.
    EXPECT_EQ(failure(c.Post("/api/isochrone", "{not json", "application/json")).first, 400);
    EXPECT_EQ(failure(c.Post("/api/isochrone", R"({"lat": 43.73})", "application/json")).first, 400);
    EXPECT_EQ(failure(c.Post("/api/isochrone", R"({"lon": 7.42, "lat": 43.73, "minutes": [600]})", "application/json")).first, 400);
    EXPECT_EQ(failure(c.Post("/api/scenario", R"({"category": "x", "add": [{"id": "a"}]})", "application/json")).first, 400);
    // An unknown field whose name is cut inside a UTF-8 sequence in the message: still a JSON 400.
    std::string key = "a";
    for (int k = 0; k < 30; ++k) key += "\xc3\xa9"; // é
    EXPECT_EQ(failure(c.Post("/api/isochrone", "{\"" + key + "\": 1, \"lon\": 7.42, \"lat\": 43.73}", "application/json")).first, 400);
    EXPECT_EQ(failure(c.Post("/api/isochrone", "{\"lon\": 7.42, \"lat\": 43.73, \"x\": \"\xff\"}", "application/json")).first, 400);
    json many = {{"category", "x"}, {"add", json::array()}};
    for (int k = 0; k < 101; ++k) many["add"].push_back({{"id", std::to_string(k)}, {"lon", 7.4}, {"lat", 43.7}});
    EXPECT_EQ(failure(c.Post("/api/scenario", many.dump(), "application/json")).first, 413);
    // A body over 64 KiB is refused by the server before parsing.
    auto big = client();
    const auto res = big.Post("/api/scenario", std::string(100 * 1024, ' '), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    // The server still answers afterwards.
    EXPECT_EQ(client().Get("/api/info")->status, 200);

    // No compute slot free: 503 with Retry-After; requests that compute nothing still answer.
    ServerOptions busy_options;
    busy_options.port = 0;
    busy_options.max_compute = 0;
    Server busy(*s_planner, busy_options);
    const int busy_port = busy.bind();
    std::thread busy_thread([&] { busy.run(); });
    {
        httplib::Client busy_client("127.0.0.1", busy_port);
        const auto refused = busy_client.Post("/api/isochrone", R"({"lon": 7.4246, "lat": 43.7384})", "application/json");
        const auto [status, message] = failure(refused);
        EXPECT_EQ(status, 503);
        EXPECT_NE(message.find("busy"), std::string::npos);
        EXPECT_EQ(refused->get_header_value("Retry-After"), "1");
        EXPECT_EQ(failure(busy_client.Post("/api/isochrone", "{", "application/json")).first, 400); // parsed before the slot
        EXPECT_EQ(busy_client.Get("/api/info")->status, 200);
    }
    busy.stop();
    busy_thread.join();
}

} // namespace
} // namespace yike::viz
