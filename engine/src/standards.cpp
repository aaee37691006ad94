#include "yike/engine/standards.hpp"
#include "yike/engine/category_cost.hpp"

#include "yike/assert.hpp"

#include <cmath>
#include <cstdio>

namespace yike::engine {

namespace {

std::string format_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string percent(double share) { return format_number(std::round(share * 1000.0) / 10.0) + " %"; }

std::string cell(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string category_list(const Target& t, const CategoryMapping& categories) {
    if (t.categories.empty()) {
        return "-";
    }
    std::string out;
    if (t.kind == TargetKind::ratio) {
        out = "floor area of: ";
    } else if (t.categories.size() > 1) {
        out = t.require == Require::any ? "any of: " : "each of: ";
    }
    for (std::size_t i = 0; i < t.categories.size(); ++i) {
        const auto* c = categories.find(t.categories[i]);
        out += (i ? ", " : "") + t.categories[i];
        if (c != nullptr) {
            out += " (" + c->name_zh + ")";
        }
    }
    return out;
}

std::string unit_name(AreaUnit unit) { return unit == AreaUnit::community ? "community" : "sub-district"; }
std::string units_name(AreaUnit unit) { return unit == AreaUnit::community ? "communities" : "sub-districts"; }

std::string rule(const Target& t) {
    switch (t.kind) {
    case TargetKind::coverage: {
        std::string r = t.threshold_m ? "within " + format_number(*t.threshold_m) + " m walk"
                                      : "within " + format_number(*t.threshold_minutes) + " min walk (" +
                                            std::string(walking_profile_name(t)) + " profile)";
        if (t.report_only) {
            return r + "; reported only";
        }
        r += "; " + percent(*t.required_share) + " of " + std::string(to_string(t.basis));
        if (t.community_share_covered) {
            r += " (a community counts when " + percent(*t.community_share_covered) + " of its households are)";
        }
        return r;
    }
    case TargetKind::presence: {
        std::string r = "at least one in each " + unit_name(t.unit);
        if (t.report_only) {
            return r + "; reported only";
        }
        return r + "; " + percent(*t.required_share) + " of " + units_name(t.unit);
    }
    case TargetKind::ratio:
        switch (t.ratio) {
        case RatioKind::floor_area_per_100_households:
            return ">= " + format_number(t.min_floor_area_m2) + " m² floor area per 100 households, per " +
                   unit_name(t.unit);
        case RatioKind::floor_area_per_community:
            return ">= " + format_number(t.min_floor_area_m2) + " m² floor area in each " + unit_name(t.unit);
        case RatioKind::staff_per_households: {
            std::string r = "1 worker per " + std::to_string(t.households_per_staff) + " households";
            if (t.min_staff > 0) {
                r += ", at least " + std::to_string(t.min_staff);
                if (t.min_staff_below_households) {
                    r += " below " + std::to_string(*t.min_staff_below_households) + " households";
                }
            }
            return r + ", per " + unit_name(t.unit);
        }
        case RatioKind::households_per_unit:
            return ">= " + std::to_string(t.min_households) + " households in each " + unit_name(t.unit) +
                   (t.norm_households ? " (norm " + std::to_string(*t.norm_households) + ")" : "");
        }
    }
    YIKE_ASSERT(false);
    return {};
}

} // namespace

std::string describe_standard(const Standard& standard, const CategoryMapping& categories) {
    std::string out = "# " + standard.id + ": " + standard.name_zh + "\n\n" + standard.name_en + "\n\n";
    out += "Source: " + standard.source + "\n\n";
    if (!standard.note.empty()) {
        out += standard.note + "\n\n";
    }
    out += "| target | name | kind | categories | serves | rule | source | confidence |\n";
    out += "|---|---|---|---|---|---|---|---|\n";
    for (const auto& t : standard.targets) {
        out += "| " + cell(t.id) + " | " + cell(t.name_zh + " / " + t.name_en) + " | " + std::string(to_string(t.kind)) +
               " | " + cell(category_list(t, categories)) + " | " +
               (t.kind == TargetKind::ratio ? std::string("-") : std::string(to_string(t.serves))) + " | " +
               cell(rule(t)) + " | " + cell(t.source) + " | " + std::string(confidence_tag(t.confidence)) +
               (t.confirmed ? "" : " (unconfirmed)") + " |\n";
    }
    out += "\nConfidence: S = stated in a source document, W = secondary web source quoting the text, "
           "R = recalled, not checked against the official text, D = derived by arithmetic.\n";
    const auto unconfirmed = standard.unconfirmed_count();
    if (unconfirmed > 0) {
        out += "\n**Not confirmed: " + std::to_string(unconfirmed) + " of " + std::to_string(standard.targets.size()) +
               " targets**; results that use them must say so.\n";
    }
    bool heading = false;
    for (const auto& t : standard.targets) {
        if (t.note.empty()) {
            continue;
        }
        if (!heading) {
            out += "\nNotes:\n\n";
            heading = true;
        }
        out += "- " + t.id + ": " + t.note + "\n";
    }
    return out;
}

std::string describe_standard_list(const std::vector<StandardInfo>& standards) {
    std::string out = "| id | name | targets | unconfirmed |\n|---|---|---|---|\n";
    for (const auto& s : standards) {
        out += "| " + cell(s.id) + " | " + cell(s.name_zh + " / " + s.name_en) + " | " + std::to_string(s.target_count) +
               " | " + std::to_string(s.unconfirmed_count) + " |\n";
    }
    return out;
}

} // namespace yike::engine
