// Fuzzes explain_code, the parser of the codes a person types into
// "certhelp explain". Property: every input gets explanations or an error
// message, never both and never neither.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "certhelp/explain.h"
#include "fuzz_check.h"

using certhelp_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view input(reinterpret_cast<const char *>(data), size);
    certhelp::ExplainResult result = certhelp::explain_code(input);
    require(result.explanations.empty() != result.error.empty(),
            "explanations or an error, exactly one of them");
    return 0;
}
