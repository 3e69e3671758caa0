// Micro-benchmarks of the library calls that mod_certhelp makes per request
// and per failed handshake. Run with "make bench".
#include <benchmark/benchmark.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certhelp/certificate.h"
#include "certhelp/classify.h"
#include "certhelp/render.h"

namespace {

using certhelp::Format;
using certhelp::Outcome;

// Accept header values of a browser, of curl and of an API client.
constexpr std::string_view kBrowserAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
    "image/webp,*/*;q=0.8";
constexpr std::string_view kCurlAccept = "*/*";
constexpr std::string_view kApiAccept =
    "application/problem+json, application/json;q=0.9, */*;q=0.1";

// A subject as hostile as the integration tests' certificates.
constexpr std::string_view kHostileText =
    "O=<script>alert(\"o\")</script> 'q' 100%s %n \xC3\xA9\xC3\xBC,"
    "CN=Mallory\\0D\\0AInjected: yes <b>&amp;</b> 50% \xE2\x98\x83";

// --- Classification (every request of a CertHelp location) ----------------

void classify_success(benchmark::State &state)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::classify_verify_string("SUCCESS"));
    }
}
BENCHMARK(classify_success);

void classify_none(benchmark::State &state)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::classify_verify_string("NONE"));
    }
}
BENCHMARK(classify_none);

void classify_failed_reason(benchmark::State &state)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::classify_verify_string(
            "FAILED:certificate has expired"));
    }
}
BENCHMARK(classify_failed_reason);

void classify_unknown_reason(benchmark::State &state)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::classify_verify_string(
            "FAILED:some reason that OpenSSL never prints"));
    }
}
BENCHMARK(classify_unknown_reason);

void classify_code(benchmark::State &state)
{
    int code = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::classify_verify_code(code));
        code = (code + 1) % 96;
    }
}
BENCHMARK(classify_code);

void pick_outcome_three_errors(benchmark::State &state)
{
    std::vector<certhelp::VerifyError> errors(3);
    errors[0].code = X509_V_ERR_CERT_HAS_EXPIRED;
    errors[1].code = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
    errors[1].depth = 1;
    errors[2].code = X509_V_ERR_UNABLE_TO_GET_CRL;
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::pick_outcome(errors));
    }
}
BENCHMARK(pick_outcome_three_errors);

// --- Denied requests: negotiation and the built-in page --------------------

void negotiate(benchmark::State &state, std::string_view accept)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::negotiate_format(accept));
    }
}
BENCHMARK_CAPTURE(negotiate, browser, kBrowserAccept);
BENCHMARK_CAPTURE(negotiate, curl, kCurlAccept);
BENCHMARK_CAPTURE(negotiate, api, kApiAccept);
BENCHMARK_CAPTURE(negotiate, empty, std::string_view());

void render_page(benchmark::State &state, Format format)
{
    certhelp::ResponseContext context;
    context.outcome = Outcome::expired;
    context.status = 403;
    context.request_path = "/protected/reports/2024/q3.html";
    context.server_name = "portal.example.org";
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::render(format, context));
    }
}
BENCHMARK_CAPTURE(render_page, html, Format::html);
BENCHMARK_CAPTURE(render_page, json, Format::json);
BENCHMARK_CAPTURE(render_page, text, Format::text);

// The page that mod_certhelp sends for a missing certificate: details
// disclosed, with the CA that the server asks for.
void render_missing_with_details(benchmark::State &state, Format format)
{
    certhelp::PageDetails details;
    details.accepted_cas = {"CN=CertHelp Test Root CA,O=CertHelp Tests"};
    details.now = 1700000000;
    certhelp::ResponseContext context;
    context.outcome = Outcome::missing;
    context.status = 403;
    context.request_path = "/protected/reports/2024/q3.html";
    context.server_name = "portal.example.org";
    context.details = &details;
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::render(format, context));
    }
}
BENCHMARK_CAPTURE(render_missing_with_details, html, Format::html);
BENCHMARK_CAPTURE(render_missing_with_details, json, Format::json);

// The expired page with the certificate's details, in German.
void render_expired_german(benchmark::State &state)
{
    certhelp::PageDetails details;
    details.certificate.present = true;
    details.certificate.subject = "CN=Erika Mustermann,O=Beispiel GmbH";
    details.certificate.issuer = "CN=CertHelp Test Root CA,O=CertHelp Tests";
    details.certificate.serial = "4F2A9C01";
    details.certificate.not_before = "2024-01-01T00:00:00Z";
    details.certificate.not_after = "2024-12-31T23:59:59Z";
    details.certificate.not_before_time = 1704067200;
    details.certificate.not_after_time = 1735689599;
    details.now = 1740000000;
    certhelp::ResponseContext context;
    context.outcome = Outcome::expired;
    context.request_path = "/protected/";
    context.server_name = "portal.example.org";
    context.details = &details;
    context.language = "de";
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::render(Format::html, context));
    }
}
BENCHMARK(render_expired_german);

void render_hostile_html(benchmark::State &state)
{
    certhelp::ResponseContext context;
    context.outcome = Outcome::missing;
    context.request_path = kHostileText;
    context.server_name = kHostileText;
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::render(Format::html, context));
    }
}
BENCHMARK(render_hostile_html);

// --- Escapes (log lines and pages) -----------------------------------------

void escape(benchmark::State &state, std::string (*function)(std::string_view))
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(function(kHostileText));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations())
                            * static_cast<int64_t>(kHostileText.size()));
}
BENCHMARK_CAPTURE(escape, html, certhelp::html_escape);
BENCHMARK_CAPTURE(escape, json, certhelp::json_escape);
BENCHMARK_CAPTURE(escape, log, certhelp::log_escape);
BENCHMARK_CAPTURE(escape, percent, certhelp::percent_encode);

void redirect(benchmark::State &state)
{
    constexpr std::string_view target =
        "https://help.example.org/certificates?lang=en";
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::check_redirect_target(target));
        benchmark::DoNotOptimize(
            certhelp::build_redirect(target, Outcome::expired));
    }
}
BENCHMARK(redirect);

// --- Certificates (once per failed handshake, per chain error) -------------

struct X509Free {
    void operator()(X509 *cert) const { X509_free(cert); }
};

struct KeyFree {
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};

// Makes a self-signed EC P-256 certificate like the test PKI's.
std::unique_ptr<X509, X509Free> make_certificate()
{
    std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
    std::unique_ptr<X509, X509Free> cert(X509_new());
    if (!key || !cert) {
        return nullptr;
    }
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char *>("CertHelp Benchmarks"), -1,
        -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char *>("benchmark client"), -1, -1,
        0);
    X509_set_issuer_name(cert.get(), name);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 0x1234567);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_pubkey(cert.get(), key.get());
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
        return nullptr;
    }
    return cert;
}

void describe(benchmark::State &state)
{
    std::unique_ptr<X509, X509Free> cert = make_certificate();
    if (!cert) {
        state.SkipWithError("could not make a certificate");
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::describe_certificate(cert.get()));
    }
}
BENCHMARK(describe);

void describe_der(benchmark::State &state)
{
    std::unique_ptr<X509, X509Free> cert = make_certificate();
    unsigned char *der = nullptr;
    int length = cert ? i2d_X509(cert.get(), &der) : -1;
    if (length <= 0) {
        state.SkipWithError("could not encode a certificate");
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(certhelp::describe_certificate_der(
            der, static_cast<std::size_t>(length)));
    }
    OPENSSL_free(der);
}
BENCHMARK(describe_der);

}  // namespace

BENCHMARK_MAIN();
