// Tests of the explanation tables for substatus codes, verify codes and TLS
// alerts, and of the parser that picks a table for a written code.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <openssl/x509_vfy.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "certhelp/classify.h"
#include "certhelp/explain.h"

using certhelp::CodeKind;
using certhelp::Explanation;

namespace {

constexpr int kHighestCode = X509_V_ERR_EC_KEY_EXPLICIT_PARAMS;

bool is_printable_ascii(const std::string &text)
{
    for (char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

bool contains(const std::vector<std::string> &lines, const std::string &part)
{
    for (const std::string &line : lines) {
        if (line.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Checks the parts that every explanation must have.
void check_complete(const Explanation &explanation)
{
    BOOST_TEST(!explanation.code.empty());
    BOOST_TEST(!explanation.name.empty());
    BOOST_TEST(!explanation.meaning.empty());
    BOOST_TEST(!explanation.user_steps.empty());
    BOOST_TEST(!explanation.admin_steps.empty());

    std::vector<std::string> texts = {explanation.code, explanation.name,
                                      explanation.meaning};
    for (const auto *list : {&explanation.causes, &explanation.user_steps,
                             &explanation.admin_steps,
                             &explanation.related}) {
        texts.insert(texts.end(), list->begin(), list->end());
    }
    for (const std::string &text : texts) {
        BOOST_TEST(is_printable_ascii(text), "not printable ASCII: " << text);
        BOOST_TEST(!text.empty());
    }
}

std::vector<CodeKind> kinds(const certhelp::ExplainResult &result)
{
    std::vector<CodeKind> list;
    for (const Explanation &explanation : result.explanations) {
        list.push_back(explanation.kind);
    }
    return list;
}

}  // namespace

namespace certhelp {

static std::ostream &operator<<(std::ostream &stream, CodeKind kind)
{
    return stream << code_kind_name(kind);
}

}  // namespace certhelp

BOOST_AUTO_TEST_SUITE(explain)

BOOST_AUTO_TEST_CASE(substatus_table)
{
    for (int substatus : {7, 12, 13, 16, 17}) {
        BOOST_TEST_CONTEXT("403." << substatus)
        {
            std::optional<Explanation> explanation =
                certhelp::explain_substatus(substatus);
            BOOST_TEST_REQUIRE(explanation.has_value());
            BOOST_TEST(explanation->kind == CodeKind::substatus);
            BOOST_TEST(explanation->code == "403." + std::to_string(substatus));
            BOOST_TEST(!explanation->causes.empty());
            check_complete(*explanation);
        }
    }
    for (int substatus : {0, 1, 8, 14, 403}) {
        BOOST_TEST(!certhelp::explain_substatus(substatus).has_value());
    }
}

BOOST_AUTO_TEST_CASE(substatus_related_outcomes_and_alerts)
{
    Explanation expired = *certhelp::explain_substatus(17);
    BOOST_TEST(contains(expired.related, "CertHelp outcome expired"));
    BOOST_TEST(contains(expired.related, "CertHelp outcome not-yet-valid"));
    BOOST_TEST(contains(expired.related, "45 certificate_expired"));
    BOOST_TEST(contains(expired.related, "42 bad_certificate"));

    Explanation missing = *certhelp::explain_substatus(7);
    BOOST_TEST(contains(missing.related, "40 handshake_failure"));
    BOOST_TEST(contains(missing.related, "116 certificate_required"));

    Explanation revoked = *certhelp::explain_substatus(13);
    BOOST_TEST(contains(revoked.related, "(verify code 23)"));
    BOOST_TEST(contains(revoked.related, "44 certificate_revoked"));
}

BOOST_AUTO_TEST_CASE(every_verify_code)
{
    std::set<std::string> names;
    for (int code = 0; code <= kHighestCode; ++code) {
        BOOST_TEST_CONTEXT("verify code " << code)
        {
            std::optional<Explanation> explanation =
                certhelp::explain_verify_code(code);
            BOOST_TEST_REQUIRE(explanation.has_value());
            BOOST_TEST(explanation->kind == CodeKind::verify_code);
            BOOST_TEST(explanation->code == std::to_string(code));
            BOOST_TEST(explanation->name
                       == std::string(certhelp::verify_code_name(code)));
            BOOST_TEST(explanation->meaning.find(
                           certhelp::verify_code_text(code))
                       != std::string::npos);
            check_complete(*explanation);
            names.insert(explanation->name);
        }
    }
    BOOST_TEST(names.size() == static_cast<std::size_t>(kHighestCode + 1));
    BOOST_TEST(!certhelp::explain_verify_code(-1).has_value());
    BOOST_TEST(!certhelp::explain_verify_code(kHighestCode + 1).has_value());
}

BOOST_AUTO_TEST_CASE(verify_code_names)
{
    BOOST_TEST(certhelp::verify_code_name(X509_V_OK) == "X509_V_OK");
    BOOST_TEST(certhelp::verify_code_name(X509_V_ERR_CERT_HAS_EXPIRED)
               == "X509_V_ERR_CERT_HAS_EXPIRED");
    BOOST_TEST(certhelp::verify_code_name(X509_V_ERR_INVALID_PURPOSE)
               == "X509_V_ERR_INVALID_PURPOSE");
    BOOST_TEST(certhelp::verify_code_name(X509_V_ERR_EC_KEY_EXPLICIT_PARAMS)
               == "X509_V_ERR_EC_KEY_EXPLICIT_PARAMS");
    BOOST_TEST(certhelp::verify_code_name(kHighestCode + 1).empty());
}

BOOST_AUTO_TEST_CASE(verify_code_related)
{
    Explanation expired = *certhelp::explain_verify_code(10);
    BOOST_TEST(contains(expired.related,
                        "CertHelp outcome: expired, substatus 403.17"));
    BOOST_TEST(contains(expired.related, "45 certificate_expired"));

    Explanation ok = *certhelp::explain_verify_code(X509_V_OK);
    BOOST_TEST(contains(ok.related, "CertHelp outcome: success"));
    BOOST_TEST(!contains(ok.related, "TLS alert"));
}

BOOST_AUTO_TEST_CASE(alert_table)
{
    const std::vector<std::pair<int, std::string>> expected = {
        {40, "handshake_failure"},      {42, "bad_certificate"},
        {43, "unsupported_certificate"}, {44, "certificate_revoked"},
        {45, "certificate_expired"},     {46, "certificate_unknown"},
        {48, "unknown_ca"},              {51, "decrypt_error"},
        {116, "certificate_required"},
    };
    for (const auto &[alert, name] : expected) {
        BOOST_TEST_CONTEXT("alert " << alert)
        {
            std::optional<Explanation> explanation =
                certhelp::explain_alert(alert);
            BOOST_TEST_REQUIRE(explanation.has_value());
            BOOST_TEST(explanation->kind == CodeKind::tls_alert);
            BOOST_TEST(explanation->name == name);
            BOOST_TEST(certhelp::alert_name(alert) == name);
            BOOST_TEST(!explanation->causes.empty());
            check_complete(*explanation);
        }
    }
    BOOST_TEST(!certhelp::explain_alert(1).has_value());
    BOOST_TEST(!certhelp::explain_alert(255).has_value());
    BOOST_TEST(certhelp::alert_name(255).empty());
}

BOOST_AUTO_TEST_CASE(alert_for_verify_code_mapping)
{
    // The first rows were measured against Debian's apache2 with mod_ssl
    // and OpenSSL 3.0 (docs/outcomes.md); the rest follow OpenSSL's table.
    const std::vector<std::pair<int, int>> expected = {
        {X509_V_ERR_CERT_HAS_EXPIRED, 45},
        {X509_V_ERR_CERT_NOT_YET_VALID, 42},
        {X509_V_ERR_CERT_REVOKED, 44},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 48},
        {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 48},
        {X509_V_ERR_INVALID_PURPOSE, 43},
        {X509_V_ERR_CERT_SIGNATURE_FAILURE, 51},
        {X509_V_ERR_CRL_SIGNATURE_FAILURE, 51},
        {X509_V_ERR_CRL_HAS_EXPIRED, 46},
        {X509_V_ERR_UNABLE_TO_GET_CRL, 48},
        {X509_V_ERR_APPLICATION_VERIFICATION, 40},
        {X509_V_ERR_UNSPECIFIED, 80},
        {X509_V_ERR_OUT_OF_MEM, 80},
        {X509_V_ERR_INVALID_CA, 48},
        {X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, 42},
        {X509_V_ERR_SUBJECT_ISSUER_MISMATCH, 46},
        {X509_V_ERR_KEYUSAGE_NO_CERTSIGN, 46},
    };
    for (const auto &[code, alert] : expected) {
        BOOST_TEST_CONTEXT("verify code " << code)
        {
            std::optional<int> mapped = certhelp::alert_for_verify_code(code);
            BOOST_TEST_REQUIRE(mapped.has_value());
            BOOST_TEST(*mapped == alert);
        }
    }
    BOOST_TEST(!certhelp::alert_for_verify_code(X509_V_OK).has_value());
}

BOOST_AUTO_TEST_CASE(every_code_maps_to_known_alert)
{
    for (int code = 1; code <= kHighestCode; ++code) {
        std::optional<int> alert = certhelp::alert_for_verify_code(code);
        BOOST_TEST_REQUIRE(alert.has_value());
        BOOST_TEST(!certhelp::alert_name(*alert).empty(),
                   "code " << code << " maps to unknown alert " << *alert);
    }
}

BOOST_AUTO_TEST_CASE(verify_codes_for_alert_inverse)
{
    BOOST_TEST(certhelp::verify_codes_for_alert(45) == std::vector<int>{10});
    BOOST_TEST(certhelp::verify_codes_for_alert(44) == std::vector<int>{23});
    BOOST_TEST(certhelp::verify_codes_for_alert(43) == std::vector<int>{26});
    BOOST_TEST((certhelp::verify_codes_for_alert(51)
                == std::vector<int>{7, 8}));
    BOOST_TEST(certhelp::verify_codes_for_alert(116).empty());
}

BOOST_AUTO_TEST_CASE(parse_substatus_forms)
{
    for (const std::string &input :
         {"403.17", " 403.17\n", "expired", "NOT-YET-VALID"}) {
        BOOST_TEST_CONTEXT(input)
        {
            certhelp::ExplainResult result = certhelp::explain_code(input);
            BOOST_TEST_REQUIRE(result.explanations.size() == 1u);
            BOOST_TEST(result.explanations[0].code == "403.17");
            BOOST_TEST(result.error.empty());
        }
    }
    BOOST_TEST(certhelp::explain_code("403.12").explanations.at(0).code
               == "403.12");
    BOOST_TEST(certhelp::explain_code("revocation-unknown")
                   .explanations.at(0)
                   .code
               == "403.16");
}

BOOST_AUTO_TEST_CASE(parse_verify_forms)
{
    for (const std::string &input :
         {"verify:10", "VERIFY:10", "verify: 10", "verify:CERT_HAS_EXPIRED",
          "X509_V_ERR_CERT_HAS_EXPIRED", "cert_has_expired"}) {
        BOOST_TEST_CONTEXT(input)
        {
            certhelp::ExplainResult result = certhelp::explain_code(input);
            BOOST_TEST_REQUIRE(result.explanations.size() == 1u);
            BOOST_TEST(result.explanations[0].kind == CodeKind::verify_code);
            BOOST_TEST(result.explanations[0].code == "10");
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_alert_forms)
{
    for (const std::string &input :
         {"alert:45", "Alert:45", "alert:certificate_expired",
          "certificate expired", "Certificate-Expired"}) {
        BOOST_TEST_CONTEXT(input)
        {
            certhelp::ExplainResult result = certhelp::explain_code(input);
            BOOST_TEST_REQUIRE(result.explanations.size() == 1u);
            BOOST_TEST(result.explanations[0].kind == CodeKind::tls_alert);
            BOOST_TEST(result.explanations[0].code == "45");
        }
    }
    BOOST_TEST(certhelp::explain_code("unknown CA").explanations.at(0).code
               == "48");
}

BOOST_AUTO_TEST_CASE(parse_bare_numbers)
{
    certhelp::ExplainResult both = certhelp::explain_code("45");
    BOOST_TEST((kinds(both)
                == std::vector<CodeKind>{CodeKind::verify_code,
                                         CodeKind::tls_alert}));

    certhelp::ExplainResult alert_only = certhelp::explain_code("116");
    BOOST_TEST(
        (kinds(alert_only) == std::vector<CodeKind>{CodeKind::tls_alert}));

    certhelp::ExplainResult verify_only = certhelp::explain_code("23");
    BOOST_TEST(
        (kinds(verify_only) == std::vector<CodeKind>{CodeKind::verify_code}));
}

BOOST_AUTO_TEST_CASE(parse_errors)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "no code given"},
        {"   ", "no code given"},
        {"403", "HTTP status"},
        {"403.5", "403.5"},
        {"403.x", "403.x"},
        {"verify:95", "95"},
        {"verify:", "verify code"},
        {"alert:999", "999"},
        {"alert:bogus", "bogus"},
        {"999", "999"},
        {"-1", "-1"},
        {"no such code", "no such code"},
    };
    for (const auto &[input, fragment] : cases) {
        BOOST_TEST_CONTEXT("input \"" << input << "\"")
        {
            certhelp::ExplainResult result = certhelp::explain_code(input);
            BOOST_TEST(result.explanations.empty());
            BOOST_TEST(result.error.find(fragment) != std::string::npos,
                       "error: " << result.error);
        }
    }
}

BOOST_AUTO_TEST_CASE(kind_names)
{
    BOOST_TEST(certhelp::code_kind_name(CodeKind::substatus)
               == "IIS substatus");
    BOOST_TEST(certhelp::code_kind_name(CodeKind::verify_code)
               == "OpenSSL verify code");
    BOOST_TEST(certhelp::code_kind_name(CodeKind::tls_alert) == "TLS alert");
}

BOOST_AUTO_TEST_SUITE_END()
