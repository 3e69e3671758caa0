// Content negotiation and rendering of outcome responses.
#ifndef CERTHELP_RENDER_H
#define CERTHELP_RENDER_H

#include <string>
#include <string_view>

#include "certhelp/outcome.h"

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

// Values inserted into a response; all are raw and escaped by render().
struct ResponseContext {
    Outcome outcome = Outcome::missing;
    int status = 403;
    // The request's path as sent by the client (may be hostile).
    std::string_view request_path;
    // The server name of the virtual host.
    std::string_view server_name;
};

// Renders the full response body for `format`. HTML is a complete HTML5
// document, JSON an RFC 9457 problem object with the members type, title,
// status, detail, outcome and substatus, text a few plain lines.
std::string render(Format format, const ResponseContext &context);

// Escapes text for HTML element content and quoted attribute values.
std::string html_escape(std::string_view text);

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
