// Fuzzes the five escapes with arbitrary bytes and checks that each output
// is safe in its context and, where the escape is reversible, decodes back
// to the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "certhelp/render.h"
#include "fuzz_check.h"

using certhelp_fuzz::is_valid_utf8;
using certhelp_fuzz::require;

namespace {

int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool is_unreserved(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
           || c == '~';
}

void check_html(std::string_view input)
{
    std::string out = certhelp::html_escape(input);
    require(is_valid_utf8(out), "html_escape output is valid UTF-8");
    for (std::size_t i = 0; i < out.size(); ++i) {
        char c = out[i];
        auto byte = static_cast<unsigned char>(c);
        require(c != '<' && c != '>' && c != '"' && c != '\'',
                "html_escape output has no < > \" or '");
        require(byte >= 0x20 || c == '\t' || c == '\n' || c == '\r',
                "html_escape output has no C0 control but TAB, LF, CR");
        if (c == '&') {
            std::string_view rest = std::string_view(out).substr(i);
            bool entity = rest.rfind("&amp;", 0) == 0
                          || rest.rfind("&lt;", 0) == 0
                          || rest.rfind("&gt;", 0) == 0
                          || rest.rfind("&quot;", 0) == 0
                          || rest.rfind("&#39;", 0) == 0;
            require(entity, "html_escape output has '&' only in entities");
        }
    }
}

void check_json(std::string_view input)
{
    std::string out = certhelp::json_escape(input);
    require(is_valid_utf8(out), "json_escape output is valid UTF-8");
    require(out.find("\xE2\x80\xA8") == std::string::npos
                && out.find("\xE2\x80\xA9") == std::string::npos,
            "json_escape output has no raw U+2028 or U+2029");
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto byte = static_cast<unsigned char>(out[i]);
        require(byte >= 0x20 && byte != 0x7f,
                "json_escape output has no control character");
        if (out[i] == '\\') {
            require(i + 1 < out.size(), "json_escape output ends cleanly");
            char next = out[i + 1];
            require(next == '\\' || next == '"' || next == 'u',
                    "json_escape uses only \\\\, \\\" and \\u escapes");
            ++i;
            continue;
        }
        require(out[i] != '"', "json_escape output has no bare quote");
    }
}

void check_text(std::string_view input)
{
    std::string out = certhelp::text_escape(input);
    require(is_valid_utf8(out), "text_escape output is valid UTF-8");
    require(out.find("\xE2\x80\xA8") == std::string::npos
                && out.find("\xE2\x80\xA9") == std::string::npos,
            "text_escape output has no U+2028 or U+2029");
    for (char c : out) {
        auto byte = static_cast<unsigned char>(c);
        require(byte >= 0x20 && byte != 0x7f,
                "text_escape output has no control character");
    }
}

void check_percent(std::string_view input)
{
    std::string out = certhelp::percent_encode(input);
    std::string decoded;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '%') {
            require(i + 2 < out.size() && hex_value(out[i + 1]) >= 0
                        && hex_value(out[i + 2]) >= 0,
                    "percent_encode writes '%' with two hex digits");
            decoded += static_cast<char>(hex_value(out[i + 1]) * 16
                                         + hex_value(out[i + 2]));
            i += 2;
            continue;
        }
        require(is_unreserved(out[i]),
                "percent_encode leaves only unreserved characters bare");
        decoded += out[i];
    }
    require(decoded == input, "percent_encode decodes to the input");
}

void check_log(std::string_view input)
{
    std::string out = certhelp::log_escape(input);
    std::string decoded;
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto byte = static_cast<unsigned char>(out[i]);
        require(byte >= 0x20 && byte <= 0x7e,
                "log_escape output is printable ASCII");
        require(out[i] != '"', "log_escape output has no bare quote");
        if (out[i] != '\\') {
            decoded += out[i];
            continue;
        }
        require(i + 1 < out.size(), "log_escape output ends cleanly");
        char next = out[i + 1];
        if (next == '\\' || next == '"') {
            decoded += next;
            ++i;
            continue;
        }
        require(next == 'x' && i + 3 < out.size()
                    && hex_value(out[i + 2]) >= 0
                    && hex_value(out[i + 3]) >= 0,
                "log_escape uses only \\\\, \\\" and \\xNN escapes");
        decoded += static_cast<char>(hex_value(out[i + 2]) * 16
                                     + hex_value(out[i + 3]));
        i += 3;
    }
    require(decoded == input, "log_escape decodes to the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view input(reinterpret_cast<const char *>(data), size);
    check_html(input);
    check_json(input);
    check_text(input);
    check_percent(input);
    check_log(input);
    return 0;
}
