// ASCII-only case handling for protocol tokens (media types, language tags,
// outcome names). The C library's tolower() depends on the locale, which
// httpd does not control per request.
#ifndef CERTHELP_ASCII_H
#define CERTHELP_ASCII_H

#include <cstddef>
#include <string_view>

namespace certhelp {

inline char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool equals_ignoring_case(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace certhelp

#endif
