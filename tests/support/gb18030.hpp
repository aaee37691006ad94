#pragma once
// UTF-8 text re-encoded as GB18030 (what Excel/WPS on Chinese Windows save), for tests of the
// encoding detection.
#include <iconv.h>

#include <stdexcept>
#include <string>

namespace yike::test {

inline std::string to_gb18030(const std::string& utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv has no GB18030");
    std::string out(utf8.size() * 2 + 8, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (r == static_cast<std::size_t>(-1)) throw std::runtime_error("text not convertible to GB18030");
    out.resize(out.size() - out_left);
    return out;
}

} // namespace yike::test
