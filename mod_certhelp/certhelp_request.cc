// The per-request decision: which outcome a request's connection has, whether
// this location needs a verified certificate, and the 403.x response.
#include "mod_certhelp.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_ssl.h>

#include <apr_strings.h>

#include <cstdio>
#include <string>

#include "certhelp/render.h"

namespace certhelp_module_internal {

namespace {

// Per-request state shared by this module's hooks, kept in the request's
// module configuration (r->request_config). Every request_rec, internal
// redirects and subrequests included, starts without one.
struct RequestState {
    // Name of the outcome CertHelp denied the request with, so that the
    // internal redirect to its error document is served; nullptr if none.
    const char *denied_outcome;
    // The decision let the request go on, so the fixups backstop skips it.
    bool passed;
    // The fail-closed plain 403 was logged.
    bool plain_denied;
    // Whether the request came with a certificate verified where CertHelp
    // is On. The access checker sets it from its own decision. When that
    // did not run, it is looked up only when a 403 needs it.
    enum class Verified : unsigned char { unknown, yes, no } verified;
    // header_parser saw the request under CertHelp On. A 403 sent before
    // that (mod_rewrite's [F] in the translate phase) stays a plain 403.
    bool header_parsed;
    // The client certificate and verify result when header_parser ran. A
    // change shows a renegotiation or post-handshake authentication since.
    const X509 *header_peer;
    long header_verify_result;
    // The local or redirect 403.12 target was installed.
    bool denied_target_set;
    // Location of the 403.12 redirect target set for this request.
    const char *denied_redirect;
    // Negotiated Content-Type of the built-in page.
    const char *content_type;
};
static_assert(std::is_trivially_destructible<RequestState>::value,
              "RequestState lives in the request pool");

// Returns the state of `r`, nullptr when none of its hooks stored any.
RequestState *existing_request_state(const request_rec *r) {
    return static_cast<RequestState *>(
        ap_get_module_config(r->request_config, &certhelp_module));
}

RequestState *request_state(request_rec *r) {
    RequestState *state = existing_request_state(r);
    if (state == nullptr) {
        state = static_cast<RequestState *>(
            apr_pcalloc(r->pool, sizeof(RequestState)));
        ap_set_module_config(r->request_config, &certhelp_module, state);
    }
    return state;
}

const char env_outcome[] = "CERTHELP_OUTCOME";
const char env_substatus[] = "CERTHELP_SUBSTATUS";
// The substatus number alone ("7", "0" when allowed), for the W3C
// sc-substatus field of IIS-style access logs.
const char env_sc_substatus[] = "CERTHELP_SC_SUBSTATUS";
const char env_expires_in_days[] = "CERTHELP_EXPIRES_IN_DAYS";

constexpr long long seconds_per_day = 24 * 60 * 60;

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

// Returns the denied outcome of the request whose CertHelp response led to
// `r` by internal redirect (ErrorDocument style), looking through
// subrequests. Returns nullptr when `r` is not such an error document.
const char *error_document_origin(request_rec *r) {
    for (request_rec *top = r; top != nullptr; top = top->main) {
        for (request_rec *prev = top->prev; prev != nullptr;
             prev = prev->prev) {
            const RequestState *state = existing_request_state(prev);
            if (state != nullptr && state->denied_outcome != nullptr) {
                return state->denied_outcome;
            }
        }
    }
    return nullptr;
}

// Sets the CERTHELP_* variables. `served` is true when the request goes on
// to its content (CertHelp Off, or success), so the W3C sc-substatus is 0
// as IIS logs it for a served request.
void set_variables(request_rec *r, certhelp::Outcome outcome,
                   bool served = false) {
    const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
    apr_table_setn(r->subprocess_env, env_outcome, info.name.data());
    if (!info.substatus_text.empty()) {
        apr_table_setn(r->subprocess_env, env_substatus,
                       info.substatus_text.data());
    }
    else {
        apr_table_unset(r->subprocess_env, env_substatus);
    }
    apr_table_setn(r->subprocess_env, env_sc_substatus,
                   served ? "0" : apr_itoa(r->pool, info.substatus));
}



// Returns the client's certificate (not owned), nullptr when none.
X509 *peer_certificate(const ConnState *state) {
    return state != nullptr && state->ssl != nullptr
               ? SSL_get0_peer_certificate(state->ssl)
               : nullptr;
}

certhelp::PageDetails *page_details(request_rec *r, const DirConfig *conf) {
    auto *details = new (apr_palloc(r->pool, sizeof(certhelp::PageDetails)))
        certhelp::PageDetails();
    apr_pool_cleanup_register(
        r->pool, details,
        [](void *data) -> apr_status_t {
            static_cast<certhelp::PageDetails *>(data)->~PageDetails();
            return APR_SUCCESS;
        },
        apr_pool_cleanup_null);

    details->disclose = conf->disclosure != disclosure_minimal;
    details->now = static_cast<std::time_t>(apr_time_sec(r->request_time));
    if (!details->disclose) {
        return details;
    }

    const ConnState *state = existing_conn_state(r->connection);
    details->certificate =
        certhelp::describe_certificate(peer_certificate(state));
    if (state != nullptr && state->ssl != nullptr) {
        STACK_OF(X509_NAME) *names = SSL_get_client_CA_list(state->ssl);
        const ServerConfig *server = server_config(r->server);
        if (names != nullptr && names == server->accepted_ca_list) {
            details->accepted_cas.assign(
                server->accepted_ca_names,
                server->accepted_ca_names + server->accepted_ca_count);
        }
        else {
            for (int i = 0; names != nullptr && i < sk_X509_NAME_num(names);
                 ++i) {
                details->accepted_cas.push_back(
                    certhelp::describe_name(sk_X509_NAME_value(names, i)));
            }
        }
    }
    return details;
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

void set_builtin_page(request_rec *r, const DirConfig *conf,
                      certhelp::Outcome outcome) {
    const char *accept = apr_table_get(r->headers_in, "Accept");
    const char *accept_language =
        apr_table_get(r->headers_in, "Accept-Language");
    certhelp::Format format =
        certhelp::negotiate_format(accept != nullptr ? accept : "");

    certhelp::ResponseContext context;
    context.outcome = outcome;
    context.status = HTTP_FORBIDDEN;
    context.request_path = r->uri != nullptr ? r->uri : "";
    context.server_name =
        r->server->server_hostname != nullptr ? r->server->server_hostname
                                               : "";
    context.details = page_details(r, conf);
    context.language = certhelp::negotiate_language(
        accept_language != nullptr ? accept_language : "");
    if (conf->html_template != nullptr) {
        context.html_template = conf->html_template;
        context.parsed_template = conf->parsed_template;
    }
    std::string body = certhelp::render(format, context);
    set_error_body(r, apr_pstrmemdup(r->pool, body.data(), body.size()));

    std::string_view type = certhelp::content_type(format);
    request_state(r)->content_type =
        apr_pstrmemdup(r->pool, type.data(), type.size());
    apr_table_mergen(r->err_headers_out, "Vary", "Accept, Accept-Language");
    apr_table_setn(r->err_headers_out, "Content-Language",
                   apr_pstrmemdup(r->pool, context.language.data(),
                                  context.language.size()));
}

// Logs one denied request at info level: `summary` starts with the tag,
// `advice` (possibly empty) follows the fields.
void log_denial(request_rec *r, const char *summary, const Decision &decision,
                const char *advice) {
    // The level check skips escaping the fields when info is off.
    if (!APLOGrinfo(r)) {
        return;
    }
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(decision.outcome);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "%s: client %s, vhost %s, local port %u, outcome %s (%s), "
                  "reason \"%s\", URI \"%s\"%s",
                  summary, r->useragent_ip, r->server->server_hostname,
                  static_cast<unsigned>(r->connection->local_addr->port),
                  info.name.data(), info.substatus_text.data(),
                  log_value(decision.reason ? decision.reason : "").c_str(),
                  log_value(r->uri ? r->uri : "").c_str(), advice);
}

int respond(request_rec *r, const DirConfig *conf, const Decision &decision) {
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(decision.outcome);
    // Under "Satisfy Any" the fixups backstop denies a request a second
    // time; it is logged once.
    RequestState *state = request_state(r);
    bool logged = state->denied_outcome != nullptr;
    set_variables(r, decision.outcome);
    state->denied_outcome = info.name.data();
    // A request denied for its certificate never gets the 403.12 page.
    state->verified = RequestState::Verified::no;
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");

    if (!r->main && !logged) {
        log_denial(r, "CH00001: client certificate request denied", decision,
                   "");
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
        set_builtin_page(r, conf, decision.outcome);
        break;
    }
    return HTTP_FORBIDDEN;
}

int deny_plain(request_rec *r, const Decision &decision) {
    RequestState *state = request_state(r);
    bool logged = state->plain_denied;
    set_variables(r, decision.outcome);
    state->plain_denied = true;
    state->verified = RequestState::Verified::no;
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    if (!r->main && !logged) {
        log_denial(r,
                   "CH00005: request on a connection whose client "
                   "certificate failed verification denied with a plain "
                   "403 because CertHelp is not set here",
                   decision,
                   "; set CertHelp On for a helpful answer or CertHelp Off "
                   "to serve this path anyway");
    }
    return HTTP_FORBIDDEN;
}

// Sets CERTHELP_EXPIRES_IN_DAYS and the configured header when the verified
// certificate expires within CertHelpExpiryWarning days.
void warn_before_expiry(request_rec *r, const DirConfig *conf) {
    if (conf->expiry_warning_days <= 0) {
        return;
    }
    X509 *cert = peer_certificate(existing_conn_state(r->connection));
    if (cert == nullptr) {
        return;
    }
    int days = 0;
    int seconds = 0;
    if (!ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert))) {
        return;
    }
    if (days > conf->expiry_warning_days || days < 0 || seconds < 0) {
        return;
    }
    const char *value = apr_itoa(r->pool, days);
    apr_table_setn(r->subprocess_env, env_expires_in_days, value);
    apr_table_setn(r->err_headers_out,
                   conf->expiry_header != nullptr ? conf->expiry_header
                                                  : default_expiry_header,
                   value);
}

// Looks up whether `r` came with a verified certificate where CertHelp is
// On. Such a request gets the 403.12 ("denied") response for a 403 from
// authorization, SSLRequire or another module.
bool verified_under_certhelp(request_rec *r) {
    const DirConfig *conf = dir_config(r->per_dir_config);
    if (conf->enabled != switch_on || error_document_origin(r) != nullptr) {
        return false;
    }
    const ConnState *state = existing_conn_state(r->connection);
    if (state != nullptr && state->soft_failed) {
        return false;
    }
    const char *verify = ap_ssl_var_lookup(r->pool, r->server, r->connection,
                                           r, "SSL_CLIENT_VERIFY");
    return verify != nullptr && !strcmp(verify, "SUCCESS");
}

long ssl_verify_result(const ConnState *state) {
    return state != nullptr && state->ssl != nullptr
               ? SSL_get_verify_result(state->ssl)
               : X509_V_OK;
}

// Records what header_parser saw, so that a later lookup can tell whether
// the certificate changed in between.
void note_header_parsed(request_rec *r, RequestState *state) {
    const ConnState *conn = existing_conn_state(r->connection);
    state->header_parsed = true;
    state->header_peer = peer_certificate(conn);
    state->header_verify_result = ssl_verify_result(conn);
}

// Returns whether `r` gets the 403.12 response for a 403. Unless the access
// checker decided it, the result is verified_under_certhelp(r), looked up
// once. A request that header_parser did not see is not verified, and
// neither is one whose certificate changed since (a renegotiation whose
// result mod_ssl's access checker rejected). In neither case could a local
// or redirect target have been set, and every kind of target must give the
// same result.
bool is_verified(request_rec *r) {
    RequestState *state = request_state(r);
    if (state->verified != RequestState::Verified::unknown) {
        return state->verified == RequestState::Verified::yes;
    }
    const ConnState *conn = existing_conn_state(r->connection);
    bool unchanged = state->header_parsed &&
                     state->header_peer == peer_certificate(conn) &&
                     state->header_verify_result == ssl_verify_result(conn);
    state->verified = unchanged && verified_under_certhelp(r)
                          ? RequestState::Verified::yes
                          : RequestState::Verified::no;
    return state->verified == RequestState::Verified::yes;
}

// Sets a local or redirect 403.12 target for a verified request, because
// ap_die() reads it before any error hook runs. header_parser sets it
// before the access checkers run, and CertHelp's access checker after a
// renegotiation. The built-in page and a message are set by
// insert_error_filter only when a 403 happens, so most requests never look
// up SSL_CLIENT_VERIFY for them.
void prepare_denied_target(request_rec *r, const DirConfig *conf) {
    const ErrorTarget *target = find_target(conf, certhelp::Outcome::denied);
    if (target == nullptr ||
        (target->kind != target_local && target->kind != target_redirect)) {
        return;
    }
    RequestState *state = request_state(r);
    if (state->denied_target_set || !is_verified(r)) {
        return;
    }
    state->denied_target_set = true;
    if (target->kind == target_local) {
        ap_custom_response(r, HTTP_FORBIDDEN, target->value);
        return;
    }
    std::string url =
        certhelp::build_redirect(target->value, certhelp::Outcome::denied);
    const char *location = apr_pstrmemdup(r->pool, url.data(), url.size());
    ap_custom_response(r, HTTP_FORBIDDEN, location);
    state->denied_redirect = location;
}

// Tells whether ap_die() sent a verified request the 403.12 response:
// a 403 (built-in page, message or local target) or the 302 to the
// redirect target. mod_ssl's 403 for a renegotiation that HTTP/2 cannot do
// (its note ssl-renegotiate-forbidden) stays a bare 403 so that mod_http2
// sends the HTTP_1_1_REQUIRED reset.
bool answered_denied(request_rec *r) {
    if (r->status != HTTP_FORBIDDEN &&
        r->status != HTTP_MOVED_TEMPORARILY) {
        return false;
    }
    if (apr_table_get(r->notes, "ssl-renegotiate-forbidden") != nullptr) {
        return false;
    }
    if (r->status == HTTP_FORBIDDEN) {
        return is_verified(r);
    }
    const RequestState *state = existing_request_state(r);
    const char *location = apr_table_get(r->headers_out, "Location");
    return state != nullptr && state->denied_redirect != nullptr &&
           location != nullptr && !strcmp(state->denied_redirect, location);
}

void answer_denied(request_rec *r) {
    if (r->status != HTTP_FORBIDDEN || !answered_denied(r)) {
        return;
    }
    RequestState *state = request_state(r);
    if (state->denied_outcome != nullptr) {
        return;
    }
    const DirConfig *conf = dir_config(r->per_dir_config);
    certhelp::Outcome outcome = certhelp::Outcome::denied;
    state->denied_outcome = certhelp::outcome_info(outcome).name.data();
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");

    const ErrorTarget *target = find_target(conf, outcome);
    TargetKind kind = target != nullptr ? target->kind : target_builtin;
    if (kind == target_message) {
        set_error_body(r, target->value);
    }
    else if (kind == target_builtin) {
        set_builtin_page(r, conf, outcome);
    }
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
        // The error document of a CertHelp response is always served, so a
        // local target can never loop.
        if (auto outcome = certhelp::parse_outcome(origin)) {
            set_variables(r, *outcome);
        }
        return DECLINED;
    }
    // The error document of a 403.12 target is decided as usual below, and
    // its variables tell the document why it runs.
    bool denied_document = r->prev != nullptr &&
                           r->prev->status == HTTP_FORBIDDEN &&
                           is_verified(r->prev);
    if (denied_document) {
        set_variables(r, certhelp::Outcome::denied);
        apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    }

    const DirConfig *conf = dir_config(r->per_dir_config);
    Decision decision = decide(r, conf);
    switch (decision.verdict) {
    case Verdict::not_applicable:
        return DECLINED;
    case Verdict::allow: {
        if (!denied_document) {
            set_variables(r, decision.outcome, true);
        }
        RequestState *state = request_state(r);
        state->passed = true;
        if (conf->enabled == switch_on) {
            state->verified =
                decision.outcome == certhelp::Outcome::success
                    ? RequestState::Verified::yes
                    : RequestState::Verified::no;
            // A renegotiation in mod_ssl's access checker may have verified
            // a certificate that header_parser did not see.
            prepare_denied_target(r, conf);
        }
        if (decision.outcome == certhelp::Outcome::success) {
            warn_before_expiry(r, conf);
        }
        // The level check skips the formatting on every allowed request.
        if (APLOGrtrace1(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                          "CertHelp %s: outcome %s allowed",
                          switch_name(conf->enabled),
                          certhelp::outcome_info(decision.outcome).name.data());
        }
        return DECLINED;
    }
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
    const RequestState *state = existing_request_state(r);
    if (state != nullptr && state->passed) {
        return DECLINED;
    }
    return access_checker(r);
}

// Keeps other quick handlers away from soft-failed connections. A quick
// handler such as mod_cache's (CacheQuickHandler On) responds before the
// access phase and so before CertHelp's decision. On such a connection this
// one runs the normal request phases itself, as the core does when every
// quick handler declines (ap_process_async_request in httpd 2.4).
extern "C" int quick_handler(request_rec *r, int lookup) {
    if (lookup || r->main != nullptr) {
        return DECLINED;
    }
    const ConnState *state = existing_conn_state(r->connection);
    if (state == nullptr || !state->soft_failed) {
        return DECLINED;
    }
    int status = ap_process_request_internal(r);
    if (status == OK) {
        status = ap_invoke_handler(r);
    }
    // DECLINED would make the core run every phase a second time.
    return status == DECLINED ? HTTP_INTERNAL_SERVER_ERROR : status;
}

// Records the certificate before any access checker runs, mod_ssl's
// SSLRequire included, and sets a local or redirect 403.12 target.
extern "C" int header_parser(request_rec *r) {
    const DirConfig *conf = dir_config(r->per_dir_config);
    if (conf->enabled == switch_on) {
        note_header_parsed(r, request_state(r));
        // NOTE: a renegotiation for a per-directory SSLVerifyDepth that then
        // fails in mod_ssl's access checker keeps a target set here, so a
        // local or redirect target may still send the 403.12 response. Not
        // tested.
        prepare_denied_target(r, conf);
    }
    return DECLINED;
}

// Records a 403.12 answer in the variables of the original and the final
// request, for mod_log_config (whose %{...}e reads the final request), and
// logs it once. It runs before mod_log_config's transaction hook.
extern "C" int log_transaction(request_rec *r) {
    if (!answered_denied(r)) {
        return DECLINED;
    }
    certhelp::Outcome outcome = certhelp::Outcome::denied;
    const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
    for (request_rec *each = r; each != nullptr; each = each->next) {
        set_variables(each, outcome);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "CH00008: verified client certificate refused by "
                  "authorization: client %s, vhost %s, local port %u, "
                  "outcome %s (%s), status %d, URI \"%s\"",
                  r->useragent_ip, r->server->server_hostname,
                  static_cast<unsigned>(r->connection->local_addr->port),
                  info.name.data(), info.substatus_text.data(), r->status,
                  log_value(r->uri ? r->uri : "").c_str());
    return DECLINED;
}

extern "C" void insert_error_filter(request_rec *r) {
    try {
        answer_denied(r);
    }
    catch (const std::exception &e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "CH00007: internal error while preparing the 403.12 "
                      "answer, plain 403 sent: %s",
                      e.what());
    }
    const RequestState *state = existing_request_state(r);
    if (state != nullptr && state->content_type != nullptr) {
        ap_add_output_filter_handle(content_type_filter_handle, nullptr, r,
                                    r->connection);
    }
}

// Sets the negotiated Content-Type of the built-in page: ap_send_error_response
// labels every error body text/html just before writing it.
extern "C" apr_status_t content_type_filter(ap_filter_t *f,
                                            apr_bucket_brigade *bb) {
    const RequestState *state = existing_request_state(f->r);
    if (state != nullptr && state->content_type != nullptr) {
        ap_set_content_type(f->r, state->content_type);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

}  // namespace

// Escapes a value for a quoted field of an error-log line. httpd escapes
// the whole message again (backslashes doubled, control characters as
// \xNN), so a double quote or backslash is written as \x22 or \x5c here
// rather than with a backslash of its own, and no quote can end a field.
std::string log_value(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (unsigned char c : text) {
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
            char buffer[5];
            std::snprintf(buffer, sizeof(buffer), "\\x%02x", c);
            escaped += buffer;
        }
        else {
            escaped += static_cast<char>(c);
        }
    }
    return escaped;
}

void register_request_hooks(apr_pool_t *) {
    static const char *const after_ssl[] = {"mod_ssl.c", nullptr};

    ap_hook_check_access(access_checker, after_ssl, nullptr, APR_HOOK_MIDDLE,
                         AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_fixups(fixups, nullptr, nullptr, APR_HOOK_REALLY_FIRST);
    ap_hook_header_parser(header_parser, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_quick_handler(quick_handler, nullptr, nullptr,
                          APR_HOOK_REALLY_FIRST);
    ap_hook_log_transaction(log_transaction, nullptr, nullptr,
                            APR_HOOK_REALLY_FIRST);
    ap_hook_insert_error_filter(insert_error_filter, nullptr, nullptr,
                                APR_HOOK_MIDDLE);
    content_type_filter_handle = ap_register_output_filter(
        content_type_filter_name, content_type_filter, nullptr,
        AP_FTYPE_CONTENT_SET);
}

}  // namespace certhelp_module_internal
