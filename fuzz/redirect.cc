// Fuzzes check_redirect_target and build_redirect with arbitrary URLs.
// Properties: an accepted target is an http(s) URL of printable ASCII
// without a fragment. The URL that build_redirect makes from it passes the
// same check and starts with the target. A rejection reason is printable
// ASCII, because httpd shows it in a configuration error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "certhelp/outcome.h"
#include "certhelp/render.h"
#include "fuzz_check.h"

using certhelp::Outcome;
using certhelp_fuzz::require;
using certhelp_fuzz::starts_with_ignoring_case;

namespace {

bool is_printable_ascii(std::string_view text)
{
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view url(reinterpret_cast<const char *>(data), size);
    std::string reason = certhelp::check_redirect_target(url);

    // build_redirect must not crash even on a target that skipped the
    // check.
    for (Outcome outcome : certhelp::all_outcomes()) {
        certhelp::build_redirect(url, outcome);
    }

    if (!reason.empty()) {
        require(is_printable_ascii(reason), "the reason is printable ASCII");
        return 0;
    }

    require(starts_with_ignoring_case(url, "http://")
                || starts_with_ignoring_case(url, "https://"),
            "an accepted target is an http or https URL");
    require(is_printable_ascii(url) && url.find(' ') == std::string::npos,
            "an accepted target has no white space, control or non-ASCII "
            "byte");
    require(url.find('#') == std::string::npos,
            "an accepted target has no fragment");
    std::size_t authority_start = url.find("//") + 2;
    std::size_t authority_end = url.find_first_of("/?", authority_start);
    std::string_view authority =
        url.substr(authority_start, authority_end - authority_start);
    require(authority.find('@') == std::string::npos,
            "an accepted target has no user information");

    for (Outcome outcome : certhelp::all_outcomes()) {
        std::string built = certhelp::build_redirect(url, outcome);
        require(built.compare(0, url.size(), url) == 0,
                "the redirect URL starts with the target");
        require(certhelp::check_redirect_target(built).empty(),
                "the redirect URL passes check_redirect_target");
    }
    return 0;
}
