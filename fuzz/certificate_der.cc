// Fuzzes describe_certificate_der with arbitrary bytes.
// Properties: a non-certificate gives present == false with empty fields.
// The printed names contain no raw CR or LF, because OpenSSL escapes
// control characters. The serial is upper-case hex with an optional '-',
// and a validity time is empty or "YYYY-MM-DDTHH:MM:SSZ".
#include <cstddef>
#include <cstdint>
#include <string>

#include "certhelp/certificate.h"
#include "certhelp/render.h"
#include "fuzz_check.h"

using certhelp_fuzz::require;

namespace {

bool is_time_text(const std::string &text)
{
    if (text.empty()) {
        return true;
    }
    const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != shape.size()) {
        return false;
    }
    for (std::size_t i = 0; i < shape.size(); ++i) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (shape[i] == 'd' ? !digit : text[i] != shape[i]) {
            return false;
        }
    }
    return true;
}

bool is_serial_text(const std::string &text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
        if (!hex && !(i == 0 && c == '-')) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    certhelp::CertificateDetails details =
        certhelp::describe_certificate_der(data, size);
    if (!details.present) {
        require(details.subject.empty() && details.issuer.empty()
                    && details.serial.empty(),
                "a rejected input has no fields");
        return 0;
    }

    for (const std::string *name : {&details.subject, &details.issuer}) {
        require(name->find('\r') == std::string::npos
                    && name->find('\n') == std::string::npos,
                "a printed name has no raw CR or LF");
        // The escapes must accept whatever a certificate carries.
        certhelp::log_escape(*name);
        certhelp::html_escape(*name);
        certhelp::json_escape(*name);
    }
    require(is_serial_text(details.serial), "the serial is upper-case hex");
    require(is_time_text(details.not_before)
                && is_time_text(details.not_after),
            "a validity time is empty or YYYY-MM-DDTHH:MM:SSZ");
    require(details.not_before.empty() == (details.not_before_time == 0)
                || details.not_before == "1970-01-01T00:00:00Z",
            "notBefore text and seconds are set together");
    return 0;
}
