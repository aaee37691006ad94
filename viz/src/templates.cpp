// The input sheets of `yike template`. Headers are "中文 english" (or one language): the layer
// readers accept each form (io/src/layer_source.cpp, known field names), so a filled-in sheet is
// read back without any option naming a column.
#include "yike/viz/templates.hpp"

namespace yike::viz {

using engine::CategoryMapping;
using engine::in_language;
using engine::Language;

namespace {

struct Column {
    const char* zh;      // header, Chinese
    const char* en;      // header, English (the name yike's options use)
    const char* meaning_zh;
    const char* meaning_en;
    bool required;
    const char* use;     // how yike reads it
};

constexpr Column k_facilities[] = {
    {"编号", "id", "设施编号（可空）", "facility id (may be empty)", false, "empty: the file name and row number"},
    {"名称", "name", "设施名称", "facility name", false, "shown in the report"},
    {"类别", "category", "类别编号，见“类别”表", "category id, from the categories sheet", true,
     "read by --facilities FILE; for a sheet of one category: --facilities FILE=CATEGORY"},
    {"地址", "address", "地址", "address", false, "kept for reference, not read"},
    {"经度", "lon", "经度", "longitude", true,
     "WGS84 unless the layer says otherwise: FILE@GCJ-02 (AMap, Tencent), FILE@BD-09 (Baidu), FILE@EPSG:4490"},
    {"纬度", "lat", "纬度", "latitude", true, "as the longitude"},
    {"座位数", "capacity", "座位数、床位数等容量", "capacity: seats, beds, places", false,
     "--capacity-field capacity (floating catchments, 2SFCA)"},
    {"建筑面积", "floor_area", "建筑面积（平方米）", "floor area (m²)", false,
     "--floor-area-field floor_area (floor-area targets, e.g. community rooms of 350 m²)"},
    {"工作人员", "staff", "工作人员数", "staff", false, "--staff-field staff (staff-per-household targets)"},
};

constexpr Column k_households[] = {
    {"编号", "id", "楼栋或小区编号（可空）", "building or compound id (may be empty)", false,
     "empty: the file name and row number"},
    {"名称", "name", "楼栋或小区名称", "building or compound name", false, "kept for reference"},
    {"地址", "address", "地址", "address", false, "kept for reference, not read"},
    {"经度", "lon", "经度（楼栋或小区门口）", "longitude (of the building or compound gate)", true,
     "WGS84 unless the layer says otherwise: FILE@GCJ-02, FILE@BD-09, FILE@EPSG:4490"},
    {"纬度", "lat", "纬度", "latitude", true, "as the longitude"},
    {"户数", "households", "户数", "households", true, "--households FILE"},
    {"人口", "population", "常住人口", "residents", false, "population targets; empty: not counted"},
    {"老年人口", "seniors", "60岁及以上人口", "residents aged 60 and over", false, "senior targets"},
    {"儿童人口", "children", "0-14岁人口", "children aged 0-14", false, "children's targets"},
};

constexpr Column k_communities[] = {
    {"编号", "id", "社区编号", "community id", true, "--communities FILE"},
    {"名称", "name", "社区名称", "community name", false, "shown in the report"},
    {"街道", "parent", "所属街道编号", "id of its sub-district", false, "--parent-field parent (with --subdistricts)"},
    {"户数", "households", "社区户数（已知时）", "households of the community, when known", false,
     "--community-households households (estimates are scaled to it)"},
    {"几何", "wkt", "边界，WKT 多边形，如 POLYGON((116.30 39.90, 116.31 39.90, 116.31 39.91, 116.30 39.90))",
     "boundary as a WKT polygon", true, "WGS84 unless the layer says otherwise (FILE@EPSG:4490, FILE@EPSG:4547)"},
};

template <std::size_t N>
void fill(InputTemplate& t, const Column (&columns)[N], Language language) {
    auto L = [&](std::string_view zh, std::string_view en) { return in_language(language, zh, en); };
    t.fields.name = L("字段说明", "fields");
    t.fields.header = {L("列", "column"), L("含义", "meaning")};
    if (language == Language::both) t.fields.header.emplace_back("meaning");
    t.fields.header.push_back(L("必填", "required"));
    t.fields.header.push_back(L("yike 如何读取", "how yike reads it"));
    t.fields.column_widths = {20, 40, 40, 8, 60};
    for (const auto& c : columns) {
        t.input.header.push_back(L(c.zh, c.en));
        t.input.column_widths.push_back(16);
        std::vector<io::XlsxCell> row{L(c.zh, c.en)};
        if (language != Language::en) row.emplace_back(std::string(c.meaning_zh));
        if (language != Language::zh) row.emplace_back(std::string(c.meaning_en));
        row.emplace_back(c.required ? L("是", "yes") : L("否", "no"));
        row.emplace_back(std::string(c.use));
        t.fields.rows.push_back(std::move(row));
    }
}

} // namespace

std::optional<TemplateKind> parse_template_kind(std::string_view text) {
    if (text == "facilities") return TemplateKind::facilities;
    if (text == "households") return TemplateKind::households;
    if (text == "communities") return TemplateKind::communities;
    return std::nullopt;
}

InputTemplate input_template(TemplateKind kind, const CategoryMapping& categories, Language language) {
    auto L = [&](std::string_view zh, std::string_view en) { return in_language(language, zh, en); };
    InputTemplate t;
    switch (kind) {
    case TemplateKind::facilities:
        t.input.name = L("设施", "facilities");
        fill(t, k_facilities, language);
        break;
    case TemplateKind::households:
        t.input.name = L("住户", "households");
        fill(t, k_households, language);
        break;
    case TemplateKind::communities:
        t.input.name = L("社区", "communities");
        fill(t, k_communities, language);
        break;
    }
    if (kind == TemplateKind::facilities) {
        io::XlsxSheet list;
        list.name = L("类别", "categories");
        list.header = {L("类别", "category"), L("中文名称", "Chinese name"), L("英文名称", "English name"),
                       L("分组", "group"), L("OSM 覆盖", "in OSM")};
        list.column_widths = {28, 36, 44, 12, 10};
        for (const auto& c : categories.categories())
            list.rows.push_back({c.id, c.name_zh, c.name_en, c.group, c.osm_quality});
        t.categories = std::move(list);
    }
    return t;
}

} // namespace yike::viz
