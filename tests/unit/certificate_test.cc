// Tests of certificate details, on certificates built here with OpenSSL.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "certhelp/certificate.h"

namespace {

struct X509Free {
    void operator()(X509 *cert) const { X509_free(cert); }
};
struct KeyFree {
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct BignumFree {
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};
struct IntegerFree {
    void operator()(ASN1_INTEGER *number) const { ASN1_INTEGER_free(number); }
};

using CertPtr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

// Name entries as (field, UTF-8 value) in DER order. RFC 2253 prints them
// in reverse order.
using NameEntries = std::vector<std::pair<std::string, std::string>>;

struct CertSpec {
    NameEntries subject = {{"O", "Example Org"}, {"CN", "Alice Example"}};
    NameEntries issuer = {{"O", "Example Org"}, {"CN", "Example CA"}};
    std::string serial_hex = "0123456789ABCDEF";
    bool negative_serial = false;
    // ASN1_TIME_set_string_X509 input: UTCTime before 2050, else
    // GeneralizedTime.
    std::string not_before = "20250102030405Z";
    std::string not_after = "20601231235959Z";
};

KeyPtr make_key()
{
    KeyPtr key(EVP_EC_gen("P-256"));
    BOOST_TEST_REQUIRE(key.get() != nullptr);
    return key;
}

void fill_name(X509_NAME *name, const NameEntries &entries)
{
    for (const auto &[field, value] : entries) {
        // V_ASN1_UTF8STRING instead of MBSTRING_UTF8 skips OpenSSL's
        // length limits, so oversized names can be built.
        int added = X509_NAME_add_entry_by_txt(
            name, field.c_str(), V_ASN1_UTF8STRING,
            reinterpret_cast<const unsigned char *>(value.data()),
            static_cast<int>(value.size()), -1, 0);
        BOOST_TEST_REQUIRE(added == 1);
    }
}

void set_serial(X509 *cert, const CertSpec &spec)
{
    BIGNUM *raw = nullptr;
    BOOST_TEST_REQUIRE(BN_hex2bn(&raw, spec.serial_hex.c_str()) > 0);
    std::unique_ptr<BIGNUM, BignumFree> number(raw);
    BN_set_negative(number.get(), spec.negative_serial ? 1 : 0);

    std::unique_ptr<ASN1_INTEGER, IntegerFree> serial(
        BN_to_ASN1_INTEGER(number.get(), nullptr));
    BOOST_TEST_REQUIRE(serial.get() != nullptr);
    BOOST_TEST_REQUIRE(X509_set_serialNumber(cert, serial.get()) == 1);
}

CertPtr build_certificate(const CertSpec &spec)
{
    KeyPtr key = make_key();
    CertPtr cert(X509_new());
    BOOST_TEST_REQUIRE(cert.get() != nullptr);

    BOOST_TEST_REQUIRE(X509_set_version(cert.get(), X509_VERSION_3) == 1);
    set_serial(cert.get(), spec);
    fill_name(X509_get_subject_name(cert.get()), spec.subject);
    fill_name(X509_get_issuer_name(cert.get()), spec.issuer);
    BOOST_TEST_REQUIRE(ASN1_TIME_set_string_X509(
                           X509_getm_notBefore(cert.get()),
                           spec.not_before.c_str())
                       == 1);
    BOOST_TEST_REQUIRE(ASN1_TIME_set_string_X509(
                           X509_getm_notAfter(cert.get()),
                           spec.not_after.c_str())
                       == 1);
    BOOST_TEST_REQUIRE(X509_set_pubkey(cert.get(), key.get()) == 1);
    BOOST_TEST_REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
    return cert;
}

std::vector<unsigned char> to_der(X509 *cert)
{
    unsigned char *buffer = nullptr;
    int length = i2d_X509(cert, &buffer);
    BOOST_TEST_REQUIRE(length > 0);
    std::vector<unsigned char> der(buffer, buffer + length);
    OPENSSL_free(buffer);
    return der;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(certificate)

BOOST_AUTO_TEST_CASE(null_certificate)
{
    certhelp::CertificateDetails details =
        certhelp::describe_certificate(nullptr);

    BOOST_TEST(!details.present);
    BOOST_TEST(details.subject.empty());
    BOOST_TEST(details.serial.empty());
    BOOST_TEST(details.not_after_time == 0);
}

BOOST_AUTO_TEST_CASE(basic_fields)
{
    CertPtr cert = build_certificate(CertSpec{});

    certhelp::CertificateDetails details =
        certhelp::describe_certificate(cert.get());

    BOOST_TEST(details.present);
    BOOST_TEST(details.subject == "CN=Alice Example,O=Example Org");
    BOOST_TEST(details.issuer == "CN=Example CA,O=Example Org");
    BOOST_TEST(details.serial == "0123456789ABCDEF");
    BOOST_TEST(details.not_before == "2025-01-02T03:04:05Z");
    BOOST_TEST(details.not_after == "2060-12-31T23:59:59Z");
    BOOST_TEST(details.not_before_time == 1735787045);
    BOOST_TEST(details.not_after_time == 2871763199);
}

BOOST_AUTO_TEST_CASE(utc_and_generalized_time)
{
    CertSpec spec;
    spec.not_before = "20491231235959Z";
    spec.not_after = "20500101000000Z";
    CertPtr cert = build_certificate(spec);

    certhelp::CertificateDetails details =
        certhelp::describe_certificate(cert.get());

    BOOST_TEST(details.not_before == "2049-12-31T23:59:59Z");
    BOOST_TEST(details.not_after == "2050-01-01T00:00:00Z");
    BOOST_TEST(details.not_before_time == 2524607999);
    BOOST_TEST(details.not_after_time == 2524608000);
}

BOOST_AUTO_TEST_CASE(long_serial)
{
    CertSpec spec;
    spec.serial_hex = "7FEEDDCCBBAA99887766554433221100FFEEDDCC";
    CertPtr cert = build_certificate(spec);

    certhelp::CertificateDetails details =
        certhelp::describe_certificate(cert.get());

    BOOST_TEST(details.serial == "7FEEDDCCBBAA99887766554433221100FFEEDDCC");
}

BOOST_AUTO_TEST_CASE(small_serial_padded)
{
    CertSpec spec;
    spec.serial_hex = "A";
    CertPtr cert = build_certificate(spec);

    BOOST_TEST(certhelp::describe_certificate(cert.get()).serial == "0A");
}

BOOST_AUTO_TEST_CASE(negative_serial)
{
    CertSpec spec;
    spec.serial_hex = "1F";
    spec.negative_serial = true;
    CertPtr cert = build_certificate(spec);

    BOOST_TEST(certhelp::describe_certificate(cert.get()).serial == "-1F");
}

BOOST_AUTO_TEST_CASE(hostile_subject)
{
    CertSpec spec;
    spec.subject = {
        {"L", "Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC"},
        {"O", "line\r\nInjected: yes"},
        {"CN", "<script>alert(\"x\")</script>"},
    };
    CertPtr cert = build_certificate(spec);

    std::string subject = certhelp::describe_certificate(cert.get()).subject;

    // RFC 2253 escapes '<', '>', '"' and control characters with a
    // backslash, but keeps UTF-8 as it is. HTML escaping is the caller's job.
    BOOST_TEST(subject
               == "CN=\\<script\\>alert(\\\"x\\\")\\</script\\>,"
                  "O=line\\0D\\0AInjected: yes,"
                  "L=Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC");
    BOOST_TEST(!contains(subject, "\r"));
    BOOST_TEST(!contains(subject, "\n"));
}

BOOST_AUTO_TEST_CASE(rfc2253_special_characters)
{
    CertSpec spec;
    spec.subject = {{"CN", "Doe, John+Jane=#1;"}};
    CertPtr cert = build_certificate(spec);

    BOOST_TEST(certhelp::describe_certificate(cert.get()).subject
               == "CN=Doe\\, John\\+Jane=#1\\;");
}

BOOST_AUTO_TEST_CASE(long_organisation)
{
    CertSpec spec;
    std::string organisation(2048, 'A');
    spec.subject = {{"O", organisation}};
    CertPtr cert = build_certificate(spec);

    std::string subject = certhelp::describe_certificate(cert.get()).subject;

    BOOST_TEST(subject.size() == 2050U);
    BOOST_TEST(subject == "O=" + organisation);
}

BOOST_AUTO_TEST_CASE(empty_fields)
{
    // A fresh X509 object has empty names, an empty serial (read as 0) and
    // times without content.
    CertPtr cert(X509_new());
    BOOST_TEST_REQUIRE(cert.get() != nullptr);

    certhelp::CertificateDetails details =
        certhelp::describe_certificate(cert.get());

    BOOST_TEST(details.present);
    BOOST_TEST(details.subject.empty());
    BOOST_TEST(details.issuer.empty());
    BOOST_TEST(details.serial == "0");
    BOOST_TEST(details.not_before.empty());
    BOOST_TEST(details.not_after.empty());
    BOOST_TEST(details.not_before_time == 0);
    BOOST_TEST(details.not_after_time == 0);
}

BOOST_AUTO_TEST_CASE(der_round_trip)
{
    CertPtr cert = build_certificate(CertSpec{});
    std::vector<unsigned char> der = to_der(cert.get());

    certhelp::CertificateDetails details =
        certhelp::describe_certificate_der(der.data(), der.size());

    BOOST_TEST(details.present);
    BOOST_TEST(details.subject == "CN=Alice Example,O=Example Org");
    BOOST_TEST(details.serial == "0123456789ABCDEF");
    BOOST_TEST(details.not_after == "2060-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(garbage_der)
{
    const std::string garbage = "-----BEGIN CERTIFICATE-----\nnot DER\n";
    const auto *bytes = reinterpret_cast<const unsigned char *>(garbage.data());
    const unsigned char bogus_sequence[] = {0x30, 0x82, 0xff, 0xff, 0x00};

    BOOST_TEST(!certhelp::describe_certificate_der(bytes, garbage.size())
                    .present);
    BOOST_TEST(!certhelp::describe_certificate_der(bogus_sequence,
                                                   sizeof bogus_sequence)
                    .present);
    BOOST_TEST(!certhelp::describe_certificate_der(nullptr, 0).present);
    BOOST_TEST(!certhelp::describe_certificate_der(nullptr, 100).present);
    BOOST_TEST(!certhelp::describe_certificate_der(bytes, 0).present);
}

BOOST_AUTO_TEST_CASE(truncated_der)
{
    CertPtr cert = build_certificate(CertSpec{});
    std::vector<unsigned char> der = to_der(cert.get());

    const std::vector<std::size_t> lengths = {1, der.size() / 2,
                                              der.size() - 1};
    for (std::size_t length : lengths) {
        BOOST_TEST_CONTEXT("length " << length)
        {
            BOOST_TEST(
                !certhelp::describe_certificate_der(der.data(), length)
                     .present);
        }
    }
}

BOOST_AUTO_TEST_CASE(trailing_bytes_rejected)
{
    CertPtr cert = build_certificate(CertSpec{});
    std::vector<unsigned char> der = to_der(cert.get());
    der.push_back(0x00);

    BOOST_TEST(!certhelp::describe_certificate_der(der.data(), der.size())
                    .present);
}

BOOST_AUTO_TEST_CASE(error_queue_untouched)
{
    const unsigned char garbage[] = {0x30, 0x03, 0x02, 0x01};
    ERR_clear_error();

    certhelp::describe_certificate_der(garbage, sizeof garbage);

    BOOST_TEST(ERR_peek_error() == 0UL);
}

BOOST_AUTO_TEST_CASE(error_queue_kept)
{
    const unsigned char garbage[] = {0x30, 0x03, 0x02, 0x01};
    ERR_clear_error();
    ERR_raise(ERR_LIB_USER, 42);
    unsigned long before = ERR_peek_last_error();

    certhelp::describe_certificate_der(garbage, sizeof garbage);

    BOOST_TEST(ERR_peek_last_error() == before);
    ERR_clear_error();
}

BOOST_AUTO_TEST_CASE(describe_name_matches_subject)
{
    std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> name(
        X509_NAME_new(), X509_NAME_free);
    fill_name(name.get(), {{"O", "Example CA"}, {"CN", "Root <1>"}});

    // RFC 2253 lists the most specific element first and escapes < and >.
    BOOST_TEST(certhelp::describe_name(name.get()) ==
               "CN=Root \\<1\\>,O=Example CA");
}

BOOST_AUTO_TEST_CASE(describe_name_null)
{
    BOOST_TEST(certhelp::describe_name(nullptr).empty());
}

BOOST_AUTO_TEST_SUITE_END()
