// Option parsing for the subcommands, on top of getopt_long.
#include "cli.h"

namespace certhelp_cli {

OptionParser::OptionParser(int argc, char **argv, const char *command,
                           const struct option *options)
    : argc_(argc), argv_(argv), command_(command), options_(options),
      short_options_(":h")
{
    // optind = 0 makes glibc's getopt start over, and opterr = 0 leaves the
    // messages to next().
    optind = 0;
    opterr = 0;
}

int OptionParser::next()
{
    int previous = optind;
    int id = getopt_long(argc_, argv_, short_options_.c_str(), options_,
                         nullptr);
    if (id == -1) {
        return -1;
    }

    std::string hint = "; run \"certhelp " + command_ + " --help\"";
    if (id == '?') {
        // For an unknown long option optopt is 0 and the option is the
        // argument getopt_long just passed.
        int index = optind > previous ? optind - 1 : previous;
        std::string option = optopt != 0
                                 ? std::string("-") + static_cast<char>(optopt)
                                 : std::string(argv_[index]);
        throw InputError("unknown option " + option + hint);
    }
    if (id == ':') {
        // glibc sets optopt to the `val` of a long option without its value.
        throw InputError("option " + option_name(optopt) + " needs a value"
                         + hint);
    }
    if (optarg != nullptr && optarg[0] == '\0') {
        throw InputError("option " + option_name(id) + " has an empty value"
                         + hint);
    }
    return id;
}

std::string OptionParser::option_name(int id) const
{
    for (const struct option *row = options_; row->name != nullptr; ++row) {
        if (row->val == id) {
            return std::string("--") + row->name;
        }
    }
    return std::string("-") + static_cast<char>(id);
}

std::string OptionParser::value() const
{
    return optarg != nullptr ? std::string(optarg) : std::string();
}

std::vector<std::string> OptionParser::operands() const
{
    std::vector<std::string> list;
    for (int i = optind; i < argc_; ++i) {
        list.emplace_back(argv_[i]);
    }
    return list;
}

}  // namespace certhelp_cli
