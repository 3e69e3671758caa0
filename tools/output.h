// Text output shared by the subcommands: escaping for a terminal, word
// wrapping and printers for certificates and explanations.
#ifndef CERTHELP_TOOLS_OUTPUT_H
#define CERTHELP_TOOLS_OUTPUT_H

#include <openssl/x509.h>

#include <ostream>
#include <string>
#include <string_view>

#include "certhelp/certificate.h"
#include "certhelp/explain.h"

namespace certhelp_cli {

// Makes text from a certificate or a server safe to print on a terminal.
// Valid UTF-8 is kept. Control characters (C0, DEL and C1) and bytes that
// are not valid UTF-8 become \xNN, so that no escape sequence reaches the
// terminal and no line can be split. Backslashes stay as they are, because
// RFC 2253 names use them for their own escapes.
std::string printable(std::string_view text);

// Prints "label: value" with the label padded to a fixed column. `value`
// is printed as given, so text from outside must go through printable()
// first.
void print_field(std::ostream &out, std::string_view label,
                 std::string_view value, int indent = 0);

// Prints "label: text" like print_field, with the text wrapped at 78
// columns. Runs of spaces in `text` become one.
void print_text_field(std::ostream &out, std::string_view label,
                      std::string_view text, int indent = 0);

// Prints `text` wrapped at 78 columns, each line indented by `indent`
// spaces and the first one prefixed by `bullet` (for example "- ").
void print_wrapped(std::ostream &out, std::string_view text, int indent,
                   std::string_view bullet = "");

// Prints subject, issuer, serial and validity of a certificate, escaped.
void print_certificate(std::ostream &out,
                       const certhelp::CertificateDetails &details,
                       int indent);

// Prints an explanation with its meaning, causes and steps.
void print_explanation(std::ostream &out,
                       const certhelp::Explanation &explanation);

// Returns a distinguished name in RFC 2253 form with UTF-8 kept, as the
// library prints the subject and issuer of a certificate.
std::string format_name(const X509_NAME *name);

}  // namespace certhelp_cli

#endif
