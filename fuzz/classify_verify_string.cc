// Fuzzes classify_verify_string with arbitrary SSL_CLIENT_VERIFY values.
// Property: only the exact value "SUCCESS" is a success and only "NONE" is
// a missing certificate, so no crafted value can fail open.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "certhelp/classify.h"
#include "fuzz_check.h"

using certhelp::Outcome;
using certhelp_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view value(reinterpret_cast<const char *>(data), size);
    Outcome outcome = certhelp::classify_verify_string(value);

    require((outcome == Outcome::success) == (value == "SUCCESS"),
            "success if and only if the value is exactly SUCCESS");
    require((outcome == Outcome::missing) == (value == "NONE"),
            "missing if and only if the value is exactly NONE");

    int rank = certhelp::precedence_rank(outcome);
    require(rank >= 0, "every outcome has a precedence rank");
    return 0;
}
