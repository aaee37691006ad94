#pragma once
// Text inside XML and HTML markup (element text and quoted attribute values), shared by the XLSX
// writer, the SVG map and the HTML report.
#include <string>
#include <string_view>

namespace yike::io {

enum class Markup {
    // XML 1.0 (XLSX parts, SVG): & < > " escaped; control characters other than tab, line feed
    // and carriage return dropped, because XML 1.0 allows no others and Excel refuses the file.
    xml,
    // HTML: as xml, and ' escaped too so a value is safe in either kind of quoted attribute;
    // control characters are kept (HTML tolerates them and names are shown as given).
    html,
};

std::string markup_text(std::string_view text, Markup kind);

} // namespace yike::io
