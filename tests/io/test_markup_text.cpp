// Text escaped for XML (XLSX, SVG) and HTML: every character that would end a value or an element is
// replaced, everything else (UTF-8 included) passes through, and XML drops the control characters
// XML 1.0 forbids.
#include <gtest/gtest.h>

#include <string>

#include "yike/io/markup_text.hpp"

namespace {

using yike::io::Markup;
using yike::io::markup_text;

TEST(MarkupText, EscapesWhatEndsAValueOrAnElement) {
    EXPECT_EQ(markup_text(R"(a<b>&"c"'d')", Markup::xml), "a&lt;b&gt;&amp;&quot;c&quot;'d'");
    EXPECT_EQ(markup_text(R"(a<b>&"c"'d')", Markup::html), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    EXPECT_EQ(markup_text("&amp;", Markup::html), "&amp;amp;"); // escaped once more, never taken as an entity
}

TEST(MarkupText, KeepsUtf8AndPlainText) {
    const std::string s = "东城区 社区卫生服务站 No. 3";
    EXPECT_EQ(markup_text(s, Markup::xml), s);
    EXPECT_EQ(markup_text(s, Markup::html), s);
    EXPECT_EQ(markup_text("", Markup::xml), "");
}

TEST(MarkupText, XmlDropsForbiddenControlCharacters) {
    const std::string s = std::string("a\tb\nc\rd") + '\x01' + "e" + '\x1f' + "f";
    EXPECT_EQ(markup_text(s, Markup::xml), "a\tb\nc\rdef");
    EXPECT_EQ(markup_text(s, Markup::html), s);
}

} // namespace
