// "certhelp explain": explains a substatus, a verify code or a TLS alert.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "certhelp/explain.h"
#include "cli.h"
#include "output.h"

namespace certhelp_cli {

namespace {

constexpr char kExplainHelp[] = R"(Usage: certhelp explain CODE

Explain a code in plain words, with likely causes and what the certificate
holder and the server administrator can do about it. CODE is one of:

  403.7, 403.12, 403.13, 403.16, 403.17
                 an IIS-style 403 substatus
  expired, revoked, ...
                 a mod_certhelp outcome name: explains its substatus
  verify:N       an OpenSSL verify code (0 to 94), also written by name:
                 verify:CERT_HAS_EXPIRED or X509_V_ERR_CERT_HAS_EXPIRED
  alert:N        a TLS alert number, also written by name: alert:unknown_ca
                 or "unknown CA"
  N              a bare number: explained as every kind that has it, for
                 example 45 as verify code 45 and as TLS alert 45

Options:
  -h, --help     show this help.

Exit status: 0 explained, 2 unknown code or invalid option.
)";

const struct option kOptions[] = {
    {"help", no_argument, nullptr, 'h'},
    {nullptr, 0, nullptr, 0},
};

}  // namespace

int run_explain(int argc, char **argv)
{
    OptionParser parser(argc, argv, "explain", kOptions);
    for (int id = parser.next(); id != -1; id = parser.next()) {
        if (id == 'h') {
            std::cout << kExplainHelp;
            return exit_ok;
        }
    }

    std::vector<std::string> operands = parser.operands();
    if (operands.empty()) {
        throw InputError("missing CODE, for example 403.17, verify:10 or "
                         "alert:45; run \"certhelp explain --help\"");
    }
    if (operands.size() > 1) {
        throw InputError("give one CODE, not " + std::to_string(
                             operands.size())
                         + "; quote a name with spaces, such as \"unknown "
                           "CA\"");
    }

    certhelp::ExplainResult result = certhelp::explain_code(operands[0]);
    if (result.explanations.empty()) {
        throw InputError(printable(result.error));
    }

    if (result.explanations.size() > 1) {
        std::string code = printable(operands[0]);
        std::cout << code << " has " << result.explanations.size()
                  << " meanings, shown below.";
        if (code.find_first_not_of("0123456789") == std::string::npos) {
            std::cout << " Write verify:" << code << " or alert:" << code
                      << " to pick one.";
        }
        std::cout << "\n\n";
    }
    for (std::size_t i = 0; i < result.explanations.size(); ++i) {
        if (i > 0) {
            std::cout << "\n" << std::string(72, '-') << "\n\n";
        }
        print_explanation(std::cout, result.explanations[i]);
    }
    return exit_ok;
}

}  // namespace certhelp_cli
