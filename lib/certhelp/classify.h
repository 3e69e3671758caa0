// Mapping of OpenSSL verify codes and mod_ssl's SSL_CLIENT_VERIFY values to
// outcomes.
#ifndef CERTHELP_CLASSIFY_H
#define CERTHELP_CLASSIFY_H

#include <string>
#include <string_view>
#include <vector>

#include "certhelp/certificate.h"
#include "certhelp/outcome.h"

namespace certhelp {

// Maps an OpenSSL X509_V_ERR_* code to an outcome. X509_V_OK is success and
// a code this library does not know is `invalid`, never success.
Outcome classify_verify_code(int code);

// Maps mod_ssl's SSL_CLIENT_VERIFY value: "NONE" is missing, "SUCCESS" is
// success, "GENEROUS" is untrusted (CertHelp requires a verified
// certificate), "FAILED:<reason>" is classified by the OpenSSL error string
// in <reason>. Anything else, including an empty value, is `invalid`.
Outcome classify_verify_string(std::string_view ssl_client_verify);

// Rank of a failure in the precedence that picks one outcome for a chain
// with several errors: revoked, untrusted, invalid, expired, not-yet-valid,
// revocation-unknown. A lower rank wins. Denied, missing and success rank
// after every failure, in that order.
int precedence_rank(Outcome outcome);

// One verification error of a certificate chain.
struct VerifyError {
    int code = 0;
    int depth = 0;
    CertificateDetails certificate;
};

// Returns the outcome that wins by precedence over all errors; success when
// `errors` is empty.
Outcome pick_outcome(const std::vector<VerifyError> &errors);

// Returns the error whose outcome won, first by chain order among equals;
// nullptr when `errors` is empty.
const VerifyError *primary_error(const std::vector<VerifyError> &errors);

// Returns OpenSSL's text for a verify code ("certificate has expired").
std::string verify_code_text(int code);

}  // namespace certhelp

#endif
