// The per-request decision: which outcome a request's connection has, whether
// this location needs a verified certificate, and the 403.x answer.
#include "mod_certhelp.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_ssl.h>

#include <apr_strings.h>

#include <string>

#include "certhelp/render.h"

namespace certhelp_module_internal {

namespace {

// r->notes keys. The denial note marks a request that CertHelp answered, so
// that the internal redirect to its error document is served.
const char note_denied[] = "certhelp-denied";
const char note_passed[] = "certhelp-passed";
const char note_content_type[] = "certhelp-content-type";

const char env_outcome[] = "CERTHELP_OUTCOME";
const char env_substatus[] = "CERTHELP_SUBSTATUS";

const char content_type_filter_name[] = "CERTHELP_CONTENT_TYPE";
ap_filter_rec_t *content_type_filter_handle = nullptr;

enum class Verdict { not_applicable, allow, deny, deny_plain };

struct Decision {
    Verdict verdict;
    certhelp::Outcome outcome;
    // Why, for the log: the SSL_CLIENT_VERIFY value or the OpenSSL error.
    const char *reason;
};

ConnState *existing_conn_state(conn_rec *c) {
    conn_rec *primary = c->master != nullptr ? c->master : c;
    return static_cast<ConnState *>(
        ap_get_module_config(primary->conn_config, &certhelp_module));
}

// Returns the denial note of the request whose CertHelp answer led to `r`
// by internal redirect (ErrorDocument style), looking through subrequests;
// nullptr when `r` is not such an error document.
const char *error_document_origin(request_rec *r) {
    for (request_rec *top = r; top != nullptr; top = top->main) {
        for (request_rec *prev = top->prev; prev != nullptr;
             prev = prev->prev) {
            const char *outcome = apr_table_get(prev->notes, note_denied);
            if (outcome != nullptr) {
                return outcome;
            }
        }
    }
    return nullptr;
}

void set_variables(request_rec *r, certhelp::Outcome outcome) {
    const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
    apr_table_setn(r->subprocess_env, env_outcome, info.name.data());
    if (!info.substatus_text.empty()) {
        apr_table_setn(r->subprocess_env, env_substatus,
                       info.substatus_text.data());
    }
    else {
        apr_table_unset(r->subprocess_env, env_substatus);
    }
}

// Puts the soft-failed verdict back into the SSL object. On TLS 1.2 mod_ssl's
// access checker (ssl_hook_Access_classic in httpd 2.4) calls
// SSL_set_verify_result(ssl, X509_V_OK) on every request of a vhost with
// SSLVerifyClient, and this module's checkers run after it.
void restore_verify_result(const ConnState *state) {
    if (state->ssl != nullptr &&
        SSL_get_verify_result(state->ssl) != state->primary_code) {
        SSL_set_verify_result(state->ssl, state->primary_code);
    }
}

Decision decide(request_rec *r, const DirConfig *conf) {
    ConnState *state = existing_conn_state(r->connection);
    if (state != nullptr && state->soft_failed) {
        const char *reason = apr_pstrdup(
            r->pool,
            certhelp::verify_code_text(state->primary_code).c_str());
        switch (conf->enabled) {
        case switch_on:
            return {Verdict::deny, state->outcome, reason};
        case switch_off:
            return {Verdict::allow, state->outcome, reason};
        default:
            // Fail closed: nothing on this connection reaches content
            // unless the configuration opened the path with CertHelp Off.
            return {Verdict::deny_plain, state->outcome, reason};
        }
    }
    if (conf->enabled == switch_unset) {
        return {Verdict::not_applicable, certhelp::Outcome::success, nullptr};
    }

    const char *verify = ap_ssl_var_lookup(r->pool, r->server, r->connection,
                                           r, "SSL_CLIENT_VERIFY");
    if (verify == nullptr || *verify == '\0') {
        verify = "NONE";  // not a TLS connection: no certificate at all
    }
    certhelp::Outcome outcome = certhelp::classify_verify_string(verify);
    if (conf->enabled == switch_off || outcome == certhelp::Outcome::success) {
        return {Verdict::allow, outcome, verify};
    }
    return {Verdict::deny, outcome, verify};
}

const ErrorTarget *find_target(const DirConfig *conf,
                               certhelp::Outcome outcome) {
    const ErrorTarget *target = &conf->by_outcome[static_cast<int>(outcome)];
    if (target->kind != target_unset) {
        return target;
    }
    int substatus = certhelp::outcome_info(outcome).substatus;
    for (int i = 0; i < substatus_count; ++i) {
        if (substatus_codes[i] == substatus &&
            conf->by_substatus[i].kind != target_unset) {
            return &conf->by_substatus[i];
        }
    }
    if (conf->fallback.kind != target_unset) {
        return &conf->fallback;
    }
    return nullptr;
}

// Installs `text` as the body that ap_die() sends for 403. Unlike
// ap_custom_response(), this keeps a message that starts with a slash or
// looks like a URL a message: httpd reads a leading quote as "send the rest
// as the body".
void set_error_body(request_rec *r, const char *text) {
    auto *conf = static_cast<core_request_config *>(
        ap_get_core_module_config(r->request_config));
    if (conf->response_code_strings == nullptr) {
        conf->response_code_strings = static_cast<char **>(apr_pcalloc(
            r->pool, sizeof(*conf->response_code_strings) * RESPONSE_CODES));
    }
    conf->response_code_strings[ap_index_of_response(HTTP_FORBIDDEN)] =
        apr_pstrcat(r->pool, "\"", text, nullptr);
}

void set_builtin_page(request_rec *r, certhelp::Outcome outcome) {
    const char *accept = apr_table_get(r->headers_in, "Accept");
    certhelp::Format format =
        certhelp::negotiate_format(accept != nullptr ? accept : "");

    certhelp::ResponseContext context;
    context.outcome = outcome;
    context.status = HTTP_FORBIDDEN;
    context.request_path = r->uri != nullptr ? r->uri : "";
    context.server_name =
        r->server->server_hostname != nullptr ? r->server->server_hostname
                                               : "";
    std::string body = certhelp::render(format, context);
    set_error_body(r, apr_pstrmemdup(r->pool, body.data(), body.size()));

    std::string_view type = certhelp::content_type(format);
    apr_table_setn(r->notes, note_content_type,
                   apr_pstrmemdup(r->pool, type.data(), type.size()));
    apr_table_mergen(r->err_headers_out, "Vary", "Accept");
}

int respond(request_rec *r, const DirConfig *conf, const Decision &decision) {
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(decision.outcome);
    set_variables(r, decision.outcome);
    apr_table_setn(r->notes, note_denied, info.name.data());
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");

    if (!r->main) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "CH00001: client certificate request denied: client "
                      "%s, vhost %s, local port %u, outcome %s (%s), reason \"%s\", "
                      "URI \"%s\"",
                      r->useragent_ip, r->server->server_hostname,
                      static_cast<unsigned>(r->connection->local_addr->port), info.name.data(),
                      info.substatus_text.data(),
                      certhelp::log_escape(decision.reason ? decision.reason
                                                           : "")
                          .c_str(),
                      certhelp::log_escape(r->uri ? r->uri : "").c_str());
    }

    const ErrorTarget *target = find_target(conf, decision.outcome);
    TargetKind kind = target != nullptr ? target->kind : target_builtin;
    switch (kind) {
    case target_local:
        ap_custom_response(r, HTTP_FORBIDDEN, target->value);
        break;
    case target_redirect: {
        std::string url =
            certhelp::build_redirect(target->value, decision.outcome);
        ap_custom_response(r, HTTP_FORBIDDEN,
                           apr_pstrmemdup(r->pool, url.data(), url.size()));
        break;
    }
    case target_message:
        set_error_body(r, target->value);
        break;
    default:
        set_builtin_page(r, decision.outcome);
        break;
    }
    return HTTP_FORBIDDEN;
}

int deny_plain(request_rec *r, const Decision &decision) {
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(decision.outcome);
    set_variables(r, decision.outcome);
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    if (!r->main) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "CH00005: request on a connection whose client "
                      "certificate failed verification denied with a plain "
                      "403 because CertHelp is not set here: client %s, "
                      "vhost %s, local port %u, outcome %s (%s), reason \"%s\", URI "
                      "\"%s\"; set CertHelp On for a helpful answer or "
                      "CertHelp Off to serve this path anyway",
                      r->useragent_ip, r->server->server_hostname,
                      static_cast<unsigned>(r->connection->local_addr->port), info.name.data(),
                      info.substatus_text.data(),
                      certhelp::log_escape(decision.reason ? decision.reason
                                                           : "")
                          .c_str(),
                      certhelp::log_escape(r->uri ? r->uri : "").c_str());
    }
    return HTTP_FORBIDDEN;
}

// Decides `r`. Returns DECLINED to let the request go on (never OK: an OK
// from an access checker would satisfy "Satisfy Any" on its own) or
// HTTP_FORBIDDEN with the response prepared for ap_die().
int check_request(request_rec *r) {
    if (ConnState *state = existing_conn_state(r->connection);
        state != nullptr && state->soft_failed) {
        restore_verify_result(state);
    }
    if (const char *origin = error_document_origin(r)) {
        // The error document of a CertHelp answer is always served, so a
        // local target can never loop.
        if (auto outcome = certhelp::parse_outcome(origin)) {
            set_variables(r, *outcome);
        }
        return DECLINED;
    }

    const DirConfig *conf = dir_config(r->per_dir_config);
    Decision decision = decide(r, conf);
    switch (decision.verdict) {
    case Verdict::not_applicable:
        return DECLINED;
    case Verdict::allow:
        set_variables(r, decision.outcome);
        apr_table_setn(r->notes, note_passed, "1");
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "CertHelp %s: outcome %s allowed",
                      switch_name(conf->enabled),
                      certhelp::outcome_info(decision.outcome).name.data());
        return DECLINED;
    case Verdict::deny:
        return respond(r, conf, decision);
    case Verdict::deny_plain:
        return deny_plain(r, decision);
    }
    return HTTP_FORBIDDEN;
}

// Runs after mod_ssl's access checker, so that a per-directory
// SSLVerifyClient can renegotiate first, and before authentication and
// authorization.
extern "C" int access_checker(request_rec *r) {
    try {
        return check_request(r);
    }
    catch (const std::exception &e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "CH00007: internal error while deciding the request, "
                      "denied: %s",
                      e.what());
        return HTTP_FORBIDDEN;
    }
}

// Backstop before any handler: under "Satisfy Any", or when httpd skips the
// access phase for an internal redirect, the access checker's 403 may not
// stop the request, but fixups always run.
extern "C" int fixups(request_rec *r) {
    if (apr_table_get(r->notes, note_passed) != nullptr) {
        return DECLINED;
    }
    return access_checker(r);
}

extern "C" void insert_error_filter(request_rec *r) {
    if (apr_table_get(r->notes, note_content_type) != nullptr) {
        ap_add_output_filter_handle(content_type_filter_handle, nullptr, r,
                                    r->connection);
    }
}

// Sets the negotiated Content-Type of the built-in page: ap_send_error_response
// labels every error body text/html just before writing it.
extern "C" apr_status_t content_type_filter(ap_filter_t *f,
                                            apr_bucket_brigade *bb) {
    const char *type = apr_table_get(f->r->notes, note_content_type);
    if (type != nullptr) {
        ap_set_content_type(f->r, type);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

}  // namespace

void register_request_hooks(apr_pool_t *) {
    static const char *const after_ssl[] = {"mod_ssl.c", nullptr};

    ap_hook_check_access(access_checker, after_ssl, nullptr, APR_HOOK_MIDDLE,
                         AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_fixups(fixups, nullptr, nullptr, APR_HOOK_REALLY_FIRST);
    ap_hook_insert_error_filter(insert_error_filter, nullptr, nullptr,
                                APR_HOOK_MIDDLE);
    content_type_filter_handle = ap_register_output_filter(
        content_type_filter_name, content_type_filter, nullptr,
        AP_FTYPE_CONTENT_SET);
}

}  // namespace certhelp_module_internal
