// Content negotiation (format and language), escaping and redirect URLs.
#include "certhelp/render.h"

#include "ascii.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>


namespace certhelp {

namespace {

// --- Character helpers -----------------------------------------------------

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Bytes that html_escape() copies unchanged: ASCII other than control
// characters and & < > " ', plus TAB, LF and CR. Indexed by byte value.
constexpr std::array<bool, 256> make_html_plain_bytes()
{
    std::array<bool, 256> plain{};
    for (int byte = 0x20; byte < 0x7f; ++byte) {
        plain[byte] = true;
    }
    for (char special : {'&', '<', '>', '"', '\''}) {
        plain[static_cast<unsigned char>(special)] = false;
    }
    plain['\t'] = true;
    plain['\n'] = true;
    plain['\r'] = true;
    return plain;
}

constexpr std::array<bool, 256> kHtmlPlainByte = make_html_plain_bytes();

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_hex_digit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 unreserved characters.
bool is_unreserved(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_'
           || c == '~';
}

// RFC 3986 sub-delims.
bool is_sub_delim(char c)
{
    return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

// RFC 9110 tchar, the characters of a token.
bool is_token_char(char c)
{
    return is_alpha(c) || is_digit(c)
           || std::string_view("!#$%&'*+-.^_`|~").find(c)
                  != std::string_view::npos;
}

bool is_token(std::string_view text)
{
    if (text.empty()) {
        return false;
    }
    for (char c : text) {
        if (!is_token_char(c)) {
            return false;
        }
    }
    return true;
}

void append_hex_byte(std::string &out, unsigned char byte, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    out += digits[byte >> 4];
    out += digits[byte & 0x0f];
}

// One decoded UTF-8 sequence. An ill-formed sequence has valid == false,
// and its length runs up to the first byte that cannot continue it, so
// "\xE2\x82z" is one bad sequence followed by 'z'.
struct Utf8Sequence {
    char32_t code_point;
    std::size_t length;
    bool valid;
};

// Decodes the sequence at `pos`. Only well-formed UTF-8 is valid: overlong
// forms, surrogates (U+D800 to U+DFFF) and code points above U+10FFFF are
// not.
Utf8Sequence decode_utf8(std::string_view text, std::size_t pos)
{
    auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        return {lead, 1, true};
    }

    std::size_t continuation_count = 0;
    char32_t code_point = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        continuation_count = 1;
        code_point = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        continuation_count = 2;
        code_point = lead & 0x0f;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        continuation_count = 3;
        code_point = lead & 0x07;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return {0xfffd, 1, false};
    }

    std::size_t length = 1;
    for (std::size_t i = 0; i < continuation_count; ++i) {
        if (pos + length >= text.size()) {
            return {0xfffd, length, false};
        }
        auto byte = static_cast<unsigned char>(text[pos + length]);
        if (byte < low || byte > high) {
            return {0xfffd, length, false};
        }
        code_point = (code_point << 6) | (byte & 0x3f);
        ++length;
        low = 0x80;
        high = 0xbf;
    }
    return {code_point, length, true};
}

// --- Content negotiation ---------------------------------------------------

// A media type that a format can be served for. The primary type is the
// one content_type() sends. An alias counts only when the client names it
// exactly, so "text/html;q=0, */*" does not produce a text/html response.
struct Offer {
    std::string_view type;
    std::string_view subtype;
    Format format;
    bool primary;
};

constexpr std::array<Offer, 5> kOffers = {{
    {"text", "html", Format::html, true},
    {"application", "xhtml+xml", Format::html, false},
    {"application", "problem+json", Format::json, true},
    {"application", "json", Format::json, false},
    {"text", "plain", Format::text, true},
}};

// Formats in the order that breaks ties between equal qualities.
constexpr std::array<Format, 3> kFormatPreference = {
    Format::html, Format::json, Format::text};

struct MediaRange {
    std::string_view type;
    std::string_view subtype;
    int quality;  // thousandths, 0 to 1000
};

std::string_view trim_ows(std::string_view text)
{
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) {
        ++begin;
    }
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
        --end;
    }
    return text.substr(begin, end - begin);
}

// Splits `text` at `separator`, except inside quoted strings (with
// backslash escapes), so that a parameter value like "a,b" stays whole.
std::vector<std::string_view> split_outside_quotes(std::string_view text,
                                                   char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted && c == '\\') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == separator) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(text.substr(start));
    return parts;
}

// Parses an RFC 9110 qvalue ("0", "0.5", "1.000") into thousandths.
std::optional<int> parse_quality(std::string_view text)
{
    if (text.empty() || (text[0] != '0' && text[0] != '1')) {
        return std::nullopt;
    }

    int whole = text[0] - '0';
    if (text.size() == 1) {
        return whole * 1000;
    }
    if (text[1] != '.' || text.size() > 5) {
        return std::nullopt;
    }

    int fraction = 0;
    int scale = 100;
    for (std::size_t i = 2; i < text.size(); ++i) {
        if (!is_digit(text[i])) {
            return std::nullopt;
        }
        fraction += (text[i] - '0') * scale;
        scale /= 10;
    }
    if (whole == 1 && fraction != 0) {
        return std::nullopt;
    }
    return whole * 1000 + fraction;
}

// Parses one element of an Accept header. Returns nullopt for a malformed
// element, which the caller skips. Parameters other than q are ignored.
std::optional<MediaRange> parse_media_range(std::string_view element)
{
    std::vector<std::string_view> parts = split_outside_quotes(element, ';');
    std::string_view range = trim_ows(parts[0]);

    std::size_t slash = range.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    MediaRange media{range.substr(0, slash), range.substr(slash + 1), 1000};
    if (!is_token(media.type) || !is_token(media.subtype)) {
        return std::nullopt;
    }
    if (media.type == "*" && media.subtype != "*") {
        return std::nullopt;
    }

    for (std::size_t i = 1; i < parts.size(); ++i) {
        std::string_view parameter = trim_ows(parts[i]);
        std::size_t equals = parameter.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        std::string_view name = trim_ows(parameter.substr(0, equals));
        if (!equals_ignoring_case(name, "q")) {
            continue;
        }

        std::optional<int> quality =
            parse_quality(trim_ows(parameter.substr(equals + 1)));
        if (!quality) {
            return std::nullopt;
        }
        media.quality = *quality;
        break;
    }
    return media;
}

// Returns how specifically `range` names `offer`: 3 for type/subtype, 2
// for type/*, 1 for */*, 0 when it does not match.
int match_specificity(const MediaRange &range, const Offer &offer)
{
    if (range.type == "*") {
        return 1;
    }
    if (!equals_ignoring_case(range.type, offer.type)) {
        return 0;
    }
    if (range.subtype == "*") {
        return 2;
    }
    return equals_ignoring_case(range.subtype, offer.subtype) ? 3 : 0;
}

// Quality of `offer`: the most specific matching range decides (RFC 9110,
// section 12.5.1). Among equally specific ranges the highest q counts.
int offer_quality(const std::vector<MediaRange> &ranges, const Offer &offer)
{
    int best_specificity = 0;
    int quality = 0;
    for (const MediaRange &range : ranges) {
        int specificity = match_specificity(range, offer);
        if (!offer.primary && specificity < 3) {
            continue;
        }
        if (specificity == 0 || specificity < best_specificity) {
            continue;
        }
        if (specificity > best_specificity) {
            quality = range.quality;
        } else if (range.quality > quality) {
            quality = range.quality;
        }
        best_specificity = specificity;
    }
    return quality;
}

// --- Language negotiation --------------------------------------------------

// One element of an Accept-Language header.
struct LanguageRange {
    std::string_view range;
    int quality;  // thousandths, 0 to 1000
    std::size_t position;
};

bool is_alphanumeric(char c)
{
    return is_alpha(c) || is_digit(c);
}

// RFC 4647 language-range: "*" or 1*8ALPHA *("-" 1*8alphanum).
bool is_language_range(std::string_view range)
{
    if (range == "*") {
        return true;
    }

    std::size_t start = 0;
    bool first = true;
    while (true) {
        std::size_t dash = range.find('-', start);
        std::string_view part = range.substr(start, dash - start);
        if (part.empty() || part.size() > 8) {
            return false;
        }
        for (char c : part) {
            if (first ? !is_alpha(c) : !is_alphanumeric(c)) {
                return false;
            }
        }
        if (dash == std::string_view::npos) {
            return true;
        }
        start = dash + 1;
        first = false;
    }
}

// Parses one element of an Accept-Language header. Returns nullopt for a
// malformed element, which the caller skips. RFC 9110 allows only the q
// parameter here, so an element with any other parameter is malformed.
std::optional<LanguageRange> parse_language_range(std::string_view element,
                                                  std::size_t position)
{
    std::vector<std::string_view> parts = split_outside_quotes(element, ';');
    LanguageRange language{trim_ows(parts[0]), 1000, position};
    if (!is_language_range(language.range) || parts.size() > 2) {
        return std::nullopt;
    }
    if (parts.size() == 1) {
        return language;
    }

    std::string_view parameter = trim_ows(parts[1]);
    if (parameter.size() < 2 || ascii_lower(parameter[0]) != 'q'
        || parameter[1] != '=') {
        return std::nullopt;
    }
    std::optional<int> quality = parse_quality(parameter.substr(2));
    if (!quality) {
        return std::nullopt;
    }
    language.quality = *quality;
    return language;
}

// Returns whether `range` names a subtag of `language`, as "de-CH" does
// for "de" (RFC 4647 lookup falls back from "de-CH" to "de").
bool is_more_specific_range(std::string_view range, std::string_view language)
{
    return range.size() > language.size() && range[language.size()] == '-'
           && equals_ignoring_case(range.substr(0, language.size()),
                                   language);
}

// Quality of `language` and the position of the range that decided it.
// An exact range decides first, even with q=0, which excludes the language.
// Next the best of the more specific ranges with q > 0 ("de-CH" for "de"):
// excluding "de-CH" says nothing about "de". Last comes "*".
std::pair<int, std::size_t>
language_quality(const std::vector<LanguageRange> &ranges,
                 std::string_view language)
{
    const LanguageRange *exact = nullptr;
    const LanguageRange *specific = nullptr;
    const LanguageRange *wildcard = nullptr;
    for (const LanguageRange &range : ranges) {
        if (equals_ignoring_case(range.range, language)) {
            if (exact == nullptr || range.quality > exact->quality) {
                exact = &range;
            }
        } else if (range.quality > 0
                   && is_more_specific_range(range.range, language)) {
            if (specific == nullptr || range.quality > specific->quality) {
                specific = &range;
            }
        } else if (range.range == "*") {
            if (wildcard == nullptr || range.quality > wildcard->quality) {
                wildcard = &range;
            }
        }
    }

    const LanguageRange *decisive =
        exact != nullptr ? exact : specific != nullptr ? specific : wildcard;
    if (decisive == nullptr) {
        return {0, 0};
    }
    return {decisive->quality, decisive->position};
}

// --- Redirect targets ------------------------------------------------------

// Checks the host and optional port of an http(s) URL.
std::string check_authority(std::string_view authority)
{
    if (authority.empty()) {
        return "the URL has no host";
    }
    if (authority.find('@') != std::string_view::npos) {
        return "the URL contains user information (user@host), which is not "
               "allowed";
    }

    std::string_view host;
    std::string_view rest;
    if (authority[0] == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return "the URL has an IPv6 address without a closing ']'";
        }
        host = authority.substr(1, close - 1);
        rest = authority.substr(close + 1);
        if (host.empty()) {
            return "the URL has no host";
        }
        for (char c : host) {
            if (!is_hex_digit(c) && c != ':' && c != '.') {
                return "the URL has an invalid IPv6 address";
            }
        }
    } else {
        std::size_t colon = authority.find(':');
        host = authority.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view()
                                               : authority.substr(colon);
        if (host.empty()) {
            return "the URL has no host";
        }
        for (char c : host) {
            if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '.') {
                return "the URL's host may contain only letters, digits, "
                       "'-' and '.'";
            }
        }
    }

    if (rest.empty()) {
        return {};
    }
    std::string_view port = rest.substr(1);
    bool port_ok = rest[0] == ':' && !port.empty() && port.size() <= 5;
    long number = 0;
    // The loop stops at the first bad character, so at most five digits
    // are summed and `number` cannot overflow.
    for (std::size_t i = 0; port_ok && i < port.size(); ++i) {
        port_ok = is_digit(port[i]);
        number = number * 10 + (port[i] - '0');
    }
    if (!port_ok || number < 1 || number > 65535) {
        return "the URL's port is not a number from 1 to 65535";
    }
    return {};
}

// Checks the path and query: RFC 3986 pchar, '/' and '?', with valid
// percent-encoding.
std::string check_path_and_query(std::string_view text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size() || !is_hex_digit(text[i + 1])
                || !is_hex_digit(text[i + 2])) {
                return "the URL has a '%' that is not followed by two hex "
                       "digits";
            }
            i += 2;
            continue;
        }
        if (is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@'
            || c == '/' || c == '?') {
            continue;
        }
        std::string reason = "the URL contains the character '";
        reason += c;
        reason += "', which must be percent-encoded";
        return reason;
    }
    return {};
}

}  // namespace

// --- Public functions ------------------------------------------------------

Format negotiate_format(std::string_view accept)
{
    std::vector<MediaRange> ranges;
    for (std::string_view element : split_outside_quotes(accept, ',')) {
        if (trim_ows(element).empty()) {
            continue;
        }
        if (std::optional<MediaRange> range = parse_media_range(element)) {
            ranges.push_back(*range);
        }
    }

    Format best_format = Format::html;
    int best_quality = 0;
    for (Format format : kFormatPreference) {
        int quality = 0;
        for (const Offer &offer : kOffers) {
            if (offer.format == format) {
                quality = std::max(quality, offer_quality(ranges, offer));
            }
        }
        if (quality > best_quality) {
            best_format = format;
            best_quality = quality;
        }
    }
    return best_format;
}

std::string_view negotiate_language(std::string_view accept_language)
{
    std::vector<LanguageRange> ranges;
    std::vector<std::string_view> elements =
        split_outside_quotes(accept_language, ',');
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (trim_ows(elements[i]).empty()) {
            continue;
        }
        if (std::optional<LanguageRange> range =
                parse_language_range(elements[i], i)) {
            ranges.push_back(*range);
        }
    }

    // Highest quality wins. On equal quality the range the client listed
    // first wins, and after that the order of available_languages().
    std::string_view best = "en";
    int best_quality = 0;
    std::size_t best_position = 0;
    for (std::string_view language : available_languages()) {
        auto [quality, position] = language_quality(ranges, language);
        bool better = quality > best_quality
                      || (quality == best_quality && quality > 0
                          && position < best_position);
        if (better) {
            best = language;
            best_quality = quality;
            best_position = position;
        }
    }
    return best;
}

std::string_view content_type(Format format)
{
    switch (format) {
    case Format::json:
        return "application/problem+json";
    case Format::text:
        return "text/plain; charset=utf-8";
    case Format::html:
        break;
    }
    return "text/html; charset=utf-8";
}

std::string html_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    append_html_escaped(out, text);
    return out;
}

void append_html_escaped(std::string &out, std::string_view text)
{
    for (std::size_t pos = 0; pos < text.size();) {
        // Pages are mostly plain ASCII, so runs that need no change are
        // copied in one append. The code below handles the other bytes.
        std::size_t run_end = pos;
        while (run_end < text.size()
               && kHtmlPlainByte[static_cast<unsigned char>(text[run_end])]) {
            ++run_end;
        }
        out.append(text.data() + pos, run_end - pos);
        pos = run_end;
        if (pos == text.size()) {
            break;
        }

        Utf8Sequence sequence = decode_utf8(text, pos);
        std::string_view bytes = text.substr(pos, sequence.length);
        pos += sequence.length;

        // Invalid UTF-8 and control characters other than TAB, LF and CR
        // are parse errors in HTML, so they become U+FFFD.
        char32_t cp = sequence.code_point;
        bool control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
        if (!sequence.valid
            || (control && cp != '\t' && cp != '\n' && cp != '\r')) {
            out += kReplacementCharacter;
            continue;
        }

        switch (cp) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += bytes;
            break;
        }
    }
}

std::string text_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        Utf8Sequence sequence = decode_utf8(text, pos);
        std::string_view bytes = text.substr(pos, sequence.length);
        pos += sequence.length;

        // U+2028 and U+2029 end a line in some viewers, like CR and LF.
        char32_t cp = sequence.code_point;
        bool control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
        if (!sequence.valid || control || cp == 0x2028 || cp == 0x2029) {
            out += kReplacementCharacter;
        } else {
            out += bytes;
        }
    }
    return out;
}

std::string json_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        Utf8Sequence sequence = decode_utf8(text, pos);
        std::string_view bytes = text.substr(pos, sequence.length);
        pos += sequence.length;

        char32_t cp = sequence.code_point;
        if (!sequence.valid) {
            out += kReplacementCharacter;
        } else if (cp == '"') {
            out += "\\\"";
        } else if (cp == '\\') {
            out += "\\\\";
        } else if (cp < 0x20 || cp == 0x7f) {
            out += "\\u00";
            append_hex_byte(out, static_cast<unsigned char>(cp), false);
        } else if (cp == 0x2028) {
            // U+2028 and U+2029 are valid in JSON but end a line in
            // JavaScript before ES2019.
            out += "\\u2028";
        } else if (cp == 0x2029) {
            out += "\\u2029";
        } else {
            out += bytes;
        }
    }
    return out;
}

std::string percent_encode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (is_unreserved(c)) {
            out += c;
        } else {
            out += '%';
            append_hex_byte(out, static_cast<unsigned char>(c), true);
        }
    }
    return out;
}

std::string log_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (byte < 0x20 || byte >= 0x7f) {
            out += "\\x";
            append_hex_byte(out, byte, false);
        } else {
            out += c;
        }
    }
    return out;
}

std::string check_redirect_target(std::string_view url)
{
    if (url.empty()) {
        return "the URL is empty";
    }
    for (char c : url) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) {
            return "the URL contains white space or a control character";
        }
        if (byte >= 0x80) {
            return "the URL contains a non-ASCII byte, which must be "
                   "percent-encoded";
        }
    }
    if (url.find('#') != std::string_view::npos) {
        return "the URL contains a fragment ('#'), which is not allowed";
    }

    constexpr std::string_view separator = "://";
    std::size_t scheme_end = url.find(separator);
    std::string_view scheme = url.substr(0, scheme_end);
    if (scheme_end == std::string_view::npos
        || (!equals_ignoring_case(scheme, "http")
            && !equals_ignoring_case(scheme, "https"))) {
        return "the URL must start with http:// or https://";
    }

    std::string_view rest = url.substr(scheme_end + separator.size());
    std::size_t authority_end = rest.find_first_of("/?");
    std::string reason = check_authority(rest.substr(0, authority_end));
    if (!reason.empty() || authority_end == std::string_view::npos) {
        return reason;
    }
    return check_path_and_query(rest.substr(authority_end));
}

std::string build_redirect(std::string_view target, Outcome outcome)
{
    const OutcomeInfo &info = outcome_info(outcome);

    // check_redirect_target rejects fragments. One is still kept after the
    // query here, so that a target that skipped the check stays a
    // well-formed URL.
    std::size_t hash = target.find('#');
    std::string_view base = target.substr(0, hash);
    std::string_view fragment = hash == std::string_view::npos
                                    ? std::string_view()
                                    : target.substr(hash);

    std::string url(base);
    if (url.find('?') == std::string::npos) {
        url += '?';
    } else if (url.back() != '?' && url.back() != '&') {
        url += '&';
    }
    url += "outcome=";
    url += percent_encode(info.name);
    url += "&substatus=";
    url += percent_encode(info.substatus_text);
    url += fragment;
    return url;
}

}  // namespace certhelp
