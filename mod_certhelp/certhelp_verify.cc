// Soft-fail: lets a client certificate that fails verification complete the
// TLS handshake, records why it failed, and makes the failure visible to
// mod_ssl and everything after it once the handshake is over.
//
// mod_ssl rejects a failed certificate at two gates: its OpenSSL verify
// callback (ssl_callback_SSLVerify) and its handshake input filter, which
// aborts when SSL_get_verify_result() is not X509_V_OK. This file wraps the
// verify callback from an SSL_CTX-level certificate verification callback
// (mod_ssl never sets one, and it survives the SNI switch of SSL_CTX), clears
// each error it records, and puts the primary error back with
// SSL_set_verify_result() in a connection input filter that sits above
// mod_ssl's and runs right after the handshake completed.
#include "mod_certhelp.h"

#include <http_connection.h>
#include <http_protocol.h>
#include <http_ssl.h>

#include <apr_strings.h>

#include <string>

#include "certhelp/certificate.h"
#include "certhelp/render.h"

namespace certhelp_module_internal {

namespace {

// Index of our slot in X509_STORE_CTX ex_data; allocated once per process.
// A plain int, so it survives httpd's configuration reloads untouched.
int store_ctx_index = -1;

const char handshake_filter_name[] = "CERTHELP_HANDSHAKE";
ap_filter_rec_t *handshake_filter_handle = nullptr;

// Session id context given to the session of a soft-failed handshake. It
// never equals mod_ssl's (an MD5 hex digest of the vhost id), so OpenSSL
// treats any later attempt to resume that session, by session ID or by
// ticket, as a cache miss and runs a full handshake with verification.
const unsigned char failed_session_context[] = "certhelp:verification-failed";

// The five OpenSSL codes that mod_ssl accepts under optional_no_ca
// (ssl_verify_error_is_optional in httpd 2.4's ssl_private.h).
bool is_optional_no_ca_error(int code) {
    return code == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
           code == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
           code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
           code == X509_V_ERR_CERT_UNTRUSTED ||
           code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

// State of one X509_verify_cert() call, reached from the per-certificate
// callback through the store context's ex_data.
struct Verification {
    X509_STORE_CTX_verify_cb mod_ssl_callback;
    const SslFacts *facts;
    std::vector<certhelp::VerifyError> errors;
};

void delete_errors(ConnState *state) {
    delete state->errors;
    state->errors = nullptr;
}

extern "C" apr_status_t cleanup_conn_state(void *data) {
    delete_errors(static_cast<ConnState *>(data));
    return APR_SUCCESS;
}

// Wraps mod_ssl's per-certificate callback. Errors that mod_ssl would accept
// go to mod_ssl unchanged; any other error is recorded and cleared, and the
// certificate is not passed to mod_ssl, which would otherwise store its
// private verify_error and abort the handshake.
extern "C" int verify_certificate(int ok, X509_STORE_CTX *store) {
    auto *verification = static_cast<Verification *>(
        X509_STORE_CTX_get_ex_data(store, store_ctx_index));
    if (verification == nullptr) {
        return ok;
    }
    X509_STORE_CTX_verify_cb next = verification->mod_ssl_callback;
    if (ok) {
        // OpenSSL calls once more with ok=1 for every certificate it has
        // finished with, a failed one included. mod_ssl would then run its
        // OCSP check on a certificate that already failed, and abort the
        // handshake when the responder cannot vouch for it.
        int depth = X509_STORE_CTX_get_error_depth(store);
        for (const certhelp::VerifyError &error : verification->errors) {
            if (error.depth == depth) {
                return 1;
            }
        }
        return next != nullptr ? next(ok, store) : ok;
    }

    int code = X509_STORE_CTX_get_error(store);
    const SslFacts &facts = *verification->facts;
    bool accepted_by_mod_ssl =
        (facts.optional_no_ca && is_optional_no_ca_error(code)) ||
        (facts.no_crl_for_cert_ok && code == X509_V_ERR_UNABLE_TO_GET_CRL);
    if (accepted_by_mod_ssl && next != nullptr) {
        return next(ok, store);
    }

    certhelp::VerifyError error;
    error.code = code != X509_V_OK ? code : X509_V_ERR_UNSPECIFIED;
    error.depth = X509_STORE_CTX_get_error_depth(store);
    error.certificate =
        certhelp::describe_certificate(X509_STORE_CTX_get_current_cert(store));
    verification->errors.push_back(std::move(error));

    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
}

void mark_soft_failed(ConnState *state, SSL *ssl,
                      std::vector<certhelp::VerifyError> &&errors) {
    if (state->errors == nullptr) {
        state->errors = new std::vector<certhelp::VerifyError>();
    }
    state->errors->insert(state->errors->end(),
                          std::make_move_iterator(errors.begin()),
                          std::make_move_iterator(errors.end()));
    state->soft_failed = true;
    state->outcome = certhelp::pick_outcome(*state->errors);
    const certhelp::VerifyError *primary =
        certhelp::primary_error(*state->errors);
    state->primary_code =
        primary != nullptr ? primary->code : X509_V_ERR_UNSPECIFIED;

    // No session of this handshake may ever resume to success: the session
    // that the cache keeps or a ticket carries (TLS 1.2 and 1.3) gets an id
    // context that matches no vhost. Tickets are still sent: without them
    // the server sends nothing after the client's TLS 1.3 Finished, and a
    // client without TCP_NODELAY then delays its first request until a
    // delayed ACK arrives (about 40 ms on Linux, measured with ab).
    SSL_SESSION *session = SSL_get_session(ssl);
    if (session != nullptr) {
        SSL_SESSION_set1_id_context(session, failed_session_context,
                                    sizeof(failed_session_context) - 1);
    }
}

// The SSL_CTX's application verification callback: OpenSSL calls it in place
// of X509_verify_cert() for the whole chain of a client certificate.
extern "C" int verify_chain(X509_STORE_CTX *store, void *arg) {
    auto *server = static_cast<server_rec *>(arg);
    auto *ssl = static_cast<SSL *>(X509_STORE_CTX_get_ex_data(
        store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto *c = ssl != nullptr ? static_cast<conn_rec *>(SSL_get_app_data(ssl))
                             : nullptr;
    if (c == nullptr || c->outgoing || store_ctx_index < 0 ||
        !soft_fail_enabled(server)) {
        return X509_verify_cert(store);
    }

    ConnState *state = conn_state(c);
    if (state->handshake_done) {
        // Renegotiation or post-handshake authentication for a
        // per-directory SSLVerifyClient: mod_ssl decides alone.
        return X509_verify_cert(store);
    }
    state->ssl = ssl;
    state->verify_server = server;

    Verification verification{X509_STORE_CTX_get_verify_cb(store),
                              &server_config(server)->ssl, {}};
    X509_STORE_CTX_set_ex_data(store, store_ctx_index, &verification);
    X509_STORE_CTX_set_verify_cb(store, verify_certificate);

    int result = X509_verify_cert(store);

    X509_STORE_CTX_set_verify_cb(store, verification.mod_ssl_callback);
    X509_STORE_CTX_set_ex_data(store, store_ctx_index, nullptr);

    if (!verification.errors.empty()) {
        mark_soft_failed(state, ssl, std::move(verification.errors));
    }
    return result;
}

std::string describe_errors(const std::vector<certhelp::VerifyError> &errors) {
    std::string text;
    for (const certhelp::VerifyError &error : errors) {
        const certhelp::CertificateDetails &cert = error.certificate;
        text += " [depth " + std::to_string(error.depth) + " error " +
                std::to_string(error.code) + " \"" +
                log_value(certhelp::verify_code_text(error.code)) +
                "\" subject \"" + log_value(cert.subject) +
                "\" issuer \"" + log_value(cert.issuer) +
                "\" serial " + log_value(cert.serial) +
                " notBefore " + log_value(cert.not_before) +
                " notAfter " + log_value(cert.not_after) + "]";
    }
    return text;
}

// Makes a soft-failed verdict visible to mod_ssl and logs it, once the
// handshake is complete. mod_ssl then reports SSL_CLIENT_VERIFY as
// FAILED:<reason> and "Require ssl-verify-client" does not grant.
void finish_handshake(conn_rec *c, ConnState *state) {
    state->handshake_done = true;
    if (!state->soft_failed || state->ssl == nullptr) {
        return;
    }
    SSL_set_verify_result(state->ssl, state->primary_code);

    if (!APLOG_C_IS_LEVEL(c, APLOG_INFO)) {
        return;
    }
    const char *sni =
        SSL_get_servername(state->ssl, TLSEXT_NAMETYPE_host_name);
    server_rec *vhost = state->verify_server;
    std::string errors =
        state->errors != nullptr ? describe_errors(*state->errors) : "";
    const certhelp::OutcomeInfo &info = certhelp::outcome_info(state->outcome);
    ap_log_cerror(
        APLOG_MARK, APLOG_INFO, 0, c,
        "CH00002: client certificate failed verification, handshake "
        "completed for an HTTP answer: client %s, SNI \"%s\", vhost %s, "
        "local port %u, "
        "%s, outcome %s (%s); errors:%s",
        c->client_ip, log_value(sni != nullptr ? sni : "").c_str(),
        log_value(vhost != nullptr && vhost->server_hostname
                                 ? vhost->server_hostname
                                 : "")
            .c_str(),
        static_cast<unsigned>(c->local_addr->port),
        SSL_get_version(state->ssl), info.name.data(),
        info.substatus_text.data(), errors.c_str());
}

// Connection input filter above mod_ssl's: the first read through it drives
// the handshake, and the verdict is applied before any byte of HTTP is
// parsed, for HTTP/1.1 and HTTP/2 alike. It removes itself afterwards.
extern "C" apr_status_t handshake_filter(ap_filter_t *f, apr_bucket_brigade *bb,
                                         ap_input_mode_t mode,
                                         apr_read_type_e block,
                                         apr_off_t readbytes) {
    apr_status_t rv = ap_get_brigade(f->next, bb, mode, block, readbytes);
    auto *state = static_cast<ConnState *>(f->ctx);
    if (rv == APR_SUCCESS && state->ssl != nullptr &&
        SSL_is_init_finished(state->ssl)) {
        finish_handshake(f->c, state);
        ap_remove_input_filter(f);
    }
    return rv;
}

extern "C" int pre_connection(conn_rec *c, void *) {
    if (c->master != nullptr || !ap_ssl_conn_is_ssl(c)) {
        return DECLINED;
    }
    ConnState *state = conn_state(c);
    ap_add_input_filter_handle(handshake_filter_handle, state, nullptr, c);
    return DECLINED;
}

extern "C" int pre_handshake(conn_rec *c, SSL *ssl, int is_proxy) {
    if (!is_proxy && c->master == nullptr) {
        conn_state(c)->ssl = ssl;
    }
    return DECLINED;
}

// Prints the CA names of `ctx`'s certificate request once, so that a page
// for a missing certificate does not print them on every request.
void remember_accepted_cas(server_rec *s, apr_pool_t *p, SSL_CTX *ctx) {
    ServerConfig *conf = server_config(s);
    const STACK_OF(X509_NAME) *names = SSL_CTX_get_client_CA_list(ctx);
    int count = names != nullptr ? sk_X509_NAME_num(names) : 0;
    conf->accepted_ca_list = names;
    conf->accepted_ca_count = count;
    conf->accepted_ca_names = static_cast<const char **>(
        apr_pcalloc(p, sizeof(const char *) * (count > 0 ? count : 1)));
    for (int i = 0; i < count; ++i) {
        std::string name =
            certhelp::describe_name(sk_X509_NAME_value(names, i));
        conf->accepted_ca_names[i] =
            apr_pstrmemdup(p, name.data(), name.size());
    }
}

extern "C" int init_server(server_rec *s, apr_pool_t *p, int is_proxy,
                           SSL_CTX *ctx) {
    if (is_proxy) {
        return DECLINED;  // outgoing connections are never touched
    }
    remember_accepted_cas(s, p, ctx);

    int mode = SSL_CTX_get_verify_mode(ctx);
    if (certhelp_on_anywhere(s)) {
        if (!(mode & SSL_VERIFY_PEER) &&
            !server_config(s)->ssl.per_directory_verify) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "CH00003: CertHelp is On in virtual host %s "
                         "(%s:%u), but its SSLVerifyClient is none, so no "
                         "client certificate is ever requested; set "
                         "\"SSLVerifyClient optional\"",
                         s->server_hostname, s->defn_name, s->defn_line_number);
        }
        else if (mode & SSL_VERIFY_FAIL_IF_NO_PEER_CERT) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "CH00004: CertHelp is On in virtual host %s "
                         "(%s:%u), but its SSLVerifyClient is require, so "
                         "mod_ssl aborts the handshake of a client without "
                         "a certificate before CertHelp can answer 403.7; "
                         "set \"SSLVerifyClient optional\"",
                         s->server_hostname, s->defn_name, s->defn_line_number);
        }
    }

    if (soft_fail_enabled(s)) {
        SSL_CTX_set_cert_verify_callback(ctx, verify_chain, s);
    }
    return DECLINED;
}

extern "C" int post_config(apr_pool_t *, apr_pool_t *, apr_pool_t *,
                           server_rec *s) {
    if (store_ctx_index < 0) {
        store_ctx_index = X509_STORE_CTX_get_ex_new_index(
            0, nullptr, nullptr, nullptr, nullptr);
    }
    if (store_ctx_index < 0) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "CH00006: X509_STORE_CTX_get_ex_new_index failed; "
                     "CertHelpSoftFail cannot work and failed client "
                     "certificates keep ending in a TLS alert");
    }
    read_ssl_facts(s);
    return OK;
}

}  // namespace

ConnState *conn_state(conn_rec *c) {
    auto *state = static_cast<ConnState *>(
        ap_get_module_config(c->conn_config, &certhelp_module));
    if (state == nullptr) {
        state = static_cast<ConnState *>(apr_pcalloc(c->pool, sizeof(*state)));
        state->outcome = certhelp::Outcome::success;
        ap_set_module_config(c->conn_config, &certhelp_module, state);
        apr_pool_cleanup_register(c->pool, state, cleanup_conn_state,
                                  apr_pool_cleanup_null);
    }
    return state;
}

void register_verify_hooks(apr_pool_t *) {
    static const char *const after_ssl[] = {"mod_ssl.c", nullptr};

    // Runs before mod_ssl's post_config, which calls the init_server hook.
    ap_hook_post_config(post_config, nullptr, nullptr, APR_HOOK_FIRST);
    ap_hook_pre_connection(pre_connection, after_ssl, nullptr,
                           APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ssl, init_server, init_server, nullptr, nullptr,
                      APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ssl, pre_handshake, pre_handshake, nullptr, nullptr,
                      APR_HOOK_MIDDLE);

    // One step above mod_ssl's input filter (AP_FTYPE_CONNECTION + 5).
    handshake_filter_handle = ap_register_input_filter(
        handshake_filter_name, handshake_filter, nullptr,
        static_cast<ap_filter_type>(AP_FTYPE_CONNECTION + 4));
}

}  // namespace certhelp_module_internal
