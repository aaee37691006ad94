// Map images: the Monaco run drawn to PNG, SVG and PDF; sizes, formats and the colours of the
// pixels where the layers are, read back from the PNG.
#include <gtest/gtest.h>

#include <cairo.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/error.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/viz/map_render.hpp"

namespace yike::viz {
namespace {

namespace fs = std::filesystem;

struct Rgb8 {
    int r;
    int g;
    int b;
};

// The renderer's colours: uncovered demand, the first category's facilities, and the area fills
// (45 % over white).
constexpr Rgb8 uncovered_colour{0xc5, 0x1b, 0x7d};
constexpr Rgb8 first_category_colour{0x1f, 0x4e, 0x9c};
Rgb8 over_white(Rgb8 c, double alpha) {
    auto mix = [&](int v) { return static_cast<int>(std::lround(255 * (1 - alpha) + v * alpha)); };
    return {mix(c.r), mix(c.g), mix(c.b)};
}
const Rgb8 fail_fill = over_white({0xf4, 0x6d, 0x43}, 0.45);
const Rgb8 pass_fill = over_white({0x66, 0xbd, 0x63}, 0.45);

bool near(Rgb8 a, Rgb8 b, int tolerance = 3) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

struct Image {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface{nullptr, cairo_surface_destroy};
    [[nodiscard]] int width() const { return cairo_image_surface_get_width(surface.get()); }
    [[nodiscard]] int height() const { return cairo_image_surface_get_height(surface.get()); }
    [[nodiscard]] Rgb8 at(double x, double y) const {
        const int xi = static_cast<int>(std::floor(x));
        const int yi = static_cast<int>(std::floor(y));
        const unsigned char* data = cairo_image_surface_get_data(surface.get());
        const int stride = cairo_image_surface_get_stride(surface.get());
        std::uint32_t v = 0;
        std::memcpy(&v, data + static_cast<std::ptrdiff_t>(yi) * stride + 4 * xi, 4);
        return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff), static_cast<int>(v & 0xff)};
    }
    // Some pixel within `radius` of (x, y) has the colour.
    [[nodiscard]] bool any_near(double x, double y, int radius, Rgb8 colour) const {
        for (int dy = -radius; dy <= radius; ++dy) {
            for (int dx = -radius; dx <= radius; ++dx) {
                if (near(at(x + dx, y + dy), colour)) {
                    return true;
                }
            }
        }
        return false;
    }
};

Image read_png(const fs::path& path) {
    Image img;
    img.surface.reset(cairo_image_surface_create_from_png(path.c_str()));
    EXPECT_EQ(cairo_surface_status(img.surface.get()), CAIRO_STATUS_SUCCESS) << path;
    cairo_surface_flush(img.surface.get());
    return img;
}

std::string slurp(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

std::string head_bytes(const fs::path& path, std::size_t n) {
    std::ifstream f(path, std::ios::binary);
    std::string s(n, '\0');
    f.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<std::size_t>(f.gcount()));
    return s;
}

class MapRenderTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        engine::CoverageSettings s;
        s.osm = fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
        s.standard = "mofcom-15min";
        s.threads = 2;
        s_data = std::make_unique<engine::CoverageData>(engine::run_coverage(s));
        s_results = std::make_unique<engine::ReportResults>(engine::evaluate(*s_data));
        s_graph = std::make_unique<routing::WalkGraph>(io::read_walk_network(s.osm, io::load_profile("walk")).graph);
    }
    static void TearDownTestSuite() {
        s_data.reset();
        s_results.reset();
        s_graph.reset();
    }

    static MapRenderOptions options(std::vector<MapLayer> layers) {
        MapRenderOptions o;
        o.target_id = "mofcom.convenience_5min";
        o.layers = std::move(layers);
        o.width = 1200;
        o.height = 900;
        return o;
    }
    static const engine::Target& target() { return s_data->standard.targets[find_target(*s_data, "mofcom.convenience_5min")]; }
    static const engine::TargetResult& target_result() {
        return s_results->targets[find_target(*s_data, "mofcom.convenience_5min")];
    }
    static bool inside_map(const MapFrame& f, routing::XY p, double inset) {
        return p.x_m > f.left + inset && p.x_m < f.left + f.map_width - inset && p.y_m > f.top + inset &&
               p.y_m < f.top + f.map_height - inset;
    }

    static inline std::unique_ptr<engine::CoverageData> s_data;
    static inline std::unique_ptr<engine::ReportResults> s_results;
    static inline std::unique_ptr<routing::WalkGraph> s_graph;
    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
};

TEST_F(MapRenderTest, PngHasTheRequestedSizeAndUncoveredHouseholdsInTheirColour) {
    // Large with thin marks, so that many households stand apart.
    auto o = options({MapLayer::areas, MapLayer::uncovered, MapLayer::facilities});
    o.width = 3000;
    o.height = 2000;
    o.scale = 1;
    const auto png = m_dir / "map.png";
    render_map(png, *s_graph, *s_data, *s_results, o);
    EXPECT_EQ(head_bytes(png, 4), "\x89PNG");
    const Image img = read_png(png);
    EXPECT_EQ(img.width(), 3000);
    EXPECT_EQ(img.height(), 2000);

    const MapFrame f = map_frame(*s_graph, *s_data, *s_results, o);
    const auto& tr = target_result();
    ASSERT_EQ(tr.covered.size(), s_data->demand.size());

    // Uncovered households: their centre pixel is the uncovered colour. Covered households,
    // which no layer draws, are not.
    std::vector<routing::XY> demand_px;
    for (const auto& d : s_data->demand) {
        demand_px.push_back(f.image_point(d.location));
    }
    std::vector<routing::XY> facility_px;
    for (const auto& fac : s_data->facilities) {
        if (std::find(target().categories.begin(), target().categories.end(), fac.category) != target().categories.end()) {
            facility_px.push_back(f.image_point(fac.location));
        }
    }
    // Away from every other uncovered point (the largest circle has a radius of 8 units, plus its
    // outline) and from the facility symbols drawn on top.
    const double reach = 8 * f.scale + 2;
    auto isolated = [&](std::size_t i) {
        for (std::size_t j = 0; j < demand_px.size(); ++j) {
            if (j != i && tr.covered[j] == 0 &&
                std::hypot(demand_px[j].x_m - demand_px[i].x_m, demand_px[j].y_m - demand_px[i].y_m) < reach) {
                return false;
            }
        }
        return std::none_of(facility_px.begin(), facility_px.end(), [&](const routing::XY& q) {
            return std::hypot(q.x_m - demand_px[i].x_m, q.y_m - demand_px[i].y_m) < 16;
        });
    };
    int uncovered_checked = 0;
    int covered_checked = 0;
    for (std::size_t i = 0; i < s_data->demand.size(); ++i) {
        if (!inside_map(f, demand_px[i], 30) || !isolated(i)) {
            continue;
        }
        const Rgb8 c = img.at(demand_px[i].x_m, demand_px[i].y_m);
        if (tr.covered[i] == 0) {
            EXPECT_TRUE(near(c, uncovered_colour)) << "uncovered " << s_data->demand[i].id << ": " << c.r << "," << c.g << "," << c.b;
            ++uncovered_checked;
        } else {
            EXPECT_FALSE(img.any_near(demand_px[i].x_m, demand_px[i].y_m, 1, uncovered_colour)) << "covered " << s_data->demand[i].id;
            ++covered_checked;
        }
    }
    EXPECT_GE(uncovered_checked, 20);
    EXPECT_GE(covered_checked, 5);

    // Without the uncovered layer the same places are not drawn in that colour.
    auto o2 = o;
    o2.layers = {MapLayer::areas, MapLayer::facilities};
    const auto png2 = m_dir / "no_uncovered.png";
    render_map(png2, *s_graph, *s_data, *s_results, o2);
    const Image img2 = read_png(png2);
    int differing = 0;
    for (std::size_t i = 0; i < s_data->demand.size(); ++i) {
        if (tr.covered[i] == 0 && inside_map(f, demand_px[i], 30) && isolated(i)) {
            EXPECT_FALSE(near(img2.at(demand_px[i].x_m, demand_px[i].y_m), uncovered_colour));
            ++differing;
        }
    }
    EXPECT_EQ(differing, uncovered_checked);
}

TEST_F(MapRenderTest, FacilitiesAndAreasAreDrawnInTheirColours) {
    const auto o = options({MapLayer::areas, MapLayer::facilities});
    const auto png = m_dir / "map.png";
    render_map(png, *s_graph, *s_data, *s_results, o);
    const Image img = read_png(png);
    const MapFrame f = map_frame(*s_graph, *s_data, *s_results, o);

    // Facilities of the target's first category, away from the others: their symbol's colour.
    std::vector<routing::XY> facility_px;
    std::vector<bool> first;
    for (const auto& fac : s_data->facilities) {
        const auto& cats = target().categories;
        const auto it = std::find(cats.begin(), cats.end(), fac.category);
        if (it != cats.end()) {
            facility_px.push_back(f.image_point(fac.location));
            first.push_back(it == cats.begin());
        }
    }
    int facilities_checked = 0;
    for (std::size_t i = 0; i < facility_px.size(); ++i) {
        const bool alone = std::none_of(facility_px.begin(), facility_px.end(), [&](const routing::XY& q) {
            const double d = std::hypot(q.x_m - facility_px[i].x_m, q.y_m - facility_px[i].y_m);
            return d > 0 && d < 16;
        });
        if (first[i] && alone && inside_map(f, facility_px[i], 30)) {
            EXPECT_TRUE(near(img.at(facility_px[i].x_m, facility_px[i].y_m), first_category_colour));
            ++facilities_checked;
        }
    }
    EXPECT_GE(facilities_checked, 2);

    // Grid cells: near each cell's centre some pixel has its pass or fail fill (nothing else is
    // drawn over cells but the thin network).
    const auto& tr = target_result();
    const auto& cells = s_results->areas.communities;
    ASSERT_EQ(tr.communities.size(), cells.size());
    int pass_cells = 0;
    int fail_cells = 0;
    for (std::size_t a = 0; a < cells.size(); ++a) {
        const auto& ring = cells[a].geometry.polygons.at(0).exterior.points;
        routing::LonLat centre{0, 0};
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
            centre.lon += ring[k].lon / static_cast<double>(ring.size() - 1);
            centre.lat += ring[k].lat / static_cast<double>(ring.size() - 1);
        }
        const auto p = f.image_point(centre);
        const bool passes = tr.communities[a].status == engine::Status::pass;
        const bool fails = tr.communities[a].status == engine::Status::fail;
        if (!inside_map(f, p, 10) || (!passes && !fails)) {
            continue;
        }
        EXPECT_TRUE(img.any_near(p.x_m, p.y_m, 6, passes ? pass_fill : fail_fill)) << cells[a].id;
        EXPECT_FALSE(img.any_near(p.x_m, p.y_m, 6, passes ? fail_fill : pass_fill)) << cells[a].id;
        (passes ? pass_cells : fail_cells) += 1;
    }
    EXPECT_GE(pass_cells, 1);
    EXPECT_GE(fail_cells, 10);
}

TEST_F(MapRenderTest, SvgAndPdfAreWrittenByExtension) {
    auto o = options({MapLayer::areas, MapLayer::uncovered, MapLayer::demand, MapLayer::facilities});
    render_map(m_dir / "map.svg", *s_graph, *s_data, *s_results, o);
    render_map(m_dir / "map.PDF", *s_graph, *s_data, *s_results, o);
    const auto svg = head_bytes(m_dir / "map.svg", 256);
    EXPECT_TRUE(svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0) << svg;
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("width=\"1200"), std::string::npos) << svg;
    EXPECT_EQ(head_bytes(m_dir / "map.PDF", 5), "%PDF-");
    EXPECT_GT(fs::file_size(m_dir / "map.PDF"), 10'000U);
    // Only the two images: no temporary file is left beside them.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 2);
}

TEST_F(MapRenderTest, HeightFollowsTheExtentAndRenderingIsDeterministic) {
    auto o = options({MapLayer::uncovered});
    o.height = 0;
    o.width = 800;
    render_map(m_dir / "a.png", *s_graph, *s_data, *s_results, o);
    render_map(m_dir / "b.png", *s_graph, *s_data, *s_results, o);
    const Image img = read_png(m_dir / "a.png");
    EXPECT_EQ(img.width(), 800);
    EXPECT_EQ(img.height(), map_frame(*s_graph, *s_data, *s_results, o).height);
    EXPECT_GE(img.height(), 320); // 0.4 of the width at least
    EXPECT_LT(img.height(), 800); // Monaco runs along the coast: wider than high
    EXPECT_EQ(slurp(m_dir / "a.png"), slurp(m_dir / "b.png"));
}

TEST_F(MapRenderTest, UnknownTargetNamesTargetAndStandardAndWritesNothing) {
    auto o = options({MapLayer::areas});
    o.target_id = "mofcom.no_such_target";
    try {
        render_map(m_dir / "map.png", *s_graph, *s_data, *s_results, o);
        FAIL() << "no error";
    } catch (const config_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("mofcom.no_such_target"), std::string::npos) << what;
        EXPECT_NE(what.find("mofcom-15min"), std::string::npos) << what;
        EXPECT_NE(what.find("mofcom.convenience_5min"), std::string::npos) << what;
    }
    EXPECT_TRUE(fs::is_empty(m_dir));
}

TEST_F(MapRenderTest, UnknownFormatAndBadSizesAreErrors) {
    const auto o = options({MapLayer::areas});
    EXPECT_THROW(render_map(m_dir / "map.jpg", *s_graph, *s_data, *s_results, o), config_error);
    EXPECT_THROW(render_map(m_dir / "map", *s_graph, *s_data, *s_results, o), config_error);
    auto tiny = o;
    tiny.width = 50;
    EXPECT_THROW(render_map(m_dir / "map.png", *s_graph, *s_data, *s_results, tiny), config_error);
    EXPECT_TRUE(fs::is_empty(m_dir));
    // A folder that does not exist: io_error naming the file, nothing left behind.
    try {
        render_map(m_dir / "missing" / "map.png", *s_graph, *s_data, *s_results, o);
        FAIL() << "no error";
    } catch (const io_error& e) {
        EXPECT_NE(std::string(e.what()).find("map.png"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_empty(m_dir));
}

TEST_F(MapRenderTest, BandsAndSharesAreDrawnInTheirColours) {
    // A band around the first grid cell's centre, drawn alone over white: its fill shows there.
    const auto& cells = s_results->areas.communities;
    const auto& ring = cells.at(0).geometry.polygons.at(0).exterior.points;
    MapBand band;
    band.label = "测试|test";
    engine::Polygon poly;
    poly.exterior.points = ring;
    band.polygon.push_back(poly);
    auto o = options({MapLayer::isochrones});
    o.bands = {band};
    render_map(m_dir / "bands.png", *s_graph, *s_data, *s_results, o);
    const Image img = read_png(m_dir / "bands.png");
    const MapFrame f = map_frame(*s_graph, *s_data, *s_results, o);
    routing::LonLat centre{(ring[0].lon + ring[2].lon) / 2, (ring[0].lat + ring[2].lat) / 2};
    const auto p = f.image_point(centre);
    EXPECT_TRUE(img.any_near(p.x_m, p.y_m, 6, over_white({0x31, 0x82, 0xbd}, 0.35)));

    // By share: a cell achieving nothing in the lowest class, a passing cell (100 %) in the highest.
    auto by_share = options({MapLayer::areas});
    by_share.areas_by_share = true;
    render_map(m_dir / "share.png", *s_graph, *s_data, *s_results, by_share);
    const Image share = read_png(m_dir / "share.png");
    const MapFrame fs_ = map_frame(*s_graph, *s_data, *s_results, by_share);
    const auto& tr = target_result();
    int zero = 0;
    int full = 0;
    for (std::size_t a = 0; a < cells.size(); ++a) {
        const auto& r = cells[a].geometry.polygons.at(0).exterior.points;
        const auto q = fs_.image_point({(r[0].lon + r[2].lon) / 2, (r[0].lat + r[2].lat) / 2});
        const auto& achieved = tr.communities[a].achieved;
        if (!achieved || !inside_map(fs_, q, 10)) {
            continue;
        }
        if (*achieved == 0.0) {
            EXPECT_TRUE(share.any_near(q.x_m, q.y_m, 6, over_white({0xd7, 0x30, 0x27}, 0.45))) << cells[a].id;
            ++zero;
        } else if (*achieved >= 1.0) {
            EXPECT_TRUE(share.any_near(q.x_m, q.y_m, 6, over_white({0x1a, 0x98, 0x50}, 0.45))) << cells[a].id;
            ++full;
        }
    }
    EXPECT_GE(zero, 10);
    EXPECT_GE(full, 1);
}

TEST_F(MapRenderTest, PaperSizeAndVectorOutputsAreReproducible) {
    auto o = options({MapLayer::areas, MapLayer::uncovered, MapLayer::facilities});
    const auto png_size = image_size_for_paper(*parse_paper_size("a4-landscape"), 100, ImageFormat::png);
    o.width = png_size.width;
    o.height = png_size.height;
    o.scale = png_size.scale;
    render_map(m_dir / "a4.png", *s_graph, *s_data, *s_results, o);
    const Image img = read_png(m_dir / "a4.png");
    EXPECT_EQ(img.width(), 1169);
    EXPECT_EQ(img.height(), 827);

    o.width = 842;
    o.height = 595;
    o.scale = 1;
    // cairo numbers the glyphs of SVG documents per process, so SVG is compared across runs of
    // the command (RenderCommand); PDF here.
    for (const char* name : {"a.pdf", "b.pdf"}) {
        render_map(m_dir / name, *s_graph, *s_data, *s_results, o);
    }
    EXPECT_EQ(slurp(m_dir / "a.pdf"), slurp(m_dir / "b.pdf"));
}

// The `yike render` command: exit codes and messages (the binary is built with the tests).
struct CommandResult {
    int exit_code = -1;
    std::string err;
};
CommandResult run_yike(const fs::path& dir, const std::string& args) {
    const auto err = dir / "stderr.txt";
    const std::string cmd = std::string(YIKE_BINARY) + " " + args + " >/dev/null 2>" + err.string();
    const int status = std::system(cmd.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream f(err);
    r.err.assign(std::istreambuf_iterator<char>(f), {});
    fs::remove(err);
    return r;
}

TEST_F(MapRenderTest, RenderCommand) {
    const std::string base = "render --osm " + (fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf").string() +
                             " --standard mofcom-15min --threads 2 ";
    const auto png = m_dir / "map.png";
    auto r = run_yike(m_dir, base + "--target mofcom.convenience_5min --paper a4-landscape --dpi 72 --out " + png.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Image img = read_png(png);
    EXPECT_EQ(img.width(), 842);
    EXPECT_EQ(img.height(), 595);

    // The same inputs give the same bytes, in every format.
    for (const char* ext : {".png", ".svg"}) {
        for (const char* name : {"a", "b"}) {
            r = run_yike(m_dir, base + "--target mofcom.daily_8min --width 700 --out " + (m_dir / (name + std::string(ext))).string());
            ASSERT_EQ(r.exit_code, 0) << r.err;
        }
        EXPECT_EQ(slurp(m_dir / ("a" + std::string(ext))), slurp(m_dir / ("b" + std::string(ext)))) << ext;
        fs::remove(m_dir / ("a" + std::string(ext)));
        fs::remove(m_dir / ("b" + std::string(ext)));
    }

    r = run_yike(m_dir, base + "--target mofcom.nothing --out " + (m_dir / "x.png").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("'mofcom.nothing' is not in standard 'mofcom-15min'"), std::string::npos) << r.err;
    r = run_yike(m_dir, base + "--target mofcom.convenience_5min --out " + (m_dir / "x.jpg").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown image format '.jpg'"), std::string::npos) << r.err;
    r = run_yike(m_dir, base + "--target mofcom.convenience_5min --layers areas,roads --out " + (m_dir / "x.png").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("'roads'"), std::string::npos) << r.err;
    r = run_yike(m_dir, base + "--target mofcom.convenience_5min --paper a4 --width 900 --out " + (m_dir / "x.png").string());
    EXPECT_EQ(r.exit_code, 2);
    // Only the one map was written.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 1);
}

// A target is drawn on the network coverage judges it on (engine::target_measure): metres serving
// seniors are walk-network lengths, so the senior profile (wheelchair: no steps) changes nothing;
// minutes serving seniors are walked on the senior network, so there it does.
TEST_F(MapRenderTest, RenderDrawsATargetOnTheNetworkItIsJudgedOn) {
    const std::string base = "render --osm " + (fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf").string() +
                             " --threads 2 --layers isochrones,uncovered,facilities --width 700 ";
    auto draw = [&](const std::string& standard, const std::string& target, const std::string& senior_profile) {
        const auto out = m_dir / (target + "-" + senior_profile + ".svg");
        const auto r = run_yike(m_dir, base + "--standard " + standard + " --target " + target + " --senior-profile " +
                                           senior_profile + " --out " + out.string());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return slurp(out);
    };
    const std::string metres = "gb50180.5min.elderly_day_care"; // 300 m, serves seniors
    const std::string senior_metres = draw("gb50180-2018", metres, "senior");
    EXPECT_FALSE(senior_metres.empty());
    EXPECT_EQ(senior_metres, draw("gb50180-2018", metres, "wheelchair"));
    const std::string minutes = "xs.elderly_care_15min"; // 15 minutes, serves seniors
    EXPECT_NE(draw("xiangshan-2021", minutes, "senior"), draw("xiangshan-2021", minutes, "wheelchair"));
}

TEST(MapRenderOptionsTest, LayersFormatsAndPaperSizes) {
    EXPECT_EQ(parse_map_layers("areas,uncovered,facilities"),
              (std::vector<MapLayer>{MapLayer::areas, MapLayer::uncovered, MapLayer::facilities}));
    EXPECT_EQ(parse_map_layers("demand,,demand,isochrones"), (std::vector<MapLayer>{MapLayer::demand, MapLayer::isochrones}));
    EXPECT_THROW((void)parse_map_layers("areas,roads"), config_error);
    EXPECT_THROW((void)parse_map_layers(""), config_error);
    EXPECT_EQ(image_format_for("a/b.png"), ImageFormat::png);
    EXPECT_EQ(image_format_for("b.SVG"), ImageFormat::svg);
    EXPECT_EQ(image_format_for("b.pdf"), ImageFormat::pdf);
    EXPECT_FALSE(image_format_for("b.jpeg").has_value());
    EXPECT_FALSE(image_format_for("png").has_value());

    const auto a4 = parse_paper_size("A4");
    ASSERT_TRUE(a4.has_value());
    const auto png = image_size_for_paper(*a4, 150, ImageFormat::png);
    EXPECT_EQ(png.width, 1240);
    EXPECT_EQ(png.height, 1754);
    EXPECT_DOUBLE_EQ(png.scale, 150.0 / 72.0);
    const auto pdf = image_size_for_paper(*parse_paper_size("a3-landscape"), 150, ImageFormat::pdf);
    EXPECT_EQ(pdf.width, 1191); // 420 mm in points
    EXPECT_EQ(pdf.height, 842);
    EXPECT_FALSE(parse_paper_size("letter").has_value());
    EXPECT_THROW((void)image_size_for_paper(*a4, 0, ImageFormat::png), config_error);
}

} // namespace
} // namespace yike::viz
