// Module record of mod_certhelp: every client-certificate outcome becomes a
// clear HTTP answer instead of a bare TLS alert.
#include "mod_certhelp.h"

namespace {

using namespace certhelp_module_internal;

extern "C" void register_hooks(apr_pool_t *p) {
    register_verify_hooks(p);
    register_request_hooks(p);
    register_identity_hooks(p);
}

}  // namespace

extern "C" {

module AP_MODULE_DECLARE_DATA certhelp_module = {
    STANDARD20_MODULE_STUFF,
    create_dir_config,
    merge_dir_config,
    create_server_config,
    merge_server_config,
    directives,
    register_hooks,
#if defined(AP_MODULE_HAS_FLAGS)
    AP_MODULE_FLAG_ALWAYS_MERGE,
#endif
};

}
