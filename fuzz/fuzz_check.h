// Checks shared by the libFuzzer targets: a failed property aborts, so
// libFuzzer saves the input that broke it.
#ifndef CERTHELP_FUZZ_CHECK_H
#define CERTHELP_FUZZ_CHECK_H

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace certhelp_fuzz {

// Aborts with `property` on stderr when `holds` is false.
inline void require(bool holds, const char *property)
{
    if (!holds) {
        std::fprintf(stderr, "fuzz property violated: %s\n", property);
        std::abort();
    }
}

// Tells whether `text` is well-formed UTF-8 (RFC 3629): no overlong forms,
// no surrogates, nothing above U+10FFFF. Written independently of the
// decoder in lib/render.cc so that the two can disagree.
inline bool is_valid_utf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        unsigned long code_point = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        if ((lead & 0xe0) == 0xc0) {
            length = 2;
            code_point = lead & 0x1f;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3;
            code_point = lead & 0x0f;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4;
            code_point = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            auto byte = static_cast<unsigned char>(text[i + k]);
            if ((byte & 0xc0) != 0x80) {
                return false;
            }
            code_point = (code_point << 6) | (byte & 0x3f);
        }
        static const unsigned long minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code_point < minimum[length] || code_point > 0x10ffff
            || (code_point >= 0xd800 && code_point <= 0xdfff)) {
            return false;
        }
        i += length;
    }
    return true;
}

inline char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Tells whether `text` contains `word`, ignoring ASCII case.
inline bool contains_ignoring_case(std::string_view text,
                                   std::string_view word)
{
    if (word.size() > text.size()) {
        return false;
    }
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < word.size() && match; ++k) {
            match = ascii_lower(text[i + k]) == ascii_lower(word[k]);
        }
        if (match) {
            return true;
        }
    }
    return false;
}

inline bool starts_with_ignoring_case(std::string_view text,
                                      std::string_view prefix)
{
    return text.size() >= prefix.size()
           && contains_ignoring_case(text.substr(0, prefix.size()), prefix);
}

}  // namespace certhelp_fuzz

#endif
