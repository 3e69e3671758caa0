// Fuzzes check_template and expand_template with arbitrary templates.
// Properties: expand_template accepts exactly what check_template accepts;
// text values are escaped, so hostile values add no '<' to the page.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "certhelp/page_template.h"
#include "certhelp/render.h"
#include "fuzz_check.h"

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);
    std::string reason = certhelp::check_template(text);

    certhelp::TemplateValues empty{};
    certhelp::TemplateValues hostile{};
    for (const certhelp::PlaceholderInfo &info : certhelp::placeholders()) {
        auto index = static_cast<std::size_t>(info.placeholder);
        if (info.kind == certhelp::ValueKind::text) {
            hostile[index] = "<script>\"'&{{status}}</script>\r\n";
        }
    }

    std::optional<std::string> page = certhelp::expand_template(text, hostile);
    require(page.has_value() == reason.empty(),
            "expand_template accepts exactly what check_template accepts");
    if (!page) {
        return 0;
    }
    std::optional<std::string> plain = certhelp::expand_template(text, empty);
    require(plain.has_value(), "an accepted template expands with any "
                               "values");
    require(count_of(*page, '<') == count_of(*plain, '<'),
            "text values add no '<' to the page");
    return 0;
}
