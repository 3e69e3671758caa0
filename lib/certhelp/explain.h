// Plain-language explanations of the codes a client-certificate failure
// shows up as: IIS-style 403 substatus codes, OpenSSL verify codes and TLS
// alerts.
#ifndef CERTHELP_EXPLAIN_H
#define CERTHELP_EXPLAIN_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certhelp {

enum class CodeKind { substatus, verify_code, tls_alert };

// Explanation of one code. Every string is English, ASCII and raw: nothing
// in it comes from a certificate or a request.
struct Explanation {
    CodeKind kind = CodeKind::substatus;
    // The code as written on the command line: "403.17", "10", "45".
    std::string code;
    // Name of the code: "Client certificate expired or not yet valid",
    // "X509_V_ERR_CERT_HAS_EXPIRED", "certificate_expired".
    std::string name;
    // Meaning of the code, in one to three sentences.
    std::string meaning;
    // Likely causes, most common first.
    std::vector<std::string> causes;
    // Steps for the person the certificate was issued to.
    std::vector<std::string> user_steps;
    // Steps for the server's administrator.
    std::vector<std::string> admin_steps;
    // The same failure as the other kinds of code, for example the
    // substatus and the TLS alert of a verify code.
    std::vector<std::string> related;
};

// Returns the name of a kind: "IIS substatus", "OpenSSL verify code",
// "TLS alert".
std::string_view code_kind_name(CodeKind kind);

// Explains an IIS 403 substatus: 7, 12, 13, 16 or 17. Returns nullopt for
// any other number.
std::optional<Explanation> explain_substatus(int substatus);

// Explains an OpenSSL X509_V_* verify code of OpenSSL 3.0 (0 to 94).
// Returns nullopt for a code outside that range.
std::optional<Explanation> explain_verify_code(int code);

// Explains a TLS alert description (RFC 8446, section 6). Returns nullopt
// for a number without a registered alert that this table covers.
std::optional<Explanation> explain_alert(int alert);

// Result of explain_code: one explanation per kind of code that the input
// matches, or the reason why it matches none.
struct ExplainResult {
    std::vector<Explanation> explanations;
    // Empty when `explanations` is not; otherwise what is wrong with the
    // input and what to write instead.
    std::string error;
};

// Explains a code as written by a person. Accepted forms:
// - "403.7", "403.12", "403.13", "403.16", "403.17": a substatus;
// - an outcome name such as "expired": its substatus;
// - "verify:10", "X509_V_ERR_CERT_HAS_EXPIRED", "CERT_HAS_EXPIRED": a
//   verify code;
// - "alert:45", "certificate_expired" (or with spaces): a TLS alert;
// - a bare number such as "45": every kind that has a code of that number,
//   verify code first.
// Prefixes and names are case-insensitive; surrounding white space is
// ignored.
ExplainResult explain_code(std::string_view input);

// Returns the symbolic name of a verify code ("X509_V_ERR_CERT_HAS_EXPIRED",
// "X509_V_OK"); empty for an unknown code.
std::string_view verify_code_name(int code);

// Returns the RFC 8446 name of a TLS alert ("certificate_expired"); empty
// for an alert that this table does not cover.
std::string_view alert_name(int alert);

// Returns the TLS alert that mod_ssl (httpd 2.4) on OpenSSL 3 sends when
// client-certificate verification stops at `code`: OpenSSL's mapping
// (ssl_x509err2alert in ssl/statem/statem_lib.c), except that mod_ssl turns
// an expired CRL (12) into certificate_unknown (46). Returns nullopt for
// X509_V_OK, which sends no alert.
std::optional<int> alert_for_verify_code(int code);

// Returns the verify codes (0 to 94) for which alert_for_verify_code()
// returns `alert`, in ascending order.
std::vector<int> verify_codes_for_alert(int alert);

}  // namespace certhelp

#endif
