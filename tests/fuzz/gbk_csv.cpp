// The encoding of CSV layers: the input, when it is UTF-8 text, is also written in GB18030 (what
// Excel and WPS save on Chinese Windows) and with a UTF-8 byte-order mark, and the three files must
// read the same - the same points, or the same error - through read_points and the facility and
// demand readers with the encoding detected. Input that is not UTF-8 goes through as it is.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../support/gb18030.hpp"
#include "fuzz_input.hpp"
#include "utf8_check.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"

namespace {

// What a reading gave, in a form that compares: every record's fields, and which readers refused
// the file. (The messages name the file, whose path differs between the three; the records' default
// ids use its stem, the same in all three.)
struct Outcome {
    std::vector<std::string> rows;
    std::string refused;
    bool operator==(const Outcome&) const = default;
};

std::string fmt(double v) { return std::to_string(v); }

Outcome read_all(const std::filesystem::path& path) {
    Outcome o;
    try {
        for (const auto& p : yike::io::read_points(path)) {
            o.rows.push_back("p " + p.id + " " + fmt(p.lonlat.lon) + " " + fmt(p.lonlat.lat));
        }
    } catch (const yike::error&) {
        o.refused += "p";
    }
    try {
        yike::io::FacilityLayerOptions options;
        options.crs = "EPSG:4326";
        options.category_field = "category";
        yike::io::ReadWarnings warnings;
        for (const auto& f : yike::io::read_facility_layer(path, options, warnings)) {
            o.rows.push_back("f " + f.id + " " + f.name + " " + f.category + " " + fmt(f.location.lon) + " " +
                             fmt(f.location.lat) + " " + fmt(f.capacity.value_or(-1)));
        }
    } catch (const yike::error&) {
        o.refused += "f";
    }
    try {
        yike::io::DemandLayerOptions options;
        options.crs = "EPSG:4326";
        yike::io::ReadWarnings warnings;
        for (const auto& d : yike::io::read_demand_layer(path, options, warnings)) {
            o.rows.push_back("d " + d.id + " " + fmt(d.location.lon) + " " + fmt(d.location.lat) + " " +
                             fmt(d.households));
        }
    } catch (const yike::error&) {
        o.refused += "d";
    }
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile utf8_file("gbk_csv_utf8/layer.csv");
    static const yike::fuzz::InputFile gbk_file("gbk_csv_gb18030/layer.csv");
    static const yike::fuzz::InputFile bom_file("gbk_csv_bom/layer.csv");
    const std::string text(reinterpret_cast<const char*>(data), size);
    const Outcome plain = read_all(utf8_file.write(data, size));
    // Text starting with a BOM, or holding a NUL (GDAL ends a line there), or not UTF-8: the
    // transcodings would not say the same thing, so only the plain reading is checked (no crash).
    if (!yike::fuzz::valid_utf8(text) || text.rfind("\xEF\xBB\xBF", 0) == 0 || text.find('\0') != std::string::npos) {
        return 0;
    }
    // Pure ASCII is the same bytes in every encoding: nothing to compare.
    bool ascii = true;
    for (const unsigned char c : text) {
        ascii = ascii && c < 0x80;
    }
    const std::string bom = "\xEF\xBB\xBF" + text;
    const Outcome with_bom = read_all(bom_file.write(reinterpret_cast<const std::uint8_t*>(bom.data()), bom.size()));
    YIKE_FUZZ_CHECK(with_bom == plain);
    if (ascii) {
        return 0;
    }
    // Well-formed UTF-8 always converts (GB18030 covers Unicode); a failure throws, a finding.
    const std::string gbk = yike::test::to_gb18030(text);
    // GB18030 bytes that happen to be well-formed UTF-8 too are read as UTF-8 by design (the
    // detection cannot tell them apart; --encoding gbk can): nothing to compare.
    if (yike::fuzz::valid_utf8(gbk)) {
        return 0;
    }
    const Outcome from_gbk = read_all(gbk_file.write(reinterpret_cast<const std::uint8_t*>(gbk.data()), gbk.size()));
    YIKE_FUZZ_CHECK(from_gbk == plain);
    return 0;
}
