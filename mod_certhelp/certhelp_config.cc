// Directives of mod_certhelp: parsing, merging, and the mod_ssl settings that
// the module needs to know but mod_ssl keeps private.
#include "mod_certhelp.h"

#include <http_core.h>

#include <apr_strings.h>

#include <string>

#include "certhelp/render.h"

namespace certhelp_module_internal {

namespace {

const char valid_error_document_keys[] =
    "missing, expired, not-yet-valid, revoked, untrusted, invalid, "
    "revocation-unknown, 403.7, 403.13, 403.16, 403.17 or default";

int outcome_index(certhelp::Outcome outcome) {
    return static_cast<int>(outcome);
}

int substatus_index(int substatus) {
    for (int i = 0; i < substatus_count; ++i) {
        if (substatus_codes[i] == substatus) {
            return i;
        }
    }
    return -1;
}

ErrorTarget merge_target(const ErrorTarget &base, const ErrorTarget &add) {
    return add.kind != target_unset ? add : base;
}

// Parses "On" or "Off" for the directive in `cmd`.
const char *parse_switch(cmd_parms *cmd, const char *arg, Switch *value) {
    if (!strcasecmp(arg, "on")) {
        *value = switch_on;
        return nullptr;
    }
    if (!strcasecmp(arg, "off")) {
        *value = switch_off;
        return nullptr;
    }
    return apr_psprintf(cmd->pool,
                        "%s: invalid value \"%s\"; valid values are On "
                        "and Off",
                        cmd->cmd->name, arg);
}

// Classifies a target the way core's ErrorDocument does: a string with a
// space is a message, a leading slash is a local URL-path, a URL is a
// redirect and anything else is a message. Unlike ErrorDocument, a redirect
// must be an http or https URL with a host, checked here.
const char *parse_target(cmd_parms *cmd, const char *arg,
                         ErrorTarget *target) {
    if (!strcasecmp(arg, "default")) {
        *target = {target_builtin, nullptr};
        return nullptr;
    }
    if (*arg == '\0') {
        return apr_psprintf(cmd->pool,
                            "%s: empty target; give a URL-path, an http(s) "
                            "URL, a quoted message or default",
                            cmd->cmd->name);
    }
    if (strchr(arg, ' ') != nullptr) {
        *target = {target_message, arg};
        return nullptr;
    }
    if (arg[0] == '/') {
        *target = {target_local, arg};
        return nullptr;
    }
    if (ap_is_url(arg)) {
        std::string reason = certhelp::check_redirect_target(arg);
        if (!reason.empty()) {
            return apr_psprintf(cmd->pool,
                                "%s: invalid redirect target \"%s\": %s; "
                                "use an http or https URL, a URL-path "
                                "starting with /, or a quoted message",
                                cmd->cmd->name, arg, reason.c_str());
        }
        *target = {target_redirect, arg};
        return nullptr;
    }
    *target = {target_message, arg};
    return nullptr;
}

extern "C" const char *set_certhelp(cmd_parms *cmd, void *dir_conf,
                                    const char *arg) {
    auto *conf = static_cast<DirConfig *>(dir_conf);
    return parse_switch(cmd, arg, &conf->enabled);
}

extern "C" const char *set_error_document(cmd_parms *cmd, void *dir_conf,
                                          const char *key,
                                          const char *target_arg) {
    auto *conf = static_cast<DirConfig *>(dir_conf);
    ErrorTarget target{};
    const char *err = parse_target(cmd, target_arg, &target);
    if (err != nullptr) {
        return err;
    }

    if (!strcasecmp(key, "default")) {
        conf->fallback = target;
        return nullptr;
    }
    if (auto outcome = certhelp::parse_outcome(key);
        outcome && *outcome != certhelp::Outcome::success) {
        conf->by_outcome[outcome_index(*outcome)] = target;
        return nullptr;
    }
    if (auto substatus = certhelp::parse_substatus(key)) {
        int index = substatus_index(*substatus);
        if (index >= 0) {
            conf->by_substatus[index] = target;
            return nullptr;
        }
    }
    return apr_psprintf(cmd->pool,
                        "%s: invalid outcome \"%s\"; valid choices are %s",
                        cmd->cmd->name, key, valid_error_document_keys);
}

extern "C" const char *set_soft_fail(cmd_parms *cmd, void *,
                                     const char *arg) {
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (err != nullptr) {
        return err;
    }
    return parse_switch(cmd, arg, &server_config(cmd->server)->soft_fail);
}

// Returns the value of `name` given directly in `node`'s list or in
// containers that are not per-directory sections, or nullptr.
const char *find_server_directive(const ap_directive_t *node,
                                  const char *name) {
    const char *found = nullptr;
    for (; node != nullptr; node = node->next) {
        const char *directive = node->directive;
        if (!strcasecmp(directive, name)) {
            found = node->args;
            continue;
        }
        if (directive[0] != '<' || node->first_child == nullptr) {
            continue;
        }
        // Per-directory sections configure renegotiation, not the
        // handshake; virtual hosts are read by the caller.
        static const char *const skipped[] = {
            "<VirtualHost", "<Directory", "<DirectoryMatch", "<Location",
            "<LocationMatch", "<Files", "<FilesMatch", "<If", "<ElseIf",
            "<Else", "<Limit", "<LimitExcept", "<Proxy", "<ProxyMatch",
        };
        bool skip = false;
        for (const char *section : skipped) {
            if (!strcasecmp(directive, section)) {
                skip = true;
                break;
            }
        }
        if (!skip) {
            const char *inner = find_server_directive(node->first_child, name);
            if (inner != nullptr) {
                found = inner;
            }
        }
    }
    return found;
}

void collect_virtual_hosts(const ap_directive_t *node,
                           std::vector<const ap_directive_t *> *out) {
    for (; node != nullptr; node = node->next) {
        if (!strcasecmp(node->directive, "<VirtualHost")) {
            out->push_back(node);
        }
        else if (node->directive[0] == '<' && node->first_child != nullptr) {
            collect_virtual_hosts(node->first_child, out);
        }
    }
}

SslFacts facts_from(const char *verify_client, const char *revocation_check,
                    const SslFacts &inherited) {
    SslFacts facts = inherited;
    if (verify_client != nullptr) {
        facts.optional_no_ca = !strcasecmp(verify_client, "optional_no_ca");
    }
    if (revocation_check != nullptr) {
        facts.no_crl_for_cert_ok =
            ap_strcasestr(revocation_check, "no_crl_for_cert_ok") != nullptr;
    }
    return facts;
}

bool dir_vector_has_on(apr_array_header_t *sections) {
    if (sections == nullptr) {
        return false;
    }
    auto **elts = reinterpret_cast<ap_conf_vector_t **>(sections->elts);
    for (int i = 0; i < sections->nelts; ++i) {
        // httpd creates a module's section config only when one of the
        // module's directives appears in that section.
        const DirConfig *conf = dir_config(elts[i]);
        if (conf != nullptr && conf->enabled == switch_on) {
            return true;
        }
    }
    return false;
}

}  // namespace

DirConfig *dir_config(ap_conf_vector_t *config) {
    return static_cast<DirConfig *>(
        ap_get_module_config(config, &certhelp_module));
}

ServerConfig *server_config(server_rec *s) {
    return static_cast<ServerConfig *>(
        ap_get_module_config(s->module_config, &certhelp_module));
}

bool soft_fail_enabled(server_rec *s) {
    // Soft-fail is on unless switched off: the directive's documented
    // default.
    return server_config(s)->soft_fail != switch_off;
}

const char *switch_name(Switch value) {
    switch (value) {
    case switch_on:
        return "On";
    case switch_off:
        return "Off";
    default:
        return "unset";
    }
}

extern "C" void *create_dir_config(apr_pool_t *p, char *) {
    auto *conf = static_cast<DirConfig *>(apr_pcalloc(p, sizeof(DirConfig)));
    conf->enabled = switch_unset;
    return conf;
}

extern "C" void *merge_dir_config(apr_pool_t *p, void *base_conf,
                                  void *add_conf) {
    auto *base = static_cast<DirConfig *>(base_conf);
    auto *add = static_cast<DirConfig *>(add_conf);
    auto *merged =
        static_cast<DirConfig *>(apr_pcalloc(p, sizeof(DirConfig)));

    merged->enabled = add->enabled != switch_unset ? add->enabled
                                                   : base->enabled;
    for (int i = 0; i < outcome_count; ++i) {
        merged->by_outcome[i] =
            merge_target(base->by_outcome[i], add->by_outcome[i]);
    }
    for (int i = 0; i < substatus_count; ++i) {
        merged->by_substatus[i] =
            merge_target(base->by_substatus[i], add->by_substatus[i]);
    }
    merged->fallback = merge_target(base->fallback, add->fallback);
    return merged;
}

extern "C" void *create_server_config(apr_pool_t *p, server_rec *) {
    auto *conf =
        static_cast<ServerConfig *>(apr_pcalloc(p, sizeof(ServerConfig)));
    conf->soft_fail = switch_unset;
    return conf;
}

extern "C" void *merge_server_config(apr_pool_t *p, void *base_conf,
                                     void *add_conf) {
    auto *base = static_cast<ServerConfig *>(base_conf);
    auto *add = static_cast<ServerConfig *>(add_conf);
    auto *merged =
        static_cast<ServerConfig *>(apr_pcalloc(p, sizeof(ServerConfig)));
    merged->soft_fail = add->soft_fail != switch_unset ? add->soft_fail
                                                       : base->soft_fail;
    return merged;
}

// Reads SSLVerifyClient and SSLCARevocationCheck of the main server and of
// every virtual host from the configuration tree. mod_ssl keeps both in
// private structures, but soft-fail must know them to leave alone what
// mod_ssl itself accepts (optional_no_ca and no_crl_for_cert_ok).
// NOTE: a value set inside <Macro> or by a module that rewrites the tree
// after reading is not seen; such a vhost is treated as plain "optional".
void read_ssl_facts(server_rec *main_server) {
    const ap_directive_t *tree = ap_conftree;
    SslFacts main_facts = facts_from(
        find_server_directive(tree, "SSLVerifyClient"),
        find_server_directive(tree, "SSLCARevocationCheck"), SslFacts{});

    std::vector<const ap_directive_t *> hosts;
    collect_virtual_hosts(tree, &hosts);

    for (server_rec *s = main_server; s != nullptr; s = s->next) {
        SslFacts facts = main_facts;
        for (const ap_directive_t *host : hosts) {
            if (s->is_virtual && s->defn_name != nullptr &&
                host->filename != nullptr &&
                s->defn_line_number == static_cast<unsigned>(host->line_num) &&
                !strcmp(s->defn_name, host->filename)) {
                facts = facts_from(
                    find_server_directive(host->first_child,
                                          "SSLVerifyClient"),
                    find_server_directive(host->first_child,
                                          "SSLCARevocationCheck"),
                    main_facts);
                break;
            }
        }
        server_config(s)->ssl = facts;
    }
}

// Tells whether "CertHelp On" appears in the server's own configuration or
// in one of its <Directory> or <Location> sections (.htaccess files cannot
// be known at startup).
bool certhelp_on_anywhere(server_rec *s) {
    const DirConfig *defaults = dir_config(s->lookup_defaults);
    if (defaults != nullptr && defaults->enabled == switch_on) {
        return true;
    }
    auto *core = static_cast<core_server_config *>(
        ap_get_core_module_config(s->module_config));
    return dir_vector_has_on(core->sec_dir) ||
           dir_vector_has_on(core->sec_url);
}

// Converts a directive handler to httpd's untyped cmd_func. Going through
// void (*)() is the cast that -Wcast-function-type accepts; httpd calls the
// handler with the arguments that args_how promises.
template <typename Handler>
cmd_func as_cmd_func(Handler handler) {
    return reinterpret_cast<cmd_func>(reinterpret_cast<void (*)()>(handler));
}

#define CERTHELP_CONTEXTS (RSRC_CONF | ACCESS_CONF | OR_AUTHCFG)

const command_rec directives[] = {
    AP_INIT_TAKE1("CertHelp", as_cmd_func(set_certhelp),
                  nullptr, CERTHELP_CONTEXTS,
                  "On: a verified client certificate is required here and "
                  "any other outcome gets its 403.x response; Off: no "
                  "certificate is required here"),
    AP_INIT_TAKE2("CertHelpErrorDocument",
                  as_cmd_func(set_error_document), nullptr,
                  CERTHELP_CONTEXTS,
                  "An outcome name, 403.N or default, then a URL-path, an "
                  "http(s) URL, a quoted message or default"),
    AP_INIT_TAKE1("CertHelpSoftFail", as_cmd_func(set_soft_fail),
                  nullptr, RSRC_CONF,
                  "On (default): a client certificate that fails "
                  "verification completes the TLS handshake and gets an "
                  "HTTP answer; Off: mod_ssl aborts the handshake"),
    {nullptr, {nullptr}, nullptr, 0, RAW_ARGS, nullptr},
};

}  // namespace certhelp_module_internal
