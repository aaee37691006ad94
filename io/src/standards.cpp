#include "yike/io/standards.hpp"

#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "yike/io/profile.hpp"

#include "detail/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace yike::io {

namespace {

template <typename Enum>
struct Names {
    std::string_view name;
    Enum value;
};

constexpr Names<Confidence> k_confidence[] = {
    {"S", Confidence::stated}, {"W", Confidence::web}, {"R", Confidence::recalled}, {"D", Confidence::derived}};
constexpr Names<TargetKind> k_kind[] = {
    {"coverage", TargetKind::coverage}, {"presence", TargetKind::presence}, {"ratio", TargetKind::ratio}};
constexpr Names<Serves> k_serves[] = {
    {"all", Serves::all}, {"households", Serves::households}, {"seniors", Serves::seniors}, {"children", Serves::children}};
constexpr Names<Basis> k_basis[] = {{"households", Basis::households},
                                    {"population", Basis::population},
                                    {"seniors", Basis::seniors},
                                    {"children", Basis::children},
                                    {"communities", Basis::communities}};
constexpr Names<Network> k_network[] = {{"walk", Network::walk}, {"senior", Network::senior}};
constexpr Names<Require> k_require[] = {{"any", Require::any}, {"each", Require::each}};
constexpr Names<AreaUnit> k_unit[] = {{"community", AreaUnit::community}, {"subdistrict", AreaUnit::subdistrict}};
constexpr Names<RatioKind> k_ratio[] = {{"floor_area_per_100_households", RatioKind::floor_area_per_100_households},
                                        {"floor_area_per_community", RatioKind::floor_area_per_community},
                                        {"staff_per_households", RatioKind::staff_per_households},
                                        {"households_per_unit", RatioKind::households_per_unit}};

template <typename Enum, std::size_t N>
std::string_view name_of(const Names<Enum> (&names)[N], Enum value) {
    for (const auto& n : names) {
        if (n.value == value) {
            return n.name;
        }
    }
    YIKE_ASSERT(false);
    return {};
}

template <typename Enum, std::size_t N>
std::string choices(const Names<Enum> (&names)[N]) {
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + std::string(n.name);
    }
    return out;
}

bool is_path(std::string_view id_or_path) {
    return id_or_path.find('/') != std::string_view::npos || id_or_path.ends_with(".toml");
}

std::filesystem::path standards_dir() { return data_dir() / "standards"; }

// Which keys each target kind accepts besides the common ones.
const std::set<std::string_view> k_common_keys = {"id", "name_zh", "name_en", "kind", "level", "category",
                                                  "categories", "require", "serves", "source", "confidence",
                                                  "confirmed", "note"};
const std::map<TargetKind, std::set<std::string_view>> k_kind_keys = {
    {TargetKind::coverage,
     {"threshold_minutes", "threshold_m", "profile", "basis", "community_share_covered", "required_share",
      "report_only"}},
    {TargetKind::presence, {"unit", "required_share", "report_only"}},
    {TargetKind::ratio,
     {"unit", "ratio", "min_floor_area_m2", "households_per_staff", "min_staff", "min_staff_below_households",
      "min_households", "norm_households"}},
};

class StandardParser {
public:
    StandardParser(std::filesystem::path file, const CategoryMapping& categories)
        : m_toml(std::move(file), detail::KeyStyle::quoted), m_categories(categories) {}

    Standard parse(const toml::table& root) {
        Standard s;
        s.file = m_toml.file();
        bool has_schema = false;
        for (const auto& [key_node, node] : root) {
            const std::string_view key = key_node.str();
            if (key == "schema_version") {
                if (!node.is_integer() || node.value<std::int64_t>() != 1) {
                    fail(node, "schema_version must be 1");
                }
                has_schema = true;
            } else if (key == "id") {
                s.id = text(node, key);
            } else if (key == "name_zh") {
                s.name_zh = text(node, key);
            } else if (key == "name_en") {
                s.name_en = text(node, key);
            } else if (key == "source") {
                s.source = text(node, key);
            } else if (key == "note") {
                s.note = text(node, key);
            } else if (key == "target") {
                const auto* array = node.as_array();
                if (array == nullptr || !array->is_array_of_tables()) {
                    fail(node, "'target' must be an array of tables ([[target]])");
                }
                for (const auto& element : *array) {
                    s.targets.push_back(parse_target(*element.as_table()));
                }
            } else {
                fail(node, "unknown key '" + std::string(key) + "' (expected schema_version, id, name_zh, name_en, "
                                                                 "source, note or [[target]])");
            }
        }
        if (!has_schema) {
            fail(root, "missing schema_version");
        }
        if (s.id.empty() || s.name_zh.empty() || s.name_en.empty() || s.source.empty()) {
            fail(root, "a standard needs id, name_zh, name_en and source");
        }
        if (s.targets.empty()) {
            fail(root, "standard '" + s.id + "' has no [[target]]");
        }
        std::set<std::string, std::less<>> seen;
        for (const auto& t : s.targets) {
            if (!seen.insert(t.id).second) {
                throw config_error(m_toml.where(t.line) + ": duplicate target id '" + t.id + "'");
            }
        }
        return s;
    }

private:
    detail::TomlReader m_toml;
    const CategoryMapping& m_categories;

    static int line_of(const toml::node& node) { return detail::TomlReader::line_of(node); }

    [[noreturn]] void fail(const toml::node& node, const std::string& message) const { m_toml.fail(node, message); }

    std::string text(const toml::node& node, std::string_view key) const { return m_toml.text(node, key); }

    double number(const toml::node& node, std::string_view key) const {
        const double v = m_toml.number(node, key);
        if (!std::isfinite(v)) {
            fail(node, "'" + std::string(key) + "' must be finite");
        }
        return v;
    }

    double positive(const toml::node& node, std::string_view key) const {
        const double v = number(node, key);
        if (v <= 0) {
            fail(node, "'" + std::string(key) + "' must be > 0, not " + std::to_string(v));
        }
        return v;
    }

    double share(const toml::node& node, std::string_view key) const {
        const double v = number(node, key);
        if (!(v > 0 && v <= 1)) {
            fail(node, "'" + std::string(key) + "' must be a share in (0, 1], not " + std::to_string(v));
        }
        return v;
    }

    std::uint32_t count(const toml::node& node, std::string_view key) const {
        const auto v = node.value<std::int64_t>();
        if (!node.is_integer() || *v <= 0 || *v > 1'000'000) {
            fail(node, "'" + std::string(key) + "' must be a positive integer");
        }
        return static_cast<std::uint32_t>(*v);
    }

    bool flag(const toml::node& node, std::string_view key) const { return m_toml.boolean(node, key); }

    template <typename Enum, std::size_t N>
    Enum choice(const toml::node& node, std::string_view key, const Names<Enum> (&names)[N]) const {
        const auto v = text(node, key);
        for (const auto& n : names) {
            if (n.name == v) {
                return n.value;
            }
        }
        fail(node, "'" + std::string(key) + "' must be one of " + choices(names) + ", not '" + v + "'");
    }

    std::string category(const toml::node& node, std::string_view key) const {
        auto id = text(node, key);
        if (!m_categories.contains(id)) {
            fail(node, "unknown category '" + id + "' (not defined in " + m_categories.source().string() + ")");
        }
        return id;
    }

    Target parse_target(const toml::table& table) {
        Target t;
        t.line = line_of(table);
        std::map<std::string_view, const toml::node*> present;
        for (const auto& [key_node, node] : table) {
            present.emplace(key_node.str(), &node);
        }
        const auto kind_it = present.find("kind");
        if (kind_it == present.end()) {
            fail(table, "[[target]] without kind (" + choices(k_kind) + ")");
        }
        t.kind = choice(*kind_it->second, "kind", k_kind);
        const auto& kind_keys = k_kind_keys.at(t.kind);
        for (const auto& entry : present) {
            // not a structured binding: clang 14 (the fuzz build) cannot capture one in the lambda
            const auto& key = entry.first;
            const auto* node = entry.second;
            if (!k_common_keys.contains(key) && !kind_keys.contains(key)) {
                const bool other_kind = std::any_of(k_kind_keys.begin(), k_kind_keys.end(),
                                                    [&](const auto& kk) { return kk.second.contains(key); });
                fail(*node, other_kind ? "'" + std::string(key) + "' does not apply to a " +
                                             std::string(to_string(t.kind)) + " target"
                                       : "unknown key '" + std::string(key) + "' in [[target]]");
            }
        }
        auto get = [&](std::string_view key) -> const toml::node* {
            const auto it = present.find(key);
            return it == present.end() ? nullptr : it->second;
        };
        auto need = [&](std::string_view key) -> const toml::node& {
            const auto* node = get(key);
            if (node == nullptr) {
                fail(table, "target '" + t.id + "' (" + std::string(to_string(t.kind)) + ") needs '" +
                                std::string(key) + "'");
            }
            return *node;
        };

        if (const auto* n = get("id")) {
            t.id = text(*n, "id");
        } else {
            fail(table, "[[target]] without id");
        }
        t.name_zh = text(need("name_zh"), "name_zh");
        t.name_en = text(need("name_en"), "name_en");
        if (const auto* n = get("level")) {
            t.level = text(*n, "level");
        }
        t.source = text(need("source"), "source");
        t.confidence = choice(need("confidence"), "confidence", k_confidence);
        // The one confirmation rule (data/standards/README.md): only a number stated in the cited
        // source text [S] is confirmed. A secondary source quoting it [W], a recollection [R] and
        // arithmetic [D] are not, and no file can say otherwise; an S target whose reading is ours
        // may opt out with confirmed = false and a note saying why.
        t.confirmed = t.confidence == Confidence::stated;
        if (const auto* n = get("confirmed")) {
            if (flag(*n, "confirmed") && t.confidence != Confidence::stated) {
                fail(*n, "a [" + std::string(confidence_tag(t.confidence)) +
                             "] number cannot be confirmed: only a number stated in the cited source [S] is; "
                             "change the confidence once it is checked against the text");
            }
            t.confirmed = t.confirmed && flag(*n, "confirmed");
        }
        if (const auto* n = get("note")) {
            t.note = text(*n, "note");
        }
        if (!t.confirmed && t.note.empty() && t.confidence == Confidence::stated) {
            fail(table, "target '" + t.id + "' is marked unconfirmed: add a note saying what is not confirmed");
        }

        if (get("category") && get("categories")) {
            fail(*get("categories"), "give either 'category' or 'categories', not both");
        }
        if (const auto* n = get("category")) {
            t.categories.push_back(category(*n, "category"));
        } else if (const auto* list = get("categories")) {
            const auto* array = list->as_array();
            if (array == nullptr || array->empty()) {
                fail(*list, "'categories' must be a non-empty array of category ids");
            }
            for (const auto& element : *array) {
                auto id = category(element, "categories");
                if (std::find(t.categories.begin(), t.categories.end(), id) != t.categories.end()) {
                    fail(element, "category '" + id + "' listed twice");
                }
                t.categories.push_back(std::move(id));
            }
        }
        if (const auto* n = get("require")) {
            t.require = choice(*n, "require", k_require);
        }
        if (const auto* n = get("serves")) {
            t.serves = choice(*n, "serves", k_serves);
        }

        switch (t.kind) {
        case TargetKind::coverage: parse_coverage(t, table, get, need); break;
        case TargetKind::presence: parse_presence(t, table, get); break;
        case TargetKind::ratio: parse_ratio(t, table, get, need); break;
        }
        const bool needs_no_category = t.kind == TargetKind::ratio && (t.ratio == RatioKind::staff_per_households ||
                                                                       t.ratio == RatioKind::households_per_unit);
        if (t.categories.empty() && !needs_no_category) {
            fail(table, "target '" + t.id + "' needs 'category' or 'categories'");
        }
        return t;
    }

    template <typename Get>
    void parse_share(Target& t, const toml::table& table, Get get) {
        if (const auto* n = get("report_only")) {
            t.report_only = flag(*n, "report_only");
        }
        if (const auto* n = get("required_share")) {
            t.required_share = share(*n, "required_share");
        }
        if (!t.report_only && !t.required_share) {
            fail(table, "target '" + t.id + "' needs required_share (or report_only = true)");
        }
    }

    template <typename Get, typename Need>
    void parse_coverage(Target& t, const toml::table& table, Get get, Need need) {
        const auto* minutes = get("threshold_minutes");
        const auto* metres = get("threshold_m");
        if ((minutes == nullptr) == (metres == nullptr)) {
            fail(table, "coverage target '" + t.id + "' needs exactly one of threshold_minutes and threshold_m");
        }
        if (minutes) {
            t.threshold_minutes = positive(*minutes, "threshold_minutes");
            if (*t.threshold_minutes > 120) {
                fail(*minutes, "'threshold_minutes' above 120 is not a walking threshold");
            }
        } else {
            t.threshold_m = positive(*metres, "threshold_m");
            if (*t.threshold_m > 10'000) {
                fail(*metres, "'threshold_m' above 10000 is not a walking threshold");
            }
        }
        if (const auto* n = get("profile")) {
            const std::string name = text(*n, "profile");
            const auto* network = std::find_if(std::begin(k_network), std::end(k_network),
                                               [&](const Names<Network>& k) { return k.name == name; });
            if (network == std::end(k_network)) {
                fail(*n, "'profile' must be \"walk\" or \"senior\" (the run's --profile and --senior-profile "
                         "networks), got '" + name + "'");
            }
            t.profile = network->value;
            // Metres are network lengths on the walk network; a profile would silently not apply.
            if (metres) {
                fail(*n, "'profile' applies only to threshold_minutes (metres are measured on the walk network)");
            }
        }
        t.basis = choice(need("basis"), "basis", k_basis);
        const auto* community_share = get("community_share_covered");
        if (t.basis == Basis::communities) {
            if (community_share == nullptr) {
                fail(table, "target '" + t.id + "' counts communities: give community_share_covered");
            }
            t.community_share_covered = share(*community_share, "community_share_covered");
        } else if (community_share != nullptr) {
            fail(*community_share, "'community_share_covered' applies only to basis = \"communities\"");
        }
        parse_share(t, table, get);
    }

    template <typename Get>
    void parse_presence(Target& t, const toml::table& table, Get get) {
        if (const auto* n = get("unit")) {
            t.unit = choice(*n, "unit", k_unit);
        }
        parse_share(t, table, get);
    }

    template <typename Get, typename Need>
    void parse_ratio(Target& t, const toml::table& table, Get get, Need need) {
        if (const auto* n = get("unit")) {
            t.unit = choice(*n, "unit", k_unit);
        }
        t.ratio = choice(need("ratio"), "ratio", k_ratio);
        const bool staff = t.ratio == RatioKind::staff_per_households;
        const bool size = t.ratio == RatioKind::households_per_unit;
        static constexpr std::string_view area_keys[] = {"min_floor_area_m2"};
        static constexpr std::string_view staff_keys[] = {"households_per_staff", "min_staff",
                                                          "min_staff_below_households"};
        static constexpr std::string_view size_keys[] = {"min_households", "norm_households"};
        std::vector<std::string_view> foreign;
        if (!staff) foreign.insert(foreign.end(), std::begin(staff_keys), std::end(staff_keys));
        if (staff || size) foreign.insert(foreign.end(), std::begin(area_keys), std::end(area_keys));
        if (!size) foreign.insert(foreign.end(), std::begin(size_keys), std::end(size_keys));
        for (const auto key : foreign) {
            if (const auto* n = get(key)) {
                fail(*n, "'" + std::string(key) + "' does not apply to ratio = \"" + std::string(to_string(t.ratio)) + "\"");
            }
        }
        if (size) {
            t.min_households = count(need("min_households"), "min_households");
            if (const auto* n = get("norm_households")) {
                t.norm_households = count(*n, "norm_households");
                if (*t.norm_households < t.min_households) fail(*n, "'norm_households' is below 'min_households'");
            }
        } else if (staff) {
            t.households_per_staff = count(need("households_per_staff"), "households_per_staff");
            if (const auto* n = get("min_staff")) {
                t.min_staff = count(*n, "min_staff");
            }
            if (const auto* n = get("min_staff_below_households")) {
                if (t.min_staff == 0) {
                    fail(*n, "'min_staff_below_households' needs min_staff");
                }
                t.min_staff_below_households = count(*n, "min_staff_below_households");
            }
        } else {
            t.min_floor_area_m2 = positive(need("min_floor_area_m2"), "min_floor_area_m2");
        }
        (void)table;
    }
}; // class StandardParser

Standard load_standard_file(const std::filesystem::path& file, const CategoryMapping& categories) {
    const toml::table root = detail::read_toml_file(file, "standard file");
    return StandardParser(file, categories).parse(root);
}

std::vector<std::filesystem::path> shipped_standard_files() {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(standards_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".toml") {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

const Target* Standard::find(std::string_view target_id) const {
    const auto it = std::find_if(targets.begin(), targets.end(), [&](const Target& t) { return t.id == target_id; });
    return it == targets.end() ? nullptr : &*it;
}

std::size_t Standard::unconfirmed_count() const {
    return static_cast<std::size_t>(
        std::count_if(targets.begin(), targets.end(), [](const Target& t) { return !t.confirmed; }));
}

namespace {

Standard load_one_standard(std::string_view id_or_path, const CategoryMapping& categories);

// The standard as one part of a run: its targets name it.
Standard as_part(Standard standard) {
    standard.parts = {{standard.id, standard.name_zh, standard.name_en, standard.source, standard.note, standard.file}};
    for (auto& t : standard.targets) t.standard = standard.id;
    return standard;
}

Standard combine_standards(std::string_view list, const CategoryMapping& categories) {
    Standard out;
    std::map<std::string, std::string> owner; // target id -> standard id
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string_view::npos) end = list.size();
        auto item = list.substr(start, end - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty()) {
            throw config_error("--standard '" + std::string(list) + "': an empty entry in the list of standards");
        }
        Standard part = as_part(load_one_standard(item, categories));
        for (const auto& p : out.parts) {
            if (p.id == part.id) throw config_error("--standard '" + std::string(list) + "': " + part.id + " is listed twice");
        }
        for (auto& t : part.targets) {
            const auto [it, fresh] = owner.emplace(t.id, part.id);
            if (!fresh) {
                throw config_error(part.file.string() + ":" + std::to_string(t.line) + ": target id '" + t.id +
                                   "' is also defined by standard " + it->second + " (combined targets keep their ids)");
            }
            out.targets.push_back(std::move(t));
        }
        const bool first = out.parts.empty();
        out.id += (first ? "" : "+") + part.id;
        out.name_zh += (first ? "" : " + ") + part.name_zh;
        out.name_en += (first ? "" : " + ") + part.name_en;
        out.source += (first ? "" : "; ") + part.source;
        if (first) out.file = part.file;
        out.parts.push_back(std::move(part.parts.front()));
        start = end + 1;
    }
    return out;
}

} // namespace

Standard load_standard(std::string_view id_or_path, const CategoryMapping& categories) {
    std::error_code ec;
    if (id_or_path.find(',') != std::string_view::npos &&
        !(is_path(id_or_path) && std::filesystem::exists(std::filesystem::path(id_or_path), ec))) {
        return combine_standards(id_or_path, categories);
    }
    return as_part(load_one_standard(id_or_path, categories));
}

namespace {

Standard load_one_standard(std::string_view id_or_path, const CategoryMapping& categories) {
    if (is_path(id_or_path)) {
        return load_standard_file(std::filesystem::path(id_or_path), categories);
    }
    if (id_or_path.empty()) {
        throw config_error("standard id is empty");
    }
    const auto file = standards_dir() / (std::string(id_or_path) + ".toml");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        std::string known;
        for (const auto& f : shipped_standard_files()) {
            known += (known.empty() ? "" : ", ") + f.stem().string();
        }
        throw config_error(file.string() + ": unknown standard '" + std::string(id_or_path) + "' (shipped: " + known +
                           ")");
    }
    auto standard = load_standard_file(file, categories);
    if (standard.id != id_or_path) {
        throw config_error(file.string() + ": id '" + standard.id + "' does not match the file name");
    }
    return standard;
}

} // namespace

std::vector<StandardInfo> list_standards() {
    const auto categories = load_category_mapping();
    std::vector<StandardInfo> out;
    for (const auto& file : shipped_standard_files()) {
        const auto s = load_standard(file.stem().string(), categories);
        out.push_back({s.id, s.name_zh, s.name_en, s.file, s.targets.size(), s.unconfirmed_count()});
    }
    return out;
}


std::string_view confidence_tag(Confidence confidence) { return name_of(k_confidence, confidence); }
std::string_view to_string(TargetKind kind) { return name_of(k_kind, kind); }
std::string_view to_string(Serves serves) { return name_of(k_serves, serves); }
std::string_view to_string(Network network) { return name_of(k_network, network); }
std::string_view to_string(Basis basis) { return name_of(k_basis, basis); }
std::string_view to_string(Require require) { return name_of(k_require, require); }
std::string_view to_string(AreaUnit unit) { return name_of(k_unit, unit); }
std::string_view to_string(RatioKind ratio) { return name_of(k_ratio, ratio); }

} // namespace yike::io
