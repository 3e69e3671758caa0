// Placeholders of HTML page templates and their expansion. render() fills
// in the values, and check_template() in render.h validates a template.
#ifndef CERTHELP_PAGE_TEMPLATE_H
#define CERTHELP_PAGE_TEMPLATE_H

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certhelp {

// Every placeholder a template may use, written {{name}} in the template.
// docs/templates.md describes each one.
enum class Placeholder {
    status,
    substatus,
    outcome,
    title,
    heading,
    explanation,
    remedy,
    request_path,
    server_name,
    lang,
    subject,
    issuer,
    serial,
    not_before,
    not_after,
    days_text,
    accepted_cas,
    details,
    advice,
    label_server,
    label_path,
    label_subject,
    label_issuer,
    label_serial,
    label_not_before,
    label_not_after,
};

constexpr std::size_t kPlaceholderCount =
    static_cast<std::size_t>(Placeholder::label_not_after) + 1;

// How a value enters the page.
enum class ValueKind {
    // Plain text, HTML-escaped by expand_template().
    text,
    // An HTML fragment that render.cc builds from fixed markup and
    // HTML-escaped text. Template authors cannot supply one.
    markup,
};

struct PlaceholderInfo {
    Placeholder placeholder;
    std::string_view name;
    ValueKind kind;
};

// Returns the description of every placeholder, in declaration order.
const std::array<PlaceholderInfo, kPlaceholderCount> &placeholders();

// Returns the built-in HTML page, a template like any other.
std::string_view builtin_template();

// Largest template accepted, in bytes (64 KiB).
constexpr std::size_t kMaxTemplateSize = 64 * 1024;

// Values of one page, indexed by Placeholder: raw text for text
// placeholders, finished HTML for markup placeholders.
using TemplateValues = std::array<std::string, kPlaceholderCount>;

// Expands `text`, escaping each text value for HTML. Returns nullopt when
// check_template() rejects `text`, so an unchecked template can never put
// an unknown name or a half-written placeholder on a page.
std::optional<std::string> expand_template(std::string_view text,
                                           const TemplateValues &values);

// A template split once into literal runs and placeholders, so that each
// page is expanded without scanning and checking the text again. It points
// into the text it was parsed from, which must outlive it.
class ParsedTemplate {
public:
    // Parses `text`. Returns nullopt when check_template() rejects it.
    static std::optional<ParsedTemplate> parse(std::string_view text);

    // Expands the template as expand_template() does.
    std::string expand(const TemplateValues &values) const;

private:
    struct Segment {
        std::string_view literal;
        // Valid only when is_placeholder is true.
        Placeholder placeholder;
        bool is_placeholder;
    };

    std::vector<Segment> segments_;
    std::size_t literal_size_ = 0;
};

// Returns the built-in page, parsed on first use.
const ParsedTemplate &builtin_parsed_template();

}  // namespace certhelp

#endif
