#pragma once
// The checks every OSM reader makes before handing a path to libosmium, so that a missing file or
// a folder gives the same one-line error whichever reader meets it first.
#include <algorithm>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "yike/error.hpp"

namespace yike::io::detail {

inline void require_osm_file(const std::filesystem::path& osm_file) {
    std::error_code ec;
    const auto status = std::filesystem::status(osm_file, ec);
    if (!std::filesystem::exists(status)) {
        throw io_error(osm_file.string() + ": OSM file not found");
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw io_error(osm_file.string() + ": not a regular file");
    }
    // libosmium picks its parser by the name; a file whose bytes are of another format would get
    // that parser's confusing message, so the first bytes are compared with the name here.
    const std::string name = osm_file.filename().string();
    const auto ends = [&](const char* suffix) {
        const auto n = std::strlen(suffix);
        return name.size() >= n && name.compare(name.size() - n, n, suffix) == 0;
    };
    const char* named = ends(".osm.pbf") || ends(".pbf") ? "PBF"
                        : ends(".osm.gz")                ? "gzip"
                        : ends(".osm.bz2")               ? "bzip2"
                        : ends(".osm") || ends(".xml")   ? "XML"
                                                         : nullptr;
    if (named == nullptr && (ends(".o5m") || ends(".opl"))) return; // other formats libosmium reads
    if (named == nullptr) {
        throw io_error(osm_file.string() + ": unsupported OSM file name; give .osm.pbf, .osm, .osm.gz, .osm.bz2 (or .o5m, .opl)");
    }
    char head[64] = {};
    std::ifstream in(osm_file, std::ios::binary);
    in.read(head, sizeof head);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got < 4) return; // empty or tiny: the parser names it
    const auto u = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
    const char* found = nullptr;
    if (u(0) == 0x1f && u(1) == 0x8b) {
        found = "gzip";
    } else if (head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
        found = "bzip2";
    } else if (u(0) == 0 && u(1) == 0 && std::string(head, got).find("OSMHeader") != std::string::npos) {
        found = "PBF";
    } else {
        std::size_t i = (u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) ? 3 : 0; // UTF-8 BOM
        while (i < got && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
        if (i < got && head[i] == '<') found = "XML";
    }
    if (found != nullptr && std::strcmp(found, named) != 0) {
        const char* right = std::strcmp(found, "PBF") == 0     ? ".osm.pbf"
                            : std::strcmp(found, "gzip") == 0  ? ".osm.gz"
                            : std::strcmp(found, "bzip2") == 0 ? ".osm.bz2"
                                                               : ".osm";
        throw io_error(osm_file.string() + ": is a " + found + " file but named as " + named + "; rename it to end in " + right);
    }
}

// For a catch (...) around libosmium: yike's own errors pass unchanged, any other standard exception
// becomes one io_error line naming the file (libosmium's messages may span lines).
[[noreturn]] inline void rethrow_as_osm_read_error(const std::string& name) {
    try {
        throw;
    } catch (const yike::error&) {
        throw;
    } catch (const std::exception& e) {
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        throw io_error(name + ": cannot read OSM data: " + what);
    }
}

} // namespace yike::io::detail
