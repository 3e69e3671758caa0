// Fuzzes negotiate_format with arbitrary Accept header values.
// Properties: the result is one of the three formats, and the choice is
// deterministic. JSON is chosen only when the header names JSON or a
// wildcard, plain text only when it names text/plain or a wildcard.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "certhelp/render.h"
#include "fuzz_check.h"

using certhelp::Format;
using certhelp_fuzz::contains_ignoring_case;
using certhelp_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view accept(reinterpret_cast<const char *>(data), size);
    Format format = certhelp::negotiate_format(accept);

    require(format == Format::html || format == Format::json
                || format == Format::text,
            "the format is html, json or text");
    require(certhelp::negotiate_format(accept) == format,
            "negotiation is deterministic");
    require(!certhelp::content_type(format).empty(),
            "every format has a Content-Type");

    bool wildcard = accept.find('*') != std::string_view::npos;
    if (format == Format::json) {
        require(wildcard || contains_ignoring_case(accept, "json"),
                "json only for a header that names json or a wildcard");
    }
    if (format == Format::text) {
        require(wildcard || contains_ignoring_case(accept, "text/plain"),
                "text only for a header that names text/plain or a "
                "wildcard");
    }
    return 0;
}
