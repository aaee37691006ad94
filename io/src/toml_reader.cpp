#include "detail/toml_reader.hpp"

#include <algorithm>

#include "yike/error.hpp"

namespace yike::io::detail {

toml::table read_toml_file(const std::filesystem::path& file, const TomlFileKind& kind) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        const std::string message = file.string() + ": " + std::string(kind.what) + " not found";
        if (kind.missing_is_config_error) {
            throw config_error(message);
        }
        throw io_error(message);
    }
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw config_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                           std::string(kind.syntax_prefix) + std::string(e.description()));
    }
}

TomlReader::TomlReader(std::filesystem::path file, KeyStyle style, std::string context)
    : m_file(std::move(file)), m_style(style), m_context(std::move(context)) {}

std::string TomlReader::where(int line) const {
    return m_file.string() + ":" + std::to_string(line) + (m_context.empty() ? "" : ": " + m_context);
}

std::string TomlReader::where(const toml::node* node) const {
    if (node == nullptr) {
        return m_file.string() + (m_context.empty() ? "" : ": " + m_context);
    }
    return where(line_of(*node));
}

std::string TomlReader::key_name(std::string_view key) const {
    switch (m_style) {
    case KeyStyle::quoted: return "'" + std::string(key) + "'";
    case KeyStyle::bare: return std::string(key);
    case KeyStyle::profile: return "profile key '" + std::string(key) + "'";
    }
    return std::string(key);
}

void TomlReader::fail(const toml::node* node, std::string_view message) const {
    throw config_error(where(node) + ": " + std::string(message));
}

void TomlReader::fail_key(const toml::node* node, std::string_view key, std::string_view what) const {
    fail(node, key_name(key) + " " + std::string(what));
}

std::string TomlReader::string(const toml::node& node, std::string_view key) const {
    const auto v = node.value<std::string>();
    if (!v) {
        fail_key(&node, key, "must be a string");
    }
    return *v;
}

std::string TomlReader::text(const toml::node& node, std::string_view key) const {
    const auto v = node.value<std::string>();
    if (!v || v->empty()) {
        fail_key(&node, key, "must be a non-empty string");
    }
    return *v;
}

std::optional<std::string> TomlReader::text(const toml::table& table, std::string_view key) const {
    const auto* node = table.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    return text(*node, key);
}

double TomlReader::number(const toml::node& node, std::string_view key) const {
    if (!node.is_number()) {
        fail_key(&node, key, "must be a number");
    }
    return *node.value<double>();
}

bool TomlReader::boolean(const toml::node& node, std::string_view key, bool integers_too) const {
    const auto v = integers_too ? node.value<bool>() : (node.is_boolean() ? node.value<bool>() : std::nullopt);
    if (!v) {
        fail_key(&node, key, "must be true or false");
    }
    return *v;
}

std::optional<TomlReader::Entry> TomlReader::first_unknown(const toml::table& table,
                                                           const std::vector<std::string_view>& known) {
    for (const auto& [key, node] : table) {
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
            return Entry{key.str(), &node};
        }
    }
    return std::nullopt;
}

} // namespace yike::io::detail
