// Private declarations shared by the files of mod_certhelp.
#ifndef MOD_CERTHELP_H
#define MOD_CERTHELP_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <mod_ssl.h>

#include <apr_optional_hooks.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "certhelp/classify.h"
#include "certhelp/outcome.h"
#include "certhelp/page_template.h"

extern "C" {
extern module AP_MODULE_DECLARE_DATA certhelp_module;
}

#ifdef APLOG_USE_MODULE
APLOG_USE_MODULE(certhelp);
#endif

// mod_ssl's optional hooks. Debian's apache2-dev does not ship
// mod_ssl_openssl.h, so the declarations are repeated here with the
// signatures of httpd 2.4 (modules/ssl/mod_ssl_openssl.h); the hook names
// and types must match mod_ssl exactly because they are looked up by name.
extern "C" {
APR_DECLARE_EXTERNAL_HOOK(ssl, SSL, int, init_server,
                          (server_rec * s, apr_pool_t *p, int is_proxy,
                           SSL_CTX *ctx))
APR_DECLARE_EXTERNAL_HOOK(ssl, SSL, int, pre_handshake,
                          (conn_rec * c, SSL *ssl, int is_proxy))
}

namespace certhelp_module_internal {

// Tri-state switch of a directive: an explicit Off must beat an inherited
// On, so "not set here" needs its own value.
enum Switch : int { switch_unset = -1, switch_off = 0, switch_on = 1 };

// Kind of a CertHelpErrorDocument target.
enum TargetKind : int {
    target_unset = 0,
    target_builtin,  // "default": the built-in negotiated page
    target_local,    // a URL-path served by internal redirect
    target_redirect, // an absolute http(s) URL, sent as a 302 redirect
    target_message,  // a string sent as the body
};

struct ErrorTarget {
    TargetKind kind;
    const char *value;
};

// IIS substatus codes that CertHelpErrorDocument accepts as 403.N.
constexpr int substatus_codes[] = {7, 12, 13, 16, 17};
constexpr int substatus_count = sizeof(substatus_codes) / sizeof(int);
constexpr int outcome_count = static_cast<int>(certhelp::Outcome::denied) + 1;

// CertHelpDisclosure values.
enum Disclosure : int {
    disclosure_unset = -1,
    disclosure_minimal = 0,
    disclosure_details = 1,
};

// CertHelpExpiryWarning: days_unset inherits, days_off switches it off.
constexpr int days_unset = -1;
constexpr int days_off = 0;

// Per-directory configuration (also the server's lookup defaults). It lives
// in an APR pool, which never runs destructors.
struct DirConfig {
    Switch enabled;
    ErrorTarget by_outcome[outcome_count];
    ErrorTarget by_substatus[substatus_count];
    ErrorTarget fallback;
    Disclosure disclosure;
    // Contents of the CertHelpTemplate file, checked at startup; nullptr
    // inherits, "" selects the built-in page.
    const char *html_template;
    // html_template parsed at startup, or nullptr for the built-in page. It
    // is freed by a cleanup of the configuration pool.
    const certhelp::ParsedTemplate *parsed_template;
    const char *template_path;
    int expiry_warning_days;
    // Response header that carries the days left; nullptr inherits.
    const char *expiry_header;
};
static_assert(std::is_trivially_destructible<DirConfig>::value,
              "DirConfig lives in an APR pool");

// Facts about a virtual host's mod_ssl settings that mod_ssl keeps private,
// read from the configuration tree at startup.
struct SslFacts {
    bool optional_no_ca;
    bool no_crl_for_cert_ok;
    // SSLVerifyClient appears in a <Location> or <Directory> of the host,
    // so a certificate may be requested after the handshake.
    bool per_directory_verify;
};

// Per-server configuration.
struct ServerConfig {
    Switch soft_fail;
    SslFacts ssl;
    // The CA names that the host's SSL_CTX sends in its certificate
    // request, printed at startup for the pages. A connection whose SSL
    // returns another list (a per-directory SSLCACertificateFile, another
    // host's SSL_CTX) prints its own.
    const STACK_OF(X509_NAME) *accepted_ca_list;
    const char **accepted_ca_names;
    int accepted_ca_count;
};
static_assert(std::is_trivially_destructible<ServerConfig>::value,
              "ServerConfig lives in an APR pool");

// Per-connection state, kept on the TLS (primary) connection. The verify
// errors vector is owned here and freed by a cleanup on the connection pool.
struct ConnState {
    SSL *ssl;
    // The virtual host whose SSL_CTX verified the client certificate.
    server_rec *verify_server;
    // Set once the initial handshake finished; later verifications
    // (renegotiation, TLS 1.3 post-handshake auth) are left to mod_ssl.
    bool handshake_done;
    // Set when a certificate failed verification and the handshake was
    // allowed to complete anyway.
    bool soft_failed;
    certhelp::Outcome outcome;
    int primary_code;
    std::vector<certhelp::VerifyError> *errors;
};

// certhelp_config.cc
extern const command_rec directives[];
extern "C" {
void *create_dir_config(apr_pool_t *p, char *dir);
void *merge_dir_config(apr_pool_t *p, void *base, void *add);
void *create_server_config(apr_pool_t *p, server_rec *s);
void *merge_server_config(apr_pool_t *p, void *base, void *add);
}
DirConfig *dir_config(ap_conf_vector_t *config);
ServerConfig *server_config(server_rec *s);
bool soft_fail_enabled(server_rec *s);
const char *switch_name(Switch value);
void read_ssl_facts(server_rec *main_server);
bool certhelp_on_anywhere(server_rec *s);

// certhelp_verify.cc
void register_verify_hooks(apr_pool_t *p);
ConnState *conn_state(conn_rec *c);

// certhelp_request.cc
void register_request_hooks(apr_pool_t *p);
std::string log_value(std::string_view text);

// certhelp_identity.cc
void register_identity_hooks(apr_pool_t *p);

// Default name of the CertHelpExpiryWarning response header.
constexpr const char default_expiry_header[] = "CertHelp-Expires-In-Days";

}  // namespace certhelp_module_internal

#endif
