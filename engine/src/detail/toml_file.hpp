#pragma once
// Reading a TOML config file (standard, category mapping, batch file) with the errors every config
// reader gives: io_error when the file is missing, config_error naming file:line of a syntax error.
#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "yike/error.hpp"

namespace yike::engine::detail {

// `what` names the file in the not-found message ("standard file", "category mapping", ...).
inline toml::table read_toml_file(const std::filesystem::path& file, std::string_view what) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw io_error(file.string() + ": " + std::string(what) + " not found");
    }
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw config_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
    }
}

} // namespace yike::engine::detail
