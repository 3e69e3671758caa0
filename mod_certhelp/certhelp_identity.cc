// Keeps a soft-failed certificate from passing for a verified one inside
// mod_ssl's own access checker, where the module's other hooks cannot act.
//
// On TLS 1.2 mod_ssl's access checker (ssl_hook_Access in httpd 2.4) first
// resets the connection's verify result to X509_V_OK and then evaluates
// SSLRequire in the same call, so %{SSL_CLIENT_VERIFY} would read SUCCESS
// there. Expressions bind their variables when the configuration is read,
// through the expr_lookup hook. This file binds SSL_CLIENT_VERIFY and the
// SSL() function ahead of mod_ssl and returns FAILED:<reason> on a
// soft-failed connection. It also stops SSLOptions +FakeBasicAuth from
// turning a failed certificate's subject into a user name.
#include "mod_certhelp.h"

#include <ap_expr.h>
#include <http_request.h>
#include <http_ssl.h>

#include <apr_strings.h>

namespace certhelp_module_internal {

namespace {

const char verify_variable[] = "SSL_CLIENT_VERIFY";

const ConnState *soft_failed_state(conn_rec *c) {
    if (c == nullptr) {
        return nullptr;
    }
    conn_rec *primary = c->master != nullptr ? c->master : c;
    auto *state = static_cast<const ConnState *>(
        ap_get_module_config(primary->conn_config, &certhelp_module));
    return state != nullptr && state->soft_failed ? state : nullptr;
}

const char *failed_value(apr_pool_t *p, const ConnState *state) {
    return apr_pstrcat(p, "FAILED:",
                       certhelp::verify_code_text(state->primary_code).c_str(),
                       nullptr);
}

// Looks up an SSL variable the way mod_ssl's expression functions do,
// except that SSL_CLIENT_VERIFY of a soft-failed connection always reads
// FAILED:<reason>.
const char *lookup_ssl_variable(ap_expr_eval_ctx_t *ctx, const char *name) {
    if (!strcasecmp(name, verify_variable)) {
        if (const ConnState *state = soft_failed_state(ctx->c)) {
            return failed_value(ctx->p, state);
        }
    }
    return ap_ssl_var_lookup(ctx->p, ctx->s, ctx->c, ctx->r, name);
}

extern "C" const char *expr_verify_variable(ap_expr_eval_ctx_t *ctx,
                                            const void *) {
    return lookup_ssl_variable(ctx, verify_variable);
}

extern "C" const char *expr_ssl_function(ap_expr_eval_ctx_t *ctx,
                                         const void *, const char *arg) {
    return arg != nullptr ? lookup_ssl_variable(ctx, arg) : nullptr;
}

extern "C" int expr_lookup(ap_expr_lookup_parms *parms) {
    if (parms->type == AP_EXPR_FUNC_VAR &&
        !strcasecmp(parms->name, verify_variable)) {
        *parms->func = reinterpret_cast<const void *>(expr_verify_variable);
        *parms->data = nullptr;
        return OK;
    }
    if (parms->type == AP_EXPR_FUNC_STRING && !strcmp(parms->name, "SSL")) {
        *parms->func = reinterpret_cast<const void *>(expr_ssl_function);
        *parms->data = nullptr;
        return OK;
    }
    return DECLINED;
}

// Runs before mod_ssl's authentication hook (APR_HOOK_FIRST there), which
// under SSLOptions +FakeBasicAuth makes up a Basic login from the client
// certificate's subject unless r->user is already set. On a soft-failed
// connection the subject is unverified, so an empty user name is set and
// the request has to authenticate for real.
extern "C" int check_authn(request_rec *r) {
    if (soft_failed_state(r->connection) != nullptr && r->user == nullptr &&
        apr_table_get(r->headers_in, "Authorization") == nullptr) {
        r->user = apr_pstrdup(r->pool, "");
    }
    return DECLINED;
}

}  // namespace

void register_identity_hooks(apr_pool_t *) {
    ap_hook_expr_lookup(expr_lookup, nullptr, nullptr, APR_HOOK_FIRST);
    ap_hook_check_authn(check_authn, nullptr, nullptr, APR_HOOK_REALLY_FIRST,
                        AP_AUTH_INTERNAL_PER_CONF);
}

}  // namespace certhelp_module_internal
