// One HTTPS exchange for "certhelp probe": TCP connection with a deadline,
// TLS handshake with an optional client certificate, one request, and the
// TLS alerts and handshake facts seen on the way.
#ifndef CERTHELP_TOOLS_TLS_PROBE_H
#define CERTHELP_TOOLS_TLS_PROBE_H

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <vector>

#include "certhelp/certificate.h"
#include "http_response.h"
#include "pki_files.h"

namespace certhelp_cli {

struct ProbeSettings {
    std::string host;
    std::string port;
    // Name sent with SNI; empty sends none.
    std::string server_name;
    // Name or IP address the server's certificate must match.
    std::string verify_name;
    // False skips the server certificate check (--insecure).
    bool verify_server = true;
    // Trust anchors for the server's certificate; empty uses OpenSSL's
    // default locations.
    std::vector<CertificatePtr> server_cas;
    // TLS1_2_VERSION or TLS1_3_VERSION to pin the version; 0 allows both.
    int tls_version = 0;
    // Client certificate, its chain and key; no certificate when empty.
    std::vector<CertificatePtr> client_chain;
    KeyPtr client_key;
    // Bytes of the HTTP request.
    std::string request;
    // Limit for the whole exchange, in milliseconds.
    long timeout_ms = 10000;
};

// A fatal TLS alert seen on the connection.
struct Alert {
    int description = 0;
    // OpenSSL's long text, such as "certificate expired".
    std::string text;
};

struct ProbeResult {
    enum class Status {
        // An HTTP response arrived; see `response`.
        response,
        // The server sent a fatal TLS alert; see `server_alert`.
        server_alert,
        // Anything else went wrong; see `failure`.
        failed,
    };
    Status status = Status::failed;
    std::string failure;

    std::optional<Alert> server_alert;
    // True when the alert arrived before the client's handshake finished.
    bool alert_in_handshake = false;
    std::optional<Alert> client_alert;

    bool handshake_done = false;
    std::string tls_version;
    std::string cipher;
    std::string alpn;
    certhelp::CertificateDetails server_certificate;
    // Result of checking the server's certificate (X509_V_OK when valid).
    long server_verify_result = 0;

    // True when the server sent a CertificateRequest.
    bool certificate_requested = false;
    // CA names of the CertificateRequest, RFC 2253, raw.
    std::vector<std::string> accepted_ca_names;
    // True when the client's Certificate message carried a certificate.
    bool client_certificate_sent = false;

    HttpResponse response;
};

// Runs the exchange. Throws InputError when the client certificate and
// key do not fit together; every network or TLS failure is reported in
// the result.
ProbeResult run_probe_exchange(const ProbeSettings &settings);

}  // namespace certhelp_cli

#endif
