#pragma once
// The one TOML reading layer of io's config readers (walking profiles, standards, category and POI
// mappings, scenario and batch files): opening and parsing a file, and errors that name the file,
// the line and the key. toml++ stays behind io's public headers: only io/src includes this.
//
// The readers' messages are part of yike's interface (tests and tests/badinput match them), so the
// layer keeps each reader's wording: a reader chooses once how its messages name a key
// (KeyStyle), and the typed getters phrase the rest the same way for every reader.
#include <toml++/toml.h>

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yike::io::detail {

// How a file that cannot be read is reported.
struct TomlFileKind {
    std::string_view what;                 // "standard file": "FILE: standard file not found"
    bool missing_is_config_error = false;  // profiles: a missing file is a config error, not an io error
    std::string_view syntax_prefix;        // before toml++'s description of a syntax error ("malformed TOML: ")
};

// Parses `file`. Throws io_error (or config_error, see TomlFileKind) "FILE: WHAT not found" when it
// is not a regular file, and config_error "FILE:LINE: PREFIX DESCRIPTION" on a syntax error.
toml::table read_toml_file(const std::filesystem::path& file, const TomlFileKind& kind);
inline toml::table read_toml_file(const std::filesystem::path& file, std::string_view what) {
    return read_toml_file(file, TomlFileKind{what, false, {}});
}

// How a reader's messages name a key.
enum class KeyStyle {
    quoted,  // 'id' must be ...            (standards, category and POI mappings)
    bare,    // osm must be ...             (scenario and batch files)
    profile, // profile key 'name' must ... (walking profiles)
};

// Where in a config file: every message starts "FILE:LINE" (the line of the node at fault),
// followed by the reader's context when it has one ("FILE:12: run 'haidian': ..."), so that a
// planner can go straight to the line.
class TomlReader {
public:
    TomlReader(std::filesystem::path file, KeyStyle style, std::string context = {});

    const std::filesystem::path& file() const { return m_file; }
    static int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

    // "FILE:LINE" (": CONTEXT"); "FILE" (": CONTEXT") when there is no node to point at.
    std::string where(const toml::node* node) const;
    std::string where(int line) const;
    // The key as the reader's messages name it (KeyStyle).
    std::string key_name(std::string_view key) const;

    // config_error "WHERE: MESSAGE".
    [[noreturn]] void fail(const toml::node* node, std::string_view message) const;
    [[noreturn]] void fail(const toml::node& node, std::string_view message) const { fail(&node, message); }
    // config_error "WHERE: KEY WHAT", KEY named in the reader's style ("'id' must be ...").
    [[noreturn]] void fail_key(const toml::node* node, std::string_view key, std::string_view what) const;

    // Typed getters: the value, or a config_error naming file, line and key when the node holds
    // another type.
    std::string string(const toml::node& node, std::string_view key) const;    // "must be a string"
    std::string text(const toml::node& node, std::string_view key) const;      // "must be a non-empty string"
    double number(const toml::node& node, std::string_view key) const;         // integer or float: "must be a number"
    // "must be true or false"; `integers_too`: 1 and 0 count (scenario files always took them).
    bool boolean(const toml::node& node, std::string_view key, bool integers_too = false) const;

    // Optional getters on a table: nullopt when the key is absent, else as above.
    std::optional<std::string> text(const toml::table& table, std::string_view key) const;

    // The first key of `table` not among `known`, or nullptr (the caller words the message: some
    // readers list the known keys, some name the section).
    struct Entry {
        std::string_view key;
        const toml::node* node = nullptr;
    };
    static std::optional<Entry> first_unknown(const toml::table& table, const std::vector<std::string_view>& known);

private:
    std::filesystem::path m_file;
    KeyStyle m_style;
    std::string m_context;
}; // class TomlReader

} // namespace yike::io::detail
