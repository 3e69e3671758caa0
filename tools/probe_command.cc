// "certhelp probe": connects to a server, sends one request, and explains
// the TLS alert or the CertHelp outcome that comes back.
#include <openssl/ssl.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "config.h"

#include "certhelp/explain.h"
#include "cli.h"
#include "http_response.h"
#include "output.h"
#include "pki_files.h"
#include "tls_probe.h"

namespace certhelp_cli {

namespace {

constexpr char kProbeHelp[] =
    R"(Usage: certhelp probe HOST:PORT [--cert FILE [--key FILE]]
                      [--ca FILE | --insecure] [--servername NAME]
                      [--path PATH] [--tls1.2 | --tls1.3]
                      [--timeout SECONDS]

Connect to a server you run, send one HTTP/1.1 GET request with
"Accept: application/problem+json", and report what came back: the TLS
alert the server sent and what it means, or the HTTP status with the
CertHelp outcome and substatus from the problem+json body (or from
CertHelp-Outcome and CertHelp-Substatus headers, with or without "X-").

Options:
  --cert FILE        client certificate to present (PEM or DER); further
                     certificates in a PEM file are sent as its chain.
  --key FILE         private key of --cert; default: a key in the --cert
                     file.
  --ca FILE          CA certificates that the server's certificate must
                     chain to; default: the system's trusted CAs.
  --insecure         do not check the server's certificate.
  --servername NAME  name sent with SNI and in the Host header, and
                     matched against the server's certificate; default:
                     HOST (no SNI when HOST is an IP address).
  --path PATH        request path, default "/".
  --tls1.2, --tls1.3 use only this TLS version; default: either.
  --timeout SECONDS  limit for the whole exchange, default 10.
  -h, --help         show this help.

IPv6 addresses are written in brackets: [::1]:443.

Exit status: 0 HTTP status below 400, 1 TLS alert from the server or HTTP
status 400 or above, 2 invalid option or input file, 3 no HTTP exchange
(connection failed or timed out, the server's certificate failed
verification, or the response was not HTTP).
)";

enum OptionId {
    option_cert = 256,
    option_key,
    option_ca,
    option_insecure,
    option_servername,
    option_path,
    option_tls12,
    option_tls13,
    option_timeout,
};

const struct option kOptions[] = {
    {"cert", required_argument, nullptr, option_cert},
    {"key", required_argument, nullptr, option_key},
    {"ca", required_argument, nullptr, option_ca},
    {"insecure", no_argument, nullptr, option_insecure},
    {"servername", required_argument, nullptr, option_servername},
    {"path", required_argument, nullptr, option_path},
    {"tls1.2", no_argument, nullptr, option_tls12},
    {"tls1.3", no_argument, nullptr, option_tls13},
    {"timeout", required_argument, nullptr, option_timeout},
    {"help", no_argument, nullptr, 'h'},
    {nullptr, 0, nullptr, 0},
};

constexpr double kMaxTimeoutSeconds = 3600;

struct ProbeOptions {
    std::string host;
    std::string port;
    std::string cert;
    std::string key;
    std::string ca;
    bool insecure = false;
    std::string server_name;
    std::string path = "/";
    int tls_version = 0;
    double timeout_seconds = 10;
};

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// Splits "host:port" or "[v6-address]:port".
void parse_endpoint(const std::string &text, ProbeOptions &options)
{
    std::string invalid = "invalid HOST:PORT \"" + printable(text) + "\"";
    std::string host;
    std::string port;
    if (!text.empty() && text[0] == '[') {
        std::size_t close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size()
            || text[close + 1] != ':') {
            throw InputError(invalid + "; write IPv6 addresses as "
                                       "[::1]:443");
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        std::size_t colon = text.rfind(':');
        if (colon == std::string::npos) {
            throw InputError(invalid + "; the port is missing, as in "
                                       "127.0.0.1:443");
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string::npos) {
            throw InputError(invalid + "; write IPv6 addresses in brackets, "
                                       "as in [::1]:443");
        }
    }

    bool port_ok = !port.empty() && port.size() <= 5;
    long number = 0;
    for (char c : port) {
        port_ok = port_ok && is_digit(c);
        number = number * 10 + (c - '0');
    }
    if (!port_ok || number < 1 || number > 65535) {
        throw InputError(invalid + "; the port must be a number from 1 to "
                                   "65535");
    }
    if (host.empty()) {
        throw InputError(invalid + "; the host is missing");
    }
    for (char c : host) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f) {
            throw InputError(invalid + "; the host contains a space, a "
                                       "control character or a non-ASCII "
                                       "byte");
        }
    }
    options.host = host;
    options.port = port;
}

// Throws InputError unless `name` is a DNS name of letters, digits, '-'
// and '.', at most 253 characters long.
void check_server_name(const std::string &name)
{
    bool valid = !name.empty() && name.size() <= 253;
    for (char c : name) {
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        valid = valid && (letter || is_digit(c) || c == '-' || c == '.');
    }
    if (!valid) {
        throw InputError("invalid --servername \"" + printable(name)
                         + "\"; expected a DNS name of letters, digits, '-' "
                           "and '.'");
    }
}

// Throws InputError unless `path` starts with '/' and contains only
// visible ASCII.
void check_path(const std::string &path)
{
    bool valid = !path.empty() && path[0] == '/';
    for (char c : path) {
        auto byte = static_cast<unsigned char>(c);
        valid = valid && byte > 0x20 && byte < 0x7f;
    }
    if (!valid) {
        throw InputError("invalid --path \"" + printable(path)
                         + "\"; it must start with '/' and contain no "
                           "spaces, control characters or non-ASCII bytes "
                           "(percent-encode them)");
    }
}

double parse_timeout(const std::string &text)
{
    char *end = nullptr;
    double seconds = std::strtod(text.c_str(), &end);
    bool valid = end != text.c_str() && *end == '\0' && seconds > 0
                 && seconds <= kMaxTimeoutSeconds;
    if (!valid) {
        throw InputError("invalid --timeout \"" + printable(text)
                         + "\"; expected seconds, more than 0 and at most "
                           "3600");
    }
    return seconds;
}

// Returns nullopt when --help was given and printed.
std::optional<ProbeOptions> parse_options(int argc, char **argv)
{
    OptionParser parser(argc, argv, "probe", kOptions);
    ProbeOptions options;
    for (int id = parser.next(); id != -1; id = parser.next()) {
        switch (id) {
        case option_cert:
            options.cert = parser.value();
            break;
        case option_key:
            options.key = parser.value();
            break;
        case option_ca:
            options.ca = parser.value();
            break;
        case option_insecure:
            options.insecure = true;
            break;
        case option_servername:
            options.server_name = parser.value();
            check_server_name(options.server_name);
            break;
        case option_path:
            options.path = parser.value();
            check_path(options.path);
            break;
        case option_tls12:
        case option_tls13: {
            int version = id == option_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
            if (options.tls_version != 0 && options.tls_version != version) {
                throw InputError("give --tls1.2 or --tls1.3, not both");
            }
            options.tls_version = version;
            break;
        }
        case option_timeout:
            options.timeout_seconds = parse_timeout(parser.value());
            break;
        case 'h':
            std::cout << kProbeHelp;
            return std::nullopt;
        }
    }

    std::vector<std::string> operands = parser.operands();
    if (operands.empty()) {
        throw InputError("missing HOST:PORT, for example 127.0.0.1:443; run "
                         "\"certhelp probe --help\"");
    }
    if (operands.size() > 1) {
        throw InputError("unexpected argument \"" + printable(operands[1])
                         + "\"; give one HOST:PORT");
    }
    parse_endpoint(operands[0], options);
    if (!options.key.empty() && options.cert.empty()) {
        throw InputError("--key needs --cert, the certificate it belongs to");
    }
    if (options.insecure && !options.ca.empty()) {
        throw InputError("give --ca or --insecure, not both");
    }
    return options;
}

bool is_ip_literal(const std::string &host)
{
    return host.find(':') != std::string::npos
           || host.find_first_not_of("0123456789.") == std::string::npos;
}

std::string build_request(const ProbeOptions &options)
{
    std::string host = options.server_name;
    if (host.empty()) {
        bool ipv6 = options.host.find(':') != std::string::npos;
        host = ipv6 ? "[" + options.host + "]" : options.host;
    }
    if (options.port != "443") {
        host += ":" + options.port;
    }
    return "GET " + options.path + " HTTP/1.1\r\n"
           + "Host: " + host + "\r\n"
           + "Accept: application/problem+json\r\n"
           + "User-Agent: certhelp/" PACKAGE_VERSION "\r\n"
           + "Connection: close\r\n\r\n";
}

ProbeSettings make_settings(const ProbeOptions &options)
{
    ProbeSettings settings;
    settings.host = options.host;
    settings.port = options.port;
    settings.server_name = options.server_name;
    if (settings.server_name.empty() && !is_ip_literal(options.host)) {
        settings.server_name = options.host;
    }
    settings.verify_name =
        options.server_name.empty() ? options.host : options.server_name;
    settings.verify_server = !options.insecure;
    if (!options.ca.empty()) {
        settings.server_cas = read_certificates(options.ca, "--ca");
    }
    settings.tls_version = options.tls_version;
    if (!options.cert.empty()) {
        settings.client_chain = read_certificates(options.cert, "--cert");
        settings.client_key =
            options.key.empty()
                ? read_private_key(options.cert, "--cert", false)
                : read_private_key(options.key, "--key", true);
        if (!settings.client_key) {
            throw InputError("the --cert file contains no private key; pass "
                             "--key FILE");
        }
    }
    settings.request = build_request(options);
    settings.timeout_ms = static_cast<long>(options.timeout_seconds * 1000);
    return settings;
}

void print_connection(std::ostream &out, const ProbeOptions &options,
                      const ProbeResult &result)
{
    if (result.handshake_done) {
        std::string text = result.tls_version + ", " + result.cipher;
        if (!result.alpn.empty()) {
            text += ", ALPN " + printable(result.alpn);
        }
        print_field(out, "TLS", text);

        std::string server = printable(result.server_certificate.subject);
        if (options.insecure) {
            server += " (not checked: --insecure)";
        } else {
            server += " (verified for "
                      + printable(options.server_name.empty()
                                      ? options.host
                                      : options.server_name)
                      + ")";
        }
        print_field(out, "Server", server);
    } else if (!result.tls_version.empty()) {
        print_field(out, "TLS", result.tls_version
                                    + ", handshake not completed");
    }

    if (!result.certificate_requested) {
        print_field(out, "Cert request",
                    result.handshake_done
                        ? "none: the server did not ask for a client "
                          "certificate"
                        : "none seen before the connection ended");
    } else if (result.accepted_ca_names.empty()) {
        print_field(out, "Cert request",
                    "received, without a list of accepted CAs");
    } else {
        print_field(out, "Cert request",
                    "received; the server accepts certificates from:");
        for (const std::string &name : result.accepted_ca_names) {
            out << std::string(14, ' ') << printable(name) << '\n';
        }
    }

    std::string sent;
    if (result.client_certificate_sent) {
        sent = "sent (--cert " + printable(options.cert) + ")";
    } else if (options.cert.empty()) {
        sent = "none (no --cert)";
    } else if (!result.certificate_requested) {
        sent = "not sent: the server did not ask for one";
    } else {
        sent = "not sent";
    }
    print_field(out, "Client cert", sent);
}

int report_alert(std::ostream &out, const ProbeResult &result)
{
    const Alert &alert = *result.server_alert;
    std::string name(certhelp::alert_name(alert.description));
    std::string text = std::to_string(alert.description)
                       + (name.empty() ? "" : " " + name) + " (OpenSSL: "
                       + alert.text + "), fatal, sent by the server "
                       + (result.alert_in_handshake ? "during the handshake"
                                                    : "after the handshake");
    print_field(out, "TLS alert", text);
    out << '\n';

    std::optional<certhelp::Explanation> explanation =
        certhelp::explain_alert(alert.description);
    if (explanation) {
        print_explanation(out, *explanation);
    } else {
        out << "certhelp has no explanation for this alert.\n";
    }
    return exit_rejected;
}

// Returns the first header among the names, with or without "X-".
std::optional<std::string> certhelp_header(const HttpResponse &response,
                                           std::string_view name)
{
    std::string plain = "CertHelp-" + std::string(name);
    if (std::optional<std::string> value = response.header(plain)) {
        return value;
    }
    return response.header("X-" + plain);
}

std::string media_type(const HttpResponse &response)
{
    std::string value = response.header("Content-Type").value_or("");
    std::string type = value.substr(0, value.find(';'));
    std::string lower;
    for (char c : type) {
        if (c == ' ' || c == '\t') {
            continue;
        }
        lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a')
                                        : c;
    }
    return lower;
}

int report_response(std::ostream &out, const ProbeOptions &options,
                    const HttpResponse &response)
{
    print_field(out, "Request",
                "GET " + printable(options.path)
                    + ", Accept: application/problem+json");
    print_field(out, "Status", std::to_string(response.status) + " "
                                   + printable(response.reason));

    std::optional<ProblemDetails> problem;
    std::string type = media_type(response);
    if (type == "application/problem+json" || type == "application/json") {
        std::string error;
        problem = parse_problem(response.body, error);
        if (!problem) {
            print_field(out, "Body", "not a problem object: " + error);
        }
    }

    std::optional<std::string> outcome;
    std::optional<std::string> substatus;
    std::string source;
    if (problem && problem->outcome) {
        outcome = problem->outcome;
        substatus = problem->substatus;
        source = "problem+json body";
    } else if ((outcome = certhelp_header(response, "Outcome"))) {
        substatus = certhelp_header(response, "Substatus");
        source = "CertHelp-Outcome header";
    }

    if (!outcome) {
        print_field(out, "Outcome",
                    "not reported (no problem+json body with an outcome, "
                    "no CertHelp-Outcome header)");
    } else {
        print_field(out, "Outcome", printable(*outcome) + " (" + source + ")");
        print_field(out, "Substatus",
                    substatus && !substatus->empty() ? printable(*substatus)
                                                     : "none");
    }
    if (problem) {
        if (problem->title) {
            print_text_field(out, "Title", printable(*problem->title));
        }
        if (problem->detail) {
            print_text_field(out, "Detail", printable(*problem->detail));
        }
        if (problem->remedy) {
            print_text_field(out, "Remedy", printable(*problem->remedy));
        }
    }

    if (substatus && !substatus->empty()
        && certhelp::explain_code(*substatus).explanations.size() == 1) {
        out << "\nFor causes and fixes: certhelp explain "
            << printable(*substatus) << '\n';
    }
    return response.status < 400 ? exit_ok : exit_rejected;
}

}  // namespace

int run_probe(int argc, char **argv)
{
    std::optional<ProbeOptions> options = parse_options(argc, argv);
    if (!options) {
        return exit_ok;
    }
    ProbeSettings settings = make_settings(*options);

    ProbeResult result = run_probe_exchange(settings);
    std::string endpoint =
        options->host.find(':') != std::string::npos
            ? "[" + options->host + "]:" + options->port
            : options->host + ":" + options->port;

    if (result.status == ProbeResult::Status::failed) {
        std::cerr << "certhelp probe: " << result.failure << '\n';
        return exit_connection;
    }

    std::cout << "Probe of " << printable(endpoint) << "\n\n";
    print_connection(std::cout, *options, result);
    std::cout << '\n';
    if (result.status == ProbeResult::Status::server_alert) {
        return report_alert(std::cout, result);
    }
    return report_response(std::cout, *options, result.response);
}

}  // namespace certhelp_cli
