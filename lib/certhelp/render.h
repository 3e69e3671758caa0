// Content negotiation and rendering of outcome responses.
#ifndef CERTHELP_RENDER_H
#define CERTHELP_RENDER_H

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "certhelp/certificate.h"
#include "certhelp/outcome.h"
#include "certhelp/page_template.h"

namespace certhelp {

enum class Format { html, json, text };

// Picks the response format from an Accept header value, honouring q-values
// and wildcards (RFC 9110, section 12.5.1). text/html, application/xhtml+xml,
// application/problem+json, application/json and text/plain are offered;
// on equal quality the order is HTML, JSON, text. An empty or absent header,
// or one that matches nothing, gives HTML.
Format negotiate_format(std::string_view accept);

// Returns the Content-Type header value for `format`, with charset where it
// applies.
std::string_view content_type(Format format);

// Facts about the certificate and the server shown on a page; all raw.
struct PageDetails {
    // False under "CertHelpDisclosure minimal": the page then shows the
    // outcome and the remedy only, no names from the certificate or CAs.
    bool disclose = true;
    // The certificate the client presented; present == false when none.
    CertificateDetails certificate;
    // Subject names of the CAs the server advertised in its certificate
    // request, as RFC 2253 strings (shown for `missing`).
    std::vector<std::string> accepted_cas;
    // Reference time for "expired N days ago" and "valid in N days".
    std::time_t now = 0;
};

// Values inserted into a response; all are raw and escaped by render().
struct ResponseContext {
    Outcome outcome = Outcome::missing;
    int status = 403;
    // The request's path as sent by the client (may be hostile).
    std::string_view request_path;
    // The server name of the virtual host.
    std::string_view server_name;
    // Optional details; nullptr renders the page without them.
    const PageDetails *details = nullptr;
    // Language of the texts, one of available_languages().
    std::string_view language = "en";
    // An HTML template that passed check_template(); empty for the
    // built-in page. Used for Format::html only.
    std::string_view html_template;
    // The same template, parsed in advance. When set, it is used in place
    // of html_template, so the text is not parsed for every page.
    const ParsedTemplate *parsed_template = nullptr;
};

// Returns the languages with a built-in catalogue, "en" first.
const std::vector<std::string_view> &available_languages();

// Picks the best available language for an Accept-Language header value
// (RFC 9110, section 12.5.4: q-values, language ranges, "*"), "en" when
// nothing matches.
std::string_view negotiate_language(std::string_view accept_language);

// Checks an HTML template: returns an empty string when every placeholder
// is known and well formed, else the reason with its position.
std::string check_template(std::string_view text);

// Renders the full response body for `format`. HTML is a complete HTML5
// document, JSON an RFC 9457 problem object with the members type, title,
// status, detail, outcome and substatus, text a few plain lines.
std::string render(Format format, const ResponseContext &context);

// Escapes text for HTML element content and quoted attribute values.
std::string html_escape(std::string_view text);

// Appends html_escape(text) to `out` without a temporary string.
void append_html_escaped(std::string &out, std::string_view text);

// Makes text safe for one line of a text/plain body: invalid UTF-8, control
// characters (CR, LF and TAB included), U+2028 and U+2029 become U+FFFD, so
// a value cannot start a line of its own.
std::string text_escape(std::string_view text);

// Escapes text for the inside of a JSON string literal; invalid UTF-8 bytes
// become U+FFFD.
std::string json_escape(std::string_view text);

// Percent-encodes every byte except RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

// Escapes text for one log line: control characters, backslash, double
// quote and bytes of 0x7f and above become \xNN or \\ and \".
std::string log_escape(std::string_view text);

// Checks an absolute redirect target as written in the configuration: it
// must be an http or https URL with a host and without a fragment, user
// information, white space or control characters. Returns an empty string
// when valid, else the reason.
std::string check_redirect_target(std::string_view url);

// Appends "outcome=<name>&substatus=<403.N>" to the query of a target that
// passed check_redirect_target, percent-encoded.
std::string build_redirect(std::string_view target, Outcome outcome);

}  // namespace certhelp

#endif
