// HTML page templates: placeholder table, validation and expansion.
//
// A template is HTML with placeholders written {{name}}, and spaces inside
// the braces are allowed ({{ name }}). There is no raw mode and no escape for a
// literal "{{": every "{{" starts a placeholder, so "{{{name}}}" is an
// unknown placeholder. A page that needs the characters can write
// "&#123;&#123;".
//
// | placeholder      | kind   | value                                        |
// |------------------|--------|----------------------------------------------|
// | status           | text   | HTTP status, "403"                           |
// | substatus        | text   | IIS substatus, "403.17"; empty for success   |
// | outcome          | text   | outcome name, "expired"                      |
// | title            | text   | title in the page's language                 |
// | heading          | text   | substatus and title, "403.17 Client ..."     |
// | explanation      | text   | what happened                                |
// | remedy           | text   | what the person can do                       |
// | request_path     | text   | the request's path as the client sent it     |
// | server_name      | text   | the virtual host's server name               |
// | lang             | text   | language of the page, "de"                   |
// | subject          | text   | certificate subject DN (disclosed only)      |
// | issuer           | text   | certificate issuer DN (disclosed only)       |
// | serial           | text   | serial number in hex (disclosed only)        |
// | not_before       | text   | start of validity (disclosed only)           |
// | not_after        | text   | end of validity (disclosed only)             |
// | days_text        | text   | "expired 3 days ago" and the like            |
// | accepted_cas     | markup | <ul> of accepted CA names (missing only)     |
// | details          | markup | certificate and CA sections (disclosed only) |
// | advice           | markup | why a browser offers no certificate          |
// | label_server ... | text   | translated labels: label_server, label_path, |
// |                  |        | label_subject, label_issuer, label_serial,   |
// |                  |        | label_not_before, label_not_after            |
#include "certhelp/page_template.h"

#include <cstddef>

#include "certhelp/render.h"

namespace certhelp {

namespace {

constexpr std::array<PlaceholderInfo, kPlaceholderCount> kPlaceholders = {{
    {Placeholder::status, "status", ValueKind::text},
    {Placeholder::substatus, "substatus", ValueKind::text},
    {Placeholder::outcome, "outcome", ValueKind::text},
    {Placeholder::title, "title", ValueKind::text},
    {Placeholder::heading, "heading", ValueKind::text},
    {Placeholder::explanation, "explanation", ValueKind::text},
    {Placeholder::remedy, "remedy", ValueKind::text},
    {Placeholder::request_path, "request_path", ValueKind::text},
    {Placeholder::server_name, "server_name", ValueKind::text},
    {Placeholder::lang, "lang", ValueKind::text},
    {Placeholder::subject, "subject", ValueKind::text},
    {Placeholder::issuer, "issuer", ValueKind::text},
    {Placeholder::serial, "serial", ValueKind::text},
    {Placeholder::not_before, "not_before", ValueKind::text},
    {Placeholder::not_after, "not_after", ValueKind::text},
    {Placeholder::days_text, "days_text", ValueKind::text},
    {Placeholder::accepted_cas, "accepted_cas", ValueKind::markup},
    {Placeholder::details, "details", ValueKind::markup},
    {Placeholder::advice, "advice", ValueKind::markup},
    {Placeholder::label_server, "label_server", ValueKind::text},
    {Placeholder::label_path, "label_path", ValueKind::text},
    {Placeholder::label_subject, "label_subject", ValueKind::text},
    {Placeholder::label_issuer, "label_issuer", ValueKind::text},
    {Placeholder::label_serial, "label_serial", ValueKind::text},
    {Placeholder::label_not_before, "label_not_before", ValueKind::text},
    {Placeholder::label_not_after, "label_not_after", ValueKind::text},
}};

constexpr bool rows_match_enum_order()
{
    for (std::size_t i = 0; i < kPlaceholders.size(); ++i) {
        if (static_cast<std::size_t>(kPlaceholders[i].placeholder) != i) {
            return false;
        }
    }
    return true;
}

static_assert(rows_match_enum_order(),
              "kPlaceholders must list every Placeholder in declaration "
              "order");

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

// The built-in page, itself a template. It has no external resources
// (scripts, images, links), so it renders the same without network access.
constexpr std::string_view kBuiltInTemplate =
    "<!DOCTYPE html>\n"
    "<html lang=\"{{lang}}\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" "
    "content=\"width=device-width, initial-scale=1\">\n"
    "<title>{{heading}}</title>\n"
    "<style>"
    "body{font-family:system-ui,sans-serif;line-height:1.5;color:#222;"
    "max-width:40em;margin:2em auto;padding:0 1em}"
    "h1{font-size:1.5em}"
    "h2{font-size:1.1em;margin-top:1.5em}"
    "dl.request{color:#555;font-size:.9em}"
    "dd{margin:0 0 .5em 1em;overflow-wrap:anywhere}"
    "li{overflow-wrap:anywhere}"
    "</style>\n"
    "</head>\n"
    "<body>\n"
    "<h1>{{heading}}</h1>\n"
    "<p>{{explanation}}</p>\n"
    "<p>{{remedy}}</p>\n"
    "{{advice}}"
    "{{details}}"
    "<dl class=\"request\">\n"
    "<dt>{{label_server}}</dt><dd>{{server_name}}</dd>\n"
    "<dt>{{label_path}}</dt><dd>{{request_path}}</dd>\n"
    "</dl>\n"
    "</body>\n"
    "</html>\n";

// Longest part of an unknown name quoted in an error message.
constexpr std::size_t kMaxQuotedName = 64;

std::string_view trim_spaces(std::string_view text)
{
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

const PlaceholderInfo *find_placeholder(std::string_view name)
{
    for (const PlaceholderInfo &info : kPlaceholders) {
        if (info.name == name) {
            return &info;
        }
    }
    return nullptr;
}

// "byte 120 (line 4)": byte offsets count from 0, lines from 1.
std::string describe_position(std::string_view text, std::size_t offset)
{
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
        }
    }
    return "byte " + std::to_string(offset) + " (line " + std::to_string(line)
           + ")";
}

std::string known_names()
{
    std::string names;
    for (const PlaceholderInfo &info : kPlaceholders) {
        if (!names.empty()) {
            names += ", ";
        }
        names += info.name;
    }
    return names;
}

// Walks `text`, passing each literal run to `on_literal` and each
// placeholder to `on_placeholder`. Returns the reason the template is
// invalid, or an empty string. Nothing is passed on after an error.
template <typename LiteralHandler, typename PlaceholderHandler>
std::string scan_template(std::string_view text, LiteralHandler on_literal,
                          PlaceholderHandler on_placeholder)
{
    if (text.size() > kMaxTemplateSize) {
        return "the template is " + std::to_string(text.size())
               + " bytes long, over the maximum of "
               + std::to_string(kMaxTemplateSize)
               + " bytes (64 KiB); the excess starts at "
               + describe_position(text, kMaxTemplateSize);
    }

    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t open = text.find(kOpen, pos);
        if (open == std::string_view::npos) {
            on_literal(text.substr(pos));
            break;
        }

        std::size_t inner = open + kOpen.size();
        std::size_t close = text.find(kClose, inner);
        std::size_t next_open = text.find(kOpen, inner);
        if (close == std::string_view::npos || next_open < close) {
            return "unterminated \"{{\" at " + describe_position(text, open)
                   + ": a placeholder ends with \"}}\"";
        }

        std::string_view name =
            trim_spaces(text.substr(inner, close - inner));
        const PlaceholderInfo *info = find_placeholder(name);
        if (info == nullptr) {
            std::string quoted = log_escape(name.substr(0, kMaxQuotedName));
            if (name.size() > kMaxQuotedName) {
                quoted += "...";
            }
            return "unknown placeholder \"{{" + quoted + "}}\" at "
                   + describe_position(text, open)
                   + "; the known placeholders are " + known_names();
        }

        on_literal(text.substr(pos, open - pos));
        on_placeholder(*info);
        pos = close + kClose.size();
    }
    return {};
}

}  // namespace

const std::array<PlaceholderInfo, kPlaceholderCount> &placeholders()
{
    return kPlaceholders;
}

std::string_view builtin_template()
{
    return kBuiltInTemplate;
}

std::string check_template(std::string_view text)
{
    return scan_template(
        text, [](std::string_view) {}, [](const PlaceholderInfo &) {});
}

std::optional<std::string> expand_template(std::string_view text,
                                           const TemplateValues &values)
{
    std::optional<ParsedTemplate> parsed = ParsedTemplate::parse(text);
    if (!parsed) {
        return std::nullopt;
    }
    return parsed->expand(values);
}

std::optional<ParsedTemplate> ParsedTemplate::parse(std::string_view text)
{
    ParsedTemplate parsed;
    std::string reason = scan_template(
        text,
        [&parsed](std::string_view literal) {
            if (!literal.empty()) {
                parsed.segments_.push_back({literal, Placeholder::status,
                                            false});
                parsed.literal_size_ += literal.size();
            }
        },
        [&parsed](const PlaceholderInfo &info) {
            parsed.segments_.push_back({{}, info.placeholder, true});
        });
    if (!reason.empty()) {
        return std::nullopt;
    }
    return parsed;
}

std::string ParsedTemplate::expand(const TemplateValues &values) const
{
    std::size_t values_size = 0;
    for (const std::string &value : values) {
        values_size += value.size();
    }

    // Enough for every value used once without escapes; escapes or a value
    // used twice may grow it. Text values are escaped straight into the
    // page, so no escaped copy is made.
    std::string page;
    page.reserve(literal_size_ + values_size);
    for (const Segment &segment : segments_) {
        if (!segment.is_placeholder) {
            page += segment.literal;
            continue;
        }
        auto index = static_cast<std::size_t>(segment.placeholder);
        if (kPlaceholders[index].kind == ValueKind::text) {
            append_html_escaped(page, values[index]);
        }
        else {
            page += values[index];
        }
    }
    return page;
}

const ParsedTemplate &builtin_parsed_template()
{
    // A function-local static: C++ initialises it once and thread-safely,
    // and the built-in text always passes check_template(), which the unit
    // tests confirm.
    static const ParsedTemplate parsed =
        *ParsedTemplate::parse(kBuiltInTemplate);
    return parsed;
}

}  // namespace certhelp
