// Fuzzes render() with hostile request data and certificate details in
// every format, outcome and language.
// Input layout: byte 0 picks the outcome, bytes 1 and 2 the status, byte 3
// the language and whether details are shown. The rest contains the
// request path, server name, subject, issuer and serial, separated by NUL
// bytes.
// Properties: every body is valid UTF-8; the inserted values add no markup
// to HTML (the number of '<' is that of a body whose values are replaced
// by as many letters) and no string delimiters to JSON (likewise for
// unescaped '"'); JSON and text bodies have no control character but LF.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "certhelp/outcome.h"
#include "certhelp/render.h"
#include "fuzz_check.h"

using certhelp::Format;
using certhelp_fuzz::is_valid_utf8;
using certhelp_fuzz::require;

namespace {

std::size_t count_of(const std::string &text, char c)
{
    std::size_t count = 0;
    for (char each : text) {
        count += each == c;
    }
    return count;
}

// Counts '"' characters that are not escaped by a preceding backslash.
std::size_t count_unescaped_quotes(const std::string &text)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            ++count;
        }
    }
    return count;
}

bool has_control_other_than_lf(const std::string &text)
{
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\n') || byte == 0x7f) {
            return true;
        }
    }
    return false;
}

// Returns the NUL-separated field `index` of `fields`, empty when absent.
std::string_view field(std::string_view fields, int index)
{
    for (int i = 0; i < index; ++i) {
        std::size_t separator = fields.find('\0');
        if (separator == std::string_view::npos) {
            return {};
        }
        fields.remove_prefix(separator + 1);
    }
    return fields.substr(0, fields.find('\0'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4) {
        return 0;
    }
    const auto &outcomes = certhelp::all_outcomes();
    const auto &languages = certhelp::available_languages();
    std::string_view rest(reinterpret_cast<const char *>(data + 4),
                          size - 4);

    // Raw values and their neutral twins: letters of the same length, so
    // that both contexts produce the same markup around them.
    std::string values[5];
    std::string neutral[5];
    for (int i = 0; i < 5; ++i) {
        values[i] = std::string(field(rest, i));
        neutral[i] = std::string(values[i].size(), 'a');
    }

    certhelp::PageDetails details;
    details.disclose = (data[3] & 0x80) != 0;
    details.certificate.present = (data[3] & 0x40) != 0;
    details.certificate.subject = values[2];
    details.certificate.issuer = values[3];
    details.certificate.serial = values[4];
    details.accepted_cas = {values[3]};
    details.now = 1700000000;
    certhelp::PageDetails neutral_details = details;
    neutral_details.certificate.subject = neutral[2];
    neutral_details.certificate.issuer = neutral[3];
    neutral_details.certificate.serial = neutral[4];
    neutral_details.accepted_cas = {neutral[3]};

    certhelp::ResponseContext context;
    context.outcome = outcomes[data[0] % outcomes.size()];
    context.status = 400 + (data[1] << 8 | data[2]) % 200;
    context.language = languages[(data[3] & 0x3f) % languages.size()];
    context.request_path = values[0];
    context.server_name = values[1];
    context.details = (data[3] & 0x20) != 0 ? &details : nullptr;

    certhelp::ResponseContext twin = context;
    twin.request_path = neutral[0];
    twin.server_name = neutral[1];
    twin.details = context.details != nullptr ? &neutral_details : nullptr;

    std::string html = certhelp::render(Format::html, context);
    require(is_valid_utf8(html), "the HTML body is valid UTF-8");
    require(count_of(html, '<')
                == count_of(certhelp::render(Format::html, twin), '<'),
            "inserted values add no '<' to the HTML body");

    std::string json = certhelp::render(Format::json, context);
    require(is_valid_utf8(json), "the JSON body is valid UTF-8");
    require(!has_control_other_than_lf(json),
            "the JSON body has no control character but LF");
    require(count_unescaped_quotes(json)
                == count_unescaped_quotes(
                    certhelp::render(Format::json, twin)),
            "inserted values add no unescaped '\"' to the JSON body");

    std::string text = certhelp::render(Format::text, context);
    require(is_valid_utf8(text), "the text body is valid UTF-8");
    require(!has_control_other_than_lf(text),
            "the text body has no control character but LF");
    require(count_of(text, '\n')
                == count_of(certhelp::render(Format::text, twin), '\n'),
            "inserted values add no line to the text body");
    return 0;
}
