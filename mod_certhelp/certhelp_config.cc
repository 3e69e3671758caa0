// Directives of mod_certhelp: parsing, merging, and the mod_ssl settings that
// the module needs to know but mod_ssl keeps private.
#include "mod_certhelp.h"

#include <http_core.h>

#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "certhelp/render.h"

namespace certhelp_module_internal {

namespace {

const char valid_error_document_keys[] =
    "missing, expired, not-yet-valid, revoked, untrusted, invalid, "
    "revocation-unknown, denied, 403.7, 403.12, 403.13, 403.16, 403.17 or "
    "default";

// Largest CertHelpExpiryWarning in days: ten years, far beyond any client
// certificate lifetime, so a typo such as 300000 is reported.
constexpr long max_expiry_days = 3650;

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

// Limit of a template read from disk, one byte over what check_template()
// accepts (64 KiB), so that an oversized file is reported as such.
constexpr apr_off_t certhelp_template_read_limit = 64 * 1024 + 1;

// RFC 9110 field names are tokens; this accepts the usual subset.
bool is_header_name(const char *name) {
    if (*name == '\0') {
        return false;
    }
    for (const char *p = name; *p != '\0'; ++p) {
        if (!apr_isalnum(*p) && *p != '-' && *p != '_') {
            return false;
        }
    }
    return true;
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

// Rejects a directive inside <Limit> or <LimitExcept>: httpd would apply
// it to every method, which would silently open more than written.
const char *check_not_in_limit(cmd_parms *cmd) {
    return ap_check_cmd_context(cmd, NOT_IN_LIMIT);
}

extern "C" const char *set_certhelp(cmd_parms *cmd, void *dir_conf,
                                    const char *arg) {
    if (const char *err = check_not_in_limit(cmd)) {
        return err;
    }
    auto *conf = static_cast<DirConfig *>(dir_conf);
    return parse_switch(cmd, arg, &conf->enabled);
}

extern "C" const char *set_error_document(cmd_parms *cmd, void *dir_conf,
                                          const char *key,
                                          const char *target_arg) {
    if (const char *err = check_not_in_limit(cmd)) {
        return err;
    }
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

extern "C" const char *set_disclosure(cmd_parms *cmd, void *dir_conf,
                                      const char *arg) {
    if (const char *err = check_not_in_limit(cmd)) {
        return err;
    }
    auto *conf = static_cast<DirConfig *>(dir_conf);
    if (!strcasecmp(arg, "details")) {
        conf->disclosure = disclosure_details;
        return nullptr;
    }
    if (!strcasecmp(arg, "minimal")) {
        conf->disclosure = disclosure_minimal;
        return nullptr;
    }
    return apr_psprintf(cmd->pool,
                        "%s: invalid value \"%s\"; valid values are details "
                        "and minimal",
                        cmd->cmd->name, arg);
}

// Reads and checks the template file now, so that a missing file or a bad
// placeholder fails "apache2 -t" instead of a request.
extern "C" const char *set_template(cmd_parms *cmd, void *dir_conf,
                                    const char *arg) {
    if (const char *err = check_not_in_limit(cmd)) {
        return err;
    }
    auto *conf = static_cast<DirConfig *>(dir_conf);
    if (!strcasecmp(arg, "default")) {
        conf->html_template = "";
        conf->parsed_template = nullptr;
        conf->template_path = "default";
        return nullptr;
    }

    const char *path = ap_server_root_relative(cmd->pool, arg);
    if (path == nullptr) {
        return apr_psprintf(cmd->pool, "%s: invalid file path \"%s\"",
                            cmd->cmd->name, arg);
    }
    apr_file_t *file = nullptr;
    apr_finfo_t info;
    apr_status_t rv = apr_file_open(&file, path, APR_FOPEN_READ,
                                    APR_FPROT_OS_DEFAULT, cmd->temp_pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&info, APR_FINFO_SIZE, file);
    }
    if (rv != APR_SUCCESS) {
        char buffer[120];
        return apr_psprintf(cmd->pool, "%s: cannot read \"%s\": %s",
                            cmd->cmd->name, path,
                            apr_strerror(rv, buffer, sizeof(buffer)));
    }
    // check_template() rejects anything over its own limit; reading one
    // byte more is enough for it to see that.
    apr_size_t length = static_cast<apr_size_t>(
        std::min<apr_off_t>(info.size, certhelp_template_read_limit));
    char *text = static_cast<char *>(apr_palloc(cmd->pool, length + 1));
    rv = apr_file_read_full(file, text, length, &length);
    apr_file_close(file);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        char buffer[120];
        return apr_psprintf(cmd->pool, "%s: cannot read \"%s\": %s",
                            cmd->cmd->name, path,
                            apr_strerror(rv, buffer, sizeof(buffer)));
    }
    text[length] = '\0';

    // parse() accepts exactly what check_template() accepts, so the reason
    // is only computed for a template that fails.
    std::string_view template_text(text, length);
    std::optional<certhelp::ParsedTemplate> parsed =
        certhelp::ParsedTemplate::parse(template_text);
    if (!parsed) {
        std::string reason = certhelp::check_template(template_text);
        return apr_psprintf(cmd->pool, "%s: invalid template \"%s\": %s",
                            cmd->cmd->name, path, reason.c_str());
    }
    auto *pool_template = new certhelp::ParsedTemplate(std::move(*parsed));
    apr_pool_cleanup_register(
        cmd->pool, pool_template,
        [](void *data) -> apr_status_t {
            delete static_cast<certhelp::ParsedTemplate *>(data);
            return APR_SUCCESS;
        },
        apr_pool_cleanup_null);

    conf->html_template = text;
    conf->parsed_template = pool_template;
    conf->template_path = path;
    return nullptr;
}

extern "C" const char *set_expiry_warning(cmd_parms *cmd, void *dir_conf,
                                          const char *days_arg,
                                          const char *header) {
    if (const char *err = check_not_in_limit(cmd)) {
        return err;
    }
    auto *conf = static_cast<DirConfig *>(dir_conf);
    if (!strcasecmp(days_arg, "off")) {
        conf->expiry_warning_days = days_off;
    }
    else {
        char *end = nullptr;
        long days = strtol(days_arg, &end, 10);
        if (end == days_arg || *end != '\0' || days < 1 ||
            days > max_expiry_days) {
            return apr_psprintf(cmd->pool,
                                "%s: invalid number of days \"%s\"; give a "
                                "whole number from 1 to %ld, or Off",
                                cmd->cmd->name, days_arg, max_expiry_days);
        }
        conf->expiry_warning_days = static_cast<int>(days);
    }

    if (header != nullptr) {
        if (!is_header_name(header)) {
            return apr_psprintf(cmd->pool,
                                "%s: invalid header name \"%s\"; use letters, "
                                "digits and -, for example %s",
                                cmd->cmd->name, header, default_expiry_header);
        }
        conf->expiry_header = header;
    }
    else {
        // Left out: the default name, not one inherited from an outer
        // section, so the line means what it shows.
        conf->expiry_header = default_expiry_header;
    }
    return nullptr;
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

bool is_per_directory_section(const char *directive) {
    static const char *const sections[] = {
        "<Directory", "<DirectoryMatch", "<Location", "<LocationMatch",
        "<Files", "<FilesMatch", "<If", "<ElseIf", "<Else",
    };
    for (const char *section : sections) {
        if (!strcasecmp(directive, section)) {
            return true;
        }
    }
    return false;
}

// Tells whether `name` appears anywhere below `node`, but not inside a
// nested <VirtualHost>.
bool has_directive_anywhere(const ap_directive_t *node, const char *name) {
    for (; node != nullptr; node = node->next) {
        if (!strcasecmp(node->directive, name)) {
            return true;
        }
        if (node->first_child != nullptr &&
            strcasecmp(node->directive, "<VirtualHost") != 0 &&
            has_directive_anywhere(node->first_child, name)) {
            return true;
        }
    }
    return false;
}

// Tells whether `name` appears inside a per-directory section below
// `node`; a directive of the host itself does not count.
bool has_per_directory_directive(const ap_directive_t *node,
                                 const char *name) {
    for (; node != nullptr; node = node->next) {
        if (node->first_child == nullptr ||
            !strcasecmp(node->directive, "<VirtualHost")) {
            continue;
        }
        if (is_per_directory_section(node->directive)
                ? has_directive_anywhere(node->first_child, name)
                : has_per_directory_directive(node->first_child, name)) {
            return true;
        }
    }
    return false;
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
    conf->disclosure = disclosure_unset;
    conf->expiry_warning_days = days_unset;
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
    merged->disclosure = add->disclosure != disclosure_unset
                             ? add->disclosure
                             : base->disclosure;
    if (add->html_template != nullptr) {
        merged->html_template = add->html_template;
        merged->parsed_template = add->parsed_template;
        merged->template_path = add->template_path;
    }
    else {
        merged->html_template = base->html_template;
        merged->parsed_template = base->parsed_template;
        merged->template_path = base->template_path;
    }
    merged->expiry_warning_days = add->expiry_warning_days != days_unset
                                      ? add->expiry_warning_days
                                      : base->expiry_warning_days;
    merged->expiry_header = add->expiry_header != nullptr
                                ? add->expiry_header
                                : base->expiry_header;
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
                facts.per_directory_verify = has_per_directory_directive(
                    host->first_child, "SSLVerifyClient");
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
    AP_INIT_TAKE1("CertHelpDisclosure", as_cmd_func(set_disclosure), nullptr,
                  CERTHELP_CONTEXTS,
                  "details (default): pages show the certificate's names and "
                  "dates and the accepted CAs; minimal: the outcome and the "
                  "remedy only"),
    // Not in .htaccess: the file is read with the server's rights, so an
    // .htaccess author could publish any file the server can read.
    AP_INIT_TAKE1("CertHelpTemplate", as_cmd_func(set_template), nullptr,
                  RSRC_CONF | ACCESS_CONF,
                  "Path of an HTML template for CertHelp pages (relative to "
                  "ServerRoot), or default for the built-in page"),
    AP_INIT_TAKE12("CertHelpExpiryWarning", as_cmd_func(set_expiry_warning),
                   nullptr, CERTHELP_CONTEXTS,
                   "Days before a verified certificate expires to start "
                   "warning (or Off), and optionally the response header "
                   "name that carries the days left"),
    AP_INIT_TAKE1("CertHelpSoftFail", as_cmd_func(set_soft_fail),
                  nullptr, RSRC_CONF,
                  "On (default): a client certificate that fails "
                  "verification completes the TLS handshake and gets an "
                  "HTTP answer; Off: mod_ssl aborts the handshake"),
    {nullptr, {nullptr}, nullptr, 0, RAW_ARGS, nullptr},
};

}  // namespace certhelp_module_internal
