// "certhelp check": verifies a client certificate the way mod_ssl does for
// a TLS client, records every error with its depth as mod_certhelp does,
// and reports the outcome, the substatus and each error.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "certhelp/certificate.h"
#include "certhelp/classify.h"
#include "certhelp/explain.h"
#include "certhelp/outcome.h"
#include "cli.h"
#include "output.h"
#include "pki_files.h"
#include "timestamp.h"

namespace certhelp_cli {

namespace {

constexpr char kCheckHelp[] =
    R"(Usage: certhelp check --cert FILE --ca FILE [--chain FILE]
                      [--crl FILE] [--at TIME]

Verify a client certificate as mod_ssl does for a TLS client: purpose
"TLS client", the CA certificates of --ca as trust anchors, and revocation
checks of the whole chain when --crl is given. Every verification error is
recorded with its depth in the chain, and the outcome is picked by
mod_certhelp's precedence.

Options:
  --cert FILE   client certificate, PEM or DER. Further certificates in a
                PEM file are the chain the client sends with it.
  --ca FILE     trusted CA certificates (PEM or DER), as in
                SSLCACertificateFile.
  --chain FILE  intermediate CA certificates the client sends (PEM or DER).
  --crl FILE    CRLs (PEM or DER), as in SSLCARevocationFile. Turns on
                revocation checks for every certificate in the chain, as
                "SSLCARevocationCheck chain" does.
  --at TIME     verify at TIME instead of now: seconds since the Unix epoch,
                an ISO 8601 time with a zone (2026-01-31T12:00:00Z,
                2026-01-31T13:00:00+01:00) or a date (2026-01-31, midnight
                UTC).
  -h, --help    show this help.

Exit status: 0 verified, 1 verification failed, 2 invalid option or input
file.
)";

enum OptionId {
    option_cert = 256,
    option_ca,
    option_chain,
    option_crl,
    option_at,
};

const struct option kOptions[] = {
    {"cert", required_argument, nullptr, option_cert},
    {"ca", required_argument, nullptr, option_ca},
    {"chain", required_argument, nullptr, option_chain},
    {"crl", required_argument, nullptr, option_crl},
    {"at", required_argument, nullptr, option_at},
    {"help", no_argument, nullptr, 'h'},
    {nullptr, 0, nullptr, 0},
};

struct CheckOptions {
    std::string cert;
    std::string ca;
    std::string chain;
    std::string crl;
    std::optional<std::time_t> at;
};

// Returns nullopt when --help was given and printed.
std::optional<CheckOptions> parse_options(int argc, char **argv)
{
    OptionParser parser(argc, argv, "check", kOptions);
    CheckOptions options;
    for (int id = parser.next(); id != -1; id = parser.next()) {
        switch (id) {
        case option_cert:
            options.cert = parser.value();
            break;
        case option_ca:
            options.ca = parser.value();
            break;
        case option_chain:
            options.chain = parser.value();
            break;
        case option_crl:
            options.crl = parser.value();
            break;
        case option_at:
            options.at = parse_timestamp(parser.value());
            if (!options.at) {
                throw InputError(
                    "invalid --at time \"" + printable(parser.value())
                    + "\"; expected seconds since the epoch, an ISO 8601 "
                      "time with a zone such as 2026-01-31T12:00:00Z, or a "
                      "date such as 2026-01-31");
            }
            break;
        case 'h':
            std::cout << kCheckHelp;
            return std::nullopt;
        }
    }

    std::vector<std::string> operands = parser.operands();
    if (!operands.empty()) {
        throw InputError("unexpected argument \"" + printable(operands[0])
                         + "\"; run \"certhelp check --help\"");
    }
    if (options.cert.empty()) {
        throw InputError("missing --cert FILE, the client certificate to "
                         "check");
    }
    if (options.ca.empty()) {
        throw InputError("missing --ca FILE, the trusted CA certificates "
                         "(the server's SSLCACertificateFile)");
    }
    return options;
}

struct StoreFree {
    void operator()(X509_STORE *store) const { X509_STORE_free(store); }
};
struct StoreCtxFree {
    void operator()(X509_STORE_CTX *ctx) const { X509_STORE_CTX_free(ctx); }
};
struct StackFree {
    void operator()(STACK_OF(X509) *stack) const { sk_X509_free(stack); }
};
struct SslCtxFree {
    void operator()(SSL_CTX *ctx) const { SSL_CTX_free(ctx); }
};

// Inputs of one verification, loaded from the files.
struct CheckInputs {
    std::vector<CertificatePtr> cert_file;
    std::vector<CertificatePtr> chain;
    std::vector<CertificatePtr> anchors;
    std::vector<CrlPtr> crls;
};

struct CheckResult {
    std::vector<certhelp::VerifyError> errors;
    // The chain OpenSSL built, leaf first; partial when building failed.
    std::vector<certhelp::CertificateDetails> chain;
};

// Slot of the error list in the X509_STORE_CTX's ex_data.
int error_list_index()
{
    static const int index =
        X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr,
                                        nullptr);
    return index;
}

// Records an error with its depth and lets verification go on, so that
// every error of the chain is seen, as mod_certhelp's soft-fail does.
extern "C" int record_error(int ok, X509_STORE_CTX *store)
{
    if (ok) {
        return ok;
    }
    auto *errors = static_cast<std::vector<certhelp::VerifyError> *>(
        X509_STORE_CTX_get_ex_data(store, error_list_index()));
    if (errors == nullptr) {
        return 0;
    }
    int code = X509_STORE_CTX_get_error(store);
    certhelp::VerifyError error;
    error.code = code != X509_V_OK ? code : X509_V_ERR_UNSPECIFIED;
    error.depth = X509_STORE_CTX_get_error_depth(store);
    error.certificate =
        certhelp::describe_certificate(X509_STORE_CTX_get_current_cert(store));
    errors->push_back(std::move(error));
    return 1;
}

// Returns the security level that OpenSSL's configuration gives a new TLS
// server context (2 on Debian 12). libssl passes it to certificate
// verification as the authentication level, which rejects small keys and
// weak digests.
int server_security_level()
{
    std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_server_method()));
    int level = ctx ? SSL_CTX_get_security_level(ctx.get()) : 1;
    ERR_clear_error();
    return level;
}

CheckResult verify(const CheckInputs &inputs, const CheckOptions &options)
{
    std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
    std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
    std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
    if (!store || !ctx || !untrusted) {
        throw std::runtime_error("out of memory");
    }

    for (const CertificatePtr &anchor : inputs.anchors) {
        X509_STORE_add_cert(store.get(), anchor.get());
    }
    for (const CrlPtr &crl : inputs.crls) {
        X509_STORE_add_crl(store.get(), crl.get());
    }
    // The stack borrows the certificates, which outlive it.
    for (std::size_t i = 1; i < inputs.cert_file.size(); ++i) {
        sk_X509_push(untrusted.get(), inputs.cert_file[i].get());
    }
    for (const CertificatePtr &cert : inputs.chain) {
        sk_X509_push(untrusted.get(), cert.get());
    }
    ERR_clear_error();

    X509 *leaf = inputs.cert_file.front().get();
    if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get())
        != 1) {
        throw std::runtime_error("cannot set up the verification: "
                                 + std::string(ERR_reason_error_string(
                                     ERR_peek_last_error())));
    }

    // A TLS server verifies client certificates with the "ssl_client"
    // defaults: purpose and trust for TLS clients.
    X509_STORE_CTX_set_default(ctx.get(), "ssl_client");
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_auth_level(param, server_security_level());
    if (!inputs.crls.empty()) {
        X509_VERIFY_PARAM_set_flags(
            param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    }
    if (options.at) {
        X509_VERIFY_PARAM_set_time(param, *options.at);
    }

    CheckResult result;
    X509_STORE_CTX_set_ex_data(ctx.get(), error_list_index(), &result.errors);
    X509_STORE_CTX_set_verify_cb(ctx.get(), record_error);

    int verified = X509_verify_cert(ctx.get());

    // A failure that reached no callback still fails, never succeeds.
    if (verified <= 0 && result.errors.empty()) {
        certhelp::VerifyError error;
        int code = X509_STORE_CTX_get_error(ctx.get());
        error.code = code != X509_V_OK ? code : X509_V_ERR_UNSPECIFIED;
        error.depth = X509_STORE_CTX_get_error_depth(ctx.get());
        result.errors.push_back(std::move(error));
    }

    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx.get());
    for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
        result.chain.push_back(
            certhelp::describe_certificate(sk_X509_value(chain, i)));
    }
    ERR_clear_error();
    return result;
}

void print_error(std::ostream &out, std::size_t number,
                 const certhelp::VerifyError &error, bool primary)
{
    certhelp::Outcome outcome = certhelp::classify_verify_code(error.code);
    std::string line = std::to_string(number) + ". depth "
                       + std::to_string(error.depth) + ": error "
                       + std::to_string(error.code);
    std::string_view name = certhelp::verify_code_name(error.code);
    if (!name.empty()) {
        line += " ";
        line += name;
    }
    line += " \"" + certhelp::verify_code_text(error.code) + "\" (outcome "
            + std::string(certhelp::outcome_info(outcome).name);
    line += primary ? ", primary)" : ")";
    out << "  " << line << '\n';
    if (error.certificate.present) {
        print_certificate(out, error.certificate, 5);
    }
}

void print_report(std::ostream &out, const CheckOptions &options,
                  const CheckInputs &inputs, const CheckResult &result)
{
    certhelp::Outcome outcome = certhelp::pick_outcome(result.errors);
    const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
    const certhelp::VerifyError *primary =
        certhelp::primary_error(result.errors);

    out << (result.errors.empty() ? "Verified" : "Verification failed")
        << ": " << printable(options.cert) << "\n\n";

    out << "Certificate\n";
    print_certificate(
        out, certhelp::describe_certificate(inputs.cert_file.front().get()),
        2);
    std::size_t sent = inputs.cert_file.size() - 1 + inputs.chain.size();
    print_field(out, "chain sent",
                std::to_string(sent) + " CA certificate(s) from --cert and "
                                       "--chain",
                2);
    out << '\n';

    std::time_t when = options.at ? *options.at : std::time(nullptr);
    print_field(out, "Checked at",
                format_timestamp(when) + (options.at ? " (--at)" : " (now)"));
    print_field(out, "Trusted CAs",
                std::to_string(inputs.anchors.size())
                    + " certificate(s) from --ca");
    print_field(out, "Revocation",
                inputs.crls.empty()
                    ? std::string("not checked (no --crl)")
                    : std::to_string(inputs.crls.size())
                          + " CRL(s) from --crl, every certificate of the "
                            "chain checked");
    print_field(out, "Outcome", info.name);
    print_field(out, "Substatus",
                info.substatus_text.empty()
                    ? std::string("none")
                    : std::string(info.substatus_text) + " "
                          + std::string(info.title));

    if (!result.errors.empty()) {
        // mod_ssl stops at the first error, so its alert comes from that
        // one, not from the primary error.
        std::optional<int> alert =
            certhelp::alert_for_verify_code(result.errors.front().code);
        if (alert) {
            std::string text = std::to_string(*alert) + " "
                               + std::string(certhelp::alert_name(*alert))
                               + " (what mod_ssl sends with CertHelpSoftFail "
                                 "Off)";
            print_field(out, "TLS alert", text);
        }
        out << "\nErrors, in the order OpenSSL reported them:\n";
        for (std::size_t i = 0; i < result.errors.size(); ++i) {
            print_error(out, i + 1, result.errors[i],
                        &result.errors[i] == primary);
        }
        out << '\n';
        print_wrapped(out, std::string(info.explanation), 0);
        out << "\nFor causes and fixes: certhelp explain "
            << info.substatus_text;
        if (primary != nullptr) {
            out << ", certhelp explain verify:" << primary->code;
        }
        out << '\n';
        return;
    }

    out << "\nChain, leaf first:\n";
    for (std::size_t depth = 0; depth < result.chain.size(); ++depth) {
        out << "  depth " << depth << '\n';
        print_certificate(out, result.chain[depth], 5);
    }
}

}  // namespace

int run_check(int argc, char **argv)
{
    std::optional<CheckOptions> options = parse_options(argc, argv);
    if (!options) {
        return exit_ok;
    }

    CheckInputs inputs;
    inputs.cert_file = read_certificates(options->cert, "--cert");
    inputs.anchors = read_certificates(options->ca, "--ca");
    if (!options->chain.empty()) {
        inputs.chain = read_certificates(options->chain, "--chain");
    }
    if (!options->crl.empty()) {
        inputs.crls = read_crls(options->crl, "--crl");
    }

    CheckResult result = verify(inputs, *options);
    print_report(std::cout, *options, inputs, result);
    return result.errors.empty() ? exit_ok : exit_rejected;
}

}  // namespace certhelp_cli
