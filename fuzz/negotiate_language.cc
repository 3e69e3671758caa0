// Fuzzes negotiate_language with arbitrary Accept-Language values.
// Properties: the result is one of available_languages(), the choice is
// deterministic, and English wins for a header that names no available
// language and no wildcard.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "certhelp/render.h"
#include "fuzz_check.h"

using certhelp_fuzz::contains_ignoring_case;
using certhelp_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view header(reinterpret_cast<const char *>(data), size);
    std::string_view language = certhelp::negotiate_language(header);

    const auto &available = certhelp::available_languages();
    require(std::find(available.begin(), available.end(), language)
                != available.end(),
            "the language is an available one");
    require(certhelp::negotiate_language(header) == language,
            "negotiation is deterministic");
    if (language != "en") {
        require(header.find('*') != std::string_view::npos
                    || contains_ignoring_case(header, language),
                "a language other than English is named or wildcarded");
    }
    return 0;
}
