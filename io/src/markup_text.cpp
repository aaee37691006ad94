#include "yike/io/markup_text.hpp"

namespace yike::io {

std::string markup_text(std::string_view text, Markup kind) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'':
            if (kind == Markup::html) {
                out += "&#39;";
            } else {
                out += c;
            }
            break;
        default:
            if (kind == Markup::xml && static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
            out += c;
        }
    }
    return out;
}

} // namespace yike::io
