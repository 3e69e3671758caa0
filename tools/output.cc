// Text output shared by the subcommands.
#include "output.h"

#include "certhelp/certificate.h"

#include <openssl/bio.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace certhelp_cli {

namespace {

constexpr std::size_t kWidth = 78;
constexpr std::size_t kLabelWidth = 14;

void append_hex_escape(std::string &out, unsigned char byte)
{
    constexpr char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[byte >> 4];
    out += digits[byte & 0x0f];
}

// Returns the length of the valid UTF-8 sequence at text[pos], or 0 when
// the bytes there are not one (overlong forms and surrogates included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos)
{
    auto byte = [&](std::size_t i) {
        return static_cast<unsigned char>(text[pos + i]);
    };
    unsigned char first = byte(0);
    std::size_t length = 0;
    char32_t code_point = 0;
    if (first >= 0xc2 && first <= 0xdf) {
        length = 2;
        code_point = first & 0x1f;
    } else if (first >= 0xe0 && first <= 0xef) {
        length = 3;
        code_point = first & 0x0f;
    } else if (first >= 0xf0 && first <= 0xf4) {
        length = 4;
        code_point = first & 0x07;
    } else {
        return 0;
    }
    if (pos + length > text.size()) {
        return 0;
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) {
            return 0;
        }
        code_point = (code_point << 6) | (byte(i) & 0x3f);
    }
    bool overlong = (length == 3 && code_point < 0x800)
                    || (length == 4 && code_point < 0x10000);
    bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
    if (overlong || surrogate || code_point > 0x10ffff) {
        return 0;
    }
    // C1 control characters (U+0080 to U+009F) act as escape sequences
    // on some terminals.
    if (code_point >= 0x80 && code_point <= 0x9f) {
        return 0;
    }
    return length;
}

std::vector<std::string_view> split_words(std::string_view text)
{
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t begin = text.find_first_not_of(' ', pos);
        if (begin == std::string_view::npos) {
            break;
        }
        std::size_t end = text.find(' ', begin);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        words.push_back(text.substr(begin, end - begin));
        pos = end;
    }
    return words;
}

// Prints words from column `start` on, wrapping at kWidth to `indent`.
void print_words(std::ostream &out, std::string_view text, std::size_t start,
                 std::size_t indent)
{
    std::size_t column = start;
    bool line_empty = true;
    for (std::string_view word : split_words(text)) {
        if (!line_empty && column + 1 + word.size() > kWidth) {
            out << '\n' << std::string(indent, ' ');
            column = indent;
            line_empty = true;
        }
        if (!line_empty) {
            out << ' ';
            ++column;
        }
        out << word;
        column += word.size();
        line_empty = false;
    }
    out << '\n';
}

struct BioFree {
    void operator()(BIO *bio) const { BIO_free(bio); }
};

}  // namespace

std::string printable(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto byte = static_cast<unsigned char>(text[pos]);
        if (byte < 0x80) {
            if (byte < 0x20 || byte == 0x7f) {
                append_hex_escape(out, byte);
            } else {
                out += static_cast<char>(byte);
            }
            ++pos;
            continue;
        }
        std::size_t length = utf8_sequence_length(text, pos);
        if (length == 0) {
            append_hex_escape(out, byte);
            ++pos;
            continue;
        }
        out.append(text.substr(pos, length));
        pos += length;
    }
    return out;
}

namespace {

// Returns the label with its colon, padded to the value column.
std::string field_head(std::string_view label, int indent)
{
    std::string head(static_cast<std::size_t>(indent), ' ');
    head += label;
    head += ':';
    std::size_t value_column =
        std::max(head.size() + 1,
                 static_cast<std::size_t>(indent) + kLabelWidth);
    head.resize(value_column, ' ');
    return head;
}

}  // namespace

void print_field(std::ostream &out, std::string_view label,
                 std::string_view value, int indent)
{
    out << field_head(label, indent) << value << '\n';
}

void print_text_field(std::ostream &out, std::string_view label,
                      std::string_view text, int indent)
{
    std::string head = field_head(label, indent);
    out << head;
    print_words(out, text, head.size(), head.size());
}

void print_wrapped(std::ostream &out, std::string_view text, int indent,
                   std::string_view bullet)
{
    std::string head(static_cast<std::size_t>(indent), ' ');
    head += bullet;
    out << head;
    print_words(out, text, head.size(), head.size());
}

void print_certificate(std::ostream &out,
                       const certhelp::CertificateDetails &details,
                       int indent)
{
    print_field(out, "subject", printable(details.subject), indent);
    print_field(out, "issuer", printable(details.issuer), indent);
    print_field(out, "serial", printable(details.serial), indent);
    std::string validity =
        (details.not_before.empty() ? "(unreadable)" : details.not_before)
        + " to "
        + (details.not_after.empty() ? "(unreadable)" : details.not_after);
    print_field(out, "validity", printable(validity), indent);
}

void print_explanation(std::ostream &out,
                       const certhelp::Explanation &explanation)
{
    out << certhelp::code_kind_name(explanation.kind) << ' '
        << explanation.code;
    if (!explanation.name.empty()) {
        out << ": " << explanation.name;
    }
    out << "\n\n";
    print_wrapped(out, explanation.meaning, 2);

    auto print_list = [&out](std::string_view title,
                             const std::vector<std::string> &items) {
        if (items.empty()) {
            return;
        }
        out << '\n' << title << '\n';
        for (const std::string &item : items) {
            print_wrapped(out, item, 2, "- ");
        }
    };
    print_list("Likely causes:", explanation.causes);
    print_list("What the certificate holder can do:", explanation.user_steps);
    print_list("What the server administrator can do:",
               explanation.admin_steps);
    print_list("Related:", explanation.related);
}

std::string format_name(const X509_NAME *name)
{
    return certhelp::describe_name(name);
}

}  // namespace certhelp_cli
