// Shared parts of the certhelp command: exit codes, the error type for bad
// input, option parsing and the entry points of the subcommands.
#ifndef CERTHELP_TOOLS_CLI_H
#define CERTHELP_TOOLS_CLI_H

#include <getopt.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace certhelp_cli {

// Exit codes of every subcommand, as documented in certhelp(1).
enum ExitCode : int {
    exit_ok = 0,
    // check: verification failed. probe: the server rejected the client
    // with a TLS alert or sent an HTTP status of 400 or more.
    exit_rejected = 1,
    // Invalid command line, unreadable or unusable input file, unknown code.
    exit_usage = 2,
    // probe: no HTTP exchange (connection failed or timed out, the server's
    // certificate failed verification, the response was not HTTP).
    exit_connection = 3,
    // A failure inside certhelp or OpenSSL, such as memory exhaustion.
    exit_internal = 4,
};

// Bad input from the person running the command: an invalid option or
// value, or a file that cannot be read or contains no usable data. main()
// prints the message and exits with exit_usage.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Walks the options of one subcommand with getopt_long. Unknown options
// and missing values become InputError with a hint to run --help.
class OptionParser {
public:
    // `argv[0]` is the subcommand's name; `options` ends with a zero row.
    OptionParser(int argc, char **argv, const char *command,
                 const struct option *options);

    // Returns the next option's `val`, or -1 when the options are done.
    int next();

    // Value of the option that next() returned last.
    std::string value() const;

    // Arguments that are not options, in order.
    std::vector<std::string> operands() const;

private:
    // Returns "--name" of the option with `val` == id.
    std::string option_name(int id) const;

    int argc_;
    char **argv_;
    std::string command_;
    const struct option *options_;
    std::string short_options_;
};

int run_check(int argc, char **argv);
int run_explain(int argc, char **argv);
int run_probe(int argc, char **argv);

}  // namespace certhelp_cli

#endif
