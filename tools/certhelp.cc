// certhelp: command-line companion of mod_certhelp. It checks a client
// certificate as mod_ssl would, explains substatus codes, verify codes and
// TLS alerts, and probes a server with a client certificate.
#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "config.h"

#include "cli.h"
#include "output.h"

namespace {

constexpr char kUsage[] = R"(Usage: certhelp COMMAND [OPTIONS]

Commands:
  check    verify a client certificate against CA certificates and CRLs,
           and show the outcome, the substatus and every error
  explain  explain a substatus (403.17), an OpenSSL verify code (verify:10)
           or a TLS alert (alert:45)
  probe    send one request to a server with a client certificate and
           explain the TLS alert or the CertHelp outcome that comes back

Run "certhelp COMMAND --help" for the options of a command, and see
certhelp(1).

Options:
  -h, --help     show this help
  --version      show the version

Exit status: 0 success, 1 certificate rejected, 2 invalid option or input,
3 probe without an HTTP exchange, 4 internal error.
)";

int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        std::cerr << kUsage;
        return certhelp_cli::exit_usage;
    }

    std::string command = argv[1];
    if (command == "-h" || command == "--help" || command == "help") {
        std::cout << kUsage;
        return certhelp_cli::exit_ok;
    }
    if (command == "--version") {
        std::cout << "certhelp " PACKAGE_VERSION "\n";
        return certhelp_cli::exit_ok;
    }

    // Each command gets its own name as argv[0].
    if (command == "check") {
        return certhelp_cli::run_check(argc - 1, argv + 1);
    }
    if (command == "explain") {
        return certhelp_cli::run_explain(argc - 1, argv + 1);
    }
    if (command == "probe") {
        return certhelp_cli::run_probe(argc - 1, argv + 1);
    }
    throw certhelp_cli::InputError(
        "unknown command \"" + certhelp_cli::printable(command)
        + "\"; expected check, explain or probe");
}

}  // namespace

int main(int argc, char **argv)
{
    // A server that closes the connection while the request is written
    // would otherwise end the process with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);

    std::string name = "certhelp";
    if (argc >= 2 && argv[1][0] != '-') {
        name += " " + certhelp_cli::printable(argv[1]);
    }
    try {
        return dispatch(argc, argv);
    } catch (const certhelp_cli::InputError &error) {
        std::cerr << name << ": " << error.what() << '\n';
        return certhelp_cli::exit_usage;
    } catch (const std::exception &error) {
        std::cerr << name << ": internal error: " << error.what() << '\n';
        return certhelp_cli::exit_internal;
    }
}
