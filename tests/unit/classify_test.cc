// Tests of the verify-code table, mod_ssl's SSL_CLIENT_VERIFY values and
// the precedence between errors of one chain.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <climits>
#include <ostream>
#include <string>
#include <vector>

#include "certhelp/classify.h"

namespace certhelp {

// Prints outcomes by name in failure messages.
static std::ostream &operator<<(std::ostream &stream, Outcome outcome)
{
    return stream << outcome_info(outcome).name;
}

}  // namespace certhelp

using certhelp::Outcome;
using certhelp::VerifyError;

namespace {

// OpenSSL 3.0 returns this text for every code it does not define.
const std::string kUnknownCodeText = "unknown certificate verification error";

// Returns the highest code that the linked OpenSSL has a text for.
int highest_known_code()
{
    int code = 0;
    while (code < 1000
           && certhelp::verify_code_text(code + 1) != kUnknownCodeText) {
        ++code;
    }
    return code;
}

VerifyError make_error(int code, int depth)
{
    VerifyError error;
    error.code = code;
    error.depth = depth;
    return error;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(classify)

BOOST_AUTO_TEST_CASE(code_choices)
{
    const std::vector<std::pair<int, Outcome>> expected = {
        {X509_V_OK, Outcome::success},
        {X509_V_ERR_CERT_HAS_EXPIRED, Outcome::expired},
        {X509_V_ERR_CERT_NOT_YET_VALID, Outcome::not_yet_valid},
        {X509_V_ERR_CERT_REVOKED, Outcome::revoked},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, Outcome::untrusted},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, Outcome::untrusted},
        {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, Outcome::untrusted},
        {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, Outcome::untrusted},
        {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, Outcome::untrusted},
        {X509_V_ERR_CERT_UNTRUSTED, Outcome::untrusted},
        {X509_V_ERR_CERT_CHAIN_TOO_LONG, Outcome::untrusted},
        {X509_V_ERR_UNABLE_TO_GET_CRL, Outcome::revocation_unknown},
        {X509_V_ERR_CRL_HAS_EXPIRED, Outcome::revocation_unknown},
        {X509_V_ERR_CRL_NOT_YET_VALID, Outcome::revocation_unknown},
        {X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER, Outcome::revocation_unknown},
        {X509_V_ERR_OCSP_VERIFY_NEEDED, Outcome::revocation_unknown},
        {X509_V_ERR_OCSP_VERIFY_FAILED, Outcome::revocation_unknown},
        {X509_V_ERR_OCSP_CERT_UNKNOWN, Outcome::revocation_unknown},
        {X509_V_ERR_APPLICATION_VERIFICATION, Outcome::revocation_unknown},
        {X509_V_ERR_CERT_SIGNATURE_FAILURE, Outcome::invalid},
        {X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, Outcome::invalid},
        {X509_V_ERR_INVALID_PURPOSE, Outcome::invalid},
        {X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE, Outcome::invalid},
        {X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, Outcome::invalid},
        {X509_V_ERR_PERMITTED_VIOLATION, Outcome::invalid},
        {X509_V_ERR_EXCLUDED_VIOLATION, Outcome::invalid},
        {X509_V_ERR_NO_EXPLICIT_POLICY, Outcome::invalid},
        {X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, Outcome::invalid},
        {X509_V_ERR_EE_KEY_TOO_SMALL, Outcome::invalid},
        {X509_V_ERR_OUT_OF_MEM, Outcome::invalid},
        {X509_V_ERR_UNSPECIFIED, Outcome::invalid},
        {X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, Outcome::invalid},
    };
    for (const auto &[code, outcome] : expected) {
        BOOST_TEST_CONTEXT("code " << code)
        {
            BOOST_TEST(certhelp::classify_verify_code(code) == outcome);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_code_classified)
{
    int highest = highest_known_code();

    // The table covers OpenSSL 3.0. A newer OpenSSL with more codes fails
    // here, so that each new code gets its own row.
    BOOST_TEST(highest == X509_V_ERR_EC_KEY_EXPLICIT_PARAMS);

    for (int code = 0; code <= highest; ++code) {
        BOOST_TEST_CONTEXT("code " << code << " ("
                                   << certhelp::verify_code_text(code) << ")")
        {
            Outcome outcome = certhelp::classify_verify_code(code);
            BOOST_TEST((outcome == Outcome::success) == (code == X509_V_OK));
            BOOST_TEST(outcome != Outcome::missing);
            BOOST_TEST(outcome != Outcome::denied);
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_codes_invalid)
{
    const std::vector<int> unknown = {-1, X509_V_ERR_EC_KEY_EXPLICIT_PARAMS + 1,
                                      1000, INT_MAX, INT_MIN};
    for (int code : unknown) {
        BOOST_TEST_CONTEXT("code " << code)
        {
            BOOST_TEST(certhelp::classify_verify_code(code)
                       == Outcome::invalid);
        }
    }
}

BOOST_AUTO_TEST_CASE(code_text)
{
    BOOST_TEST(certhelp::verify_code_text(X509_V_ERR_CERT_HAS_EXPIRED)
               == "certificate has expired");
    BOOST_TEST(certhelp::verify_code_text(X509_V_OK) == "ok");
}

BOOST_AUTO_TEST_CASE(verify_string_forms)
{
    const std::vector<std::pair<std::string, Outcome>> expected = {
        {"NONE", Outcome::missing},
        {"SUCCESS", Outcome::success},
        {"GENEROUS", Outcome::untrusted},
        {"FAILED:certificate has expired", Outcome::expired},
        {"FAILED:certificate is not yet valid", Outcome::not_yet_valid},
        {"FAILED:certificate revoked", Outcome::revoked},
        {"FAILED:unable to get local issuer certificate", Outcome::untrusted},
        {"FAILED:self-signed certificate", Outcome::untrusted},
        {"FAILED:unsuitable certificate purpose", Outcome::invalid},
        {"FAILED:CRL has expired", Outcome::revocation_unknown},
        {"FAILED:unable to get certificate CRL", Outcome::revocation_unknown},
    };
    for (const auto &[value, outcome] : expected) {
        BOOST_TEST_CONTEXT("value '" << value << "'")
        {
            BOOST_TEST(certhelp::classify_verify_string(value) == outcome);
        }
    }
}

BOOST_AUTO_TEST_CASE(verify_string_rejected)
{
    const std::vector<std::string> rejected = {
        "",
        "none",
        "success",
        "Success",
        "SUCCESS ",
        " SUCCESS",
        std::string("SUCCESS\0", 8),
        "SUCCESS:",
        "NONE\n",
        "GENEROUS:x",
        "FAILED",
        "FAILED:",
        "FAILED:ok",
        "FAILED:made up reason",
        "FAILED:certificate has expired ",
        "FAILED: certificate has expired",
        "FAILED:Certificate has expired",
        "failed:certificate has expired",
        "FAILED:unknown certificate verification error",
        "FAILED:Client certificate too long",
    };
    for (const std::string &value : rejected) {
        BOOST_TEST_CONTEXT("value '" << value << "'")
        {
            BOOST_TEST(certhelp::classify_verify_string(value)
                       == Outcome::invalid);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_reason_string)
{
    int highest = highest_known_code();
    for (int code = 1; code <= highest; ++code) {
        std::string value = "FAILED:" + certhelp::verify_code_text(code);
        BOOST_TEST_CONTEXT("value '" << value << "'")
        {
            BOOST_TEST(certhelp::classify_verify_string(value)
                       == certhelp::classify_verify_code(code));
        }
    }
}

BOOST_AUTO_TEST_CASE(precedence_order)
{
    const std::vector<Outcome> order = {
        Outcome::revoked,           Outcome::untrusted,
        Outcome::invalid,           Outcome::expired,
        Outcome::not_yet_valid,     Outcome::revocation_unknown,
        Outcome::denied,            Outcome::missing,
        Outcome::success,
    };
    for (std::size_t i = 1; i < order.size(); ++i) {
        BOOST_TEST_CONTEXT(order[i - 1] << " before " << order[i])
        {
            BOOST_TEST(certhelp::precedence_rank(order[i - 1])
                       < certhelp::precedence_rank(order[i]));
        }
    }
}

BOOST_AUTO_TEST_CASE(denied_never_classified)
{
    const std::vector<std::string> values = {
        "NONE", "SUCCESS", "GENEROUS", "FAILED:", "denied", "DENIED",
        "FAILED:denied", "403.12",
    };
    for (const std::string &value : values) {
        BOOST_TEST_CONTEXT("value '" << value << "'")
        {
            BOOST_TEST(certhelp::classify_verify_string(value)
                       != Outcome::denied);
        }
    }
    for (int code = -1; code <= highest_known_code() + 1; ++code) {
        std::string value = "FAILED:" + certhelp::verify_code_text(code);
        BOOST_TEST_CONTEXT("value '" << value << "'")
        {
            BOOST_TEST(certhelp::classify_verify_string(value)
                       != Outcome::denied);
        }
    }
}

BOOST_AUTO_TEST_CASE(pick_empty)
{
    std::vector<VerifyError> errors;

    BOOST_TEST(certhelp::pick_outcome(errors) == Outcome::success);
    BOOST_TEST(certhelp::primary_error(errors) == nullptr);
}

BOOST_AUTO_TEST_CASE(pick_single)
{
    std::vector<VerifyError> errors = {
        make_error(X509_V_ERR_CERT_HAS_EXPIRED, 0)};

    BOOST_TEST(certhelp::pick_outcome(errors) == Outcome::expired);
    BOOST_TEST(certhelp::primary_error(errors) == &errors[0]);
}

BOOST_AUTO_TEST_CASE(pick_mixed_chains)
{
    struct Case {
        std::vector<VerifyError> errors;
        Outcome outcome;
        std::size_t primary;
    };
    const std::vector<Case> cases = {
        // An expired certificate from an unknown CA.
        {{make_error(X509_V_ERR_CERT_HAS_EXPIRED, 0),
          make_error(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0)},
         Outcome::untrusted, 1},
        // Revoked beats everything, wherever it is in the chain.
        {{make_error(X509_V_ERR_INVALID_PURPOSE, 0),
          make_error(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, 1),
          make_error(X509_V_ERR_CERT_REVOKED, 1)},
         Outcome::revoked, 2},
        // A stale CRL does not hide an expired certificate.
        {{make_error(X509_V_ERR_CRL_HAS_EXPIRED, 0),
          make_error(X509_V_ERR_CERT_HAS_EXPIRED, 0)},
         Outcome::expired, 1},
        {{make_error(X509_V_ERR_CERT_NOT_YET_VALID, 0),
          make_error(X509_V_ERR_CERT_HAS_EXPIRED, 1)},
         Outcome::expired, 1},
        {{make_error(X509_V_ERR_CERT_HAS_EXPIRED, 1),
          make_error(X509_V_ERR_CERT_SIGNATURE_FAILURE, 0)},
         Outcome::invalid, 1},
        {{make_error(X509_V_ERR_UNABLE_TO_GET_CRL, 0),
          make_error(X509_V_ERR_CERT_NOT_YET_VALID, 0)},
         Outcome::not_yet_valid, 1},
        {{make_error(X509_V_ERR_UNABLE_TO_GET_CRL, 0),
          make_error(X509_V_ERR_OCSP_CERT_UNKNOWN, 1)},
         Outcome::revocation_unknown, 0},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        BOOST_TEST_CONTEXT("case " << i)
        {
            const Case &test = cases[i];
            BOOST_TEST(certhelp::pick_outcome(test.errors) == test.outcome);
            BOOST_TEST(certhelp::primary_error(test.errors)
                       == &test.errors[test.primary]);
        }
    }
}

BOOST_AUTO_TEST_CASE(primary_lowest_depth)
{
    std::vector<VerifyError> errors = {
        make_error(X509_V_ERR_CERT_HAS_EXPIRED, 2),
        make_error(X509_V_ERR_CERT_HAS_EXPIRED, 0),
        make_error(X509_V_ERR_CERT_HAS_EXPIRED, 1),
    };

    BOOST_TEST(certhelp::primary_error(errors) == &errors[1]);
}

BOOST_AUTO_TEST_CASE(primary_first_recorded)
{
    std::vector<VerifyError> errors = {
        make_error(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0),
        make_error(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, 0),
    };

    BOOST_TEST(certhelp::primary_error(errors) == &errors[0]);
}

BOOST_AUTO_TEST_CASE(primary_keeps_certificate)
{
    VerifyError error = make_error(X509_V_ERR_CERT_REVOKED, 0);
    error.certificate.present = true;
    error.certificate.subject = "CN=Alice";
    std::vector<VerifyError> errors = {
        make_error(X509_V_ERR_CERT_HAS_EXPIRED, 1), error};

    const VerifyError *primary = certhelp::primary_error(errors);

    BOOST_TEST_REQUIRE(primary != nullptr);
    BOOST_TEST(primary->certificate.subject == "CN=Alice");
}

BOOST_AUTO_TEST_CASE(pick_fails_closed)
{
    // A recorded error always means failure, even with a bogus code.
    std::vector<VerifyError> ok_code = {make_error(X509_V_OK, 0)};
    std::vector<VerifyError> unknown_code = {make_error(9999, 0)};
    std::vector<VerifyError> negative_code = {make_error(-5, 0)};

    BOOST_TEST(certhelp::pick_outcome(ok_code) == Outcome::invalid);
    BOOST_TEST(certhelp::pick_outcome(unknown_code) == Outcome::invalid);
    BOOST_TEST(certhelp::pick_outcome(negative_code) == Outcome::invalid);
}

BOOST_AUTO_TEST_SUITE_END()
