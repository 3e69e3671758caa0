// Tests of content negotiation, response bodies, escaping and redirects.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cstddef>
#include <ctime>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certhelp/render.h"

namespace certhelp {

// Prints formats by name in failure messages.
static std::ostream &operator<<(std::ostream &stream, Format format)
{
    switch (format) {
    case Format::html:
        return stream << "html";
    case Format::json:
        return stream << "json";
    case Format::text:
        return stream << "text";
    }
    return stream << "format " << static_cast<int>(format);
}

}  // namespace certhelp

using certhelp::Format;
using certhelp::Outcome;

namespace {

const std::vector<Format> kFormats = {Format::html, Format::json,
                                      Format::text};

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

bool starts_with(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

// Returns whether `body` starts like an absolute URL in the sense of
// httpd's ap_is_url: one or more of [A-Za-z0-9+.-] followed by ':'.
bool starts_like_scheme(const std::string &body)
{
    std::size_t i = 0;
    while (i < body.size()
           && (std::isalnum(static_cast<unsigned char>(body[i]))
               || body[i] == '+' || body[i] == '-' || body[i] == '.')) {
        ++i;
    }
    return i > 0 && i < body.size() && body[i] == ':';
}

std::size_t count(const std::string &text, const std::string &part)
{
    std::size_t found = 0;
    for (std::size_t pos = text.find(part); pos != std::string::npos;
         pos = text.find(part, pos + part.size())) {
        ++found;
    }
    return found;
}

certhelp::ResponseContext make_context(Outcome outcome)
{
    certhelp::ResponseContext context;
    context.outcome = outcome;
    context.request_path = "/secure/index.html";
    context.server_name = "www.example.org";
    return context;
}

const std::string kReplacement = "\xEF\xBF\xBD";

}  // namespace

BOOST_AUTO_TEST_SUITE(negotiate)

struct NegotiationCase {
    std::string accept;
    Format format;
};

void check_cases(const std::vector<NegotiationCase> &cases)
{
    for (const NegotiationCase &test : cases) {
        BOOST_TEST_CONTEXT("Accept: " << test.accept)
        {
            BOOST_TEST(certhelp::negotiate_format(test.accept) == test.format);
        }
    }
}

BOOST_AUTO_TEST_CASE(plain_types)
{
    check_cases({
        {"", Format::html},
        {"text/html", Format::html},
        {"application/xhtml+xml", Format::html},
        {"application/problem+json", Format::json},
        {"application/json", Format::json},
        {"text/plain", Format::text},
        {"image/png", Format::html},
    });
}

BOOST_AUTO_TEST_CASE(wildcards)
{
    check_cases({
        {"*/*", Format::html},
        {"text/*", Format::html},
        {"application/*", Format::json},
        {"text/*;q=0.1, text/plain", Format::text},
        {"*/*;q=0.1, text/plain;q=0.2", Format::text},
        {"application/*;q=0.5, */*;q=0.4", Format::json},
        // text/html itself is excluded, and xhtml counts only by name.
        {"text/html;q=0, */*", Format::json},
        {"text/html;q=0, application/problem+json;q=0, */*", Format::text},
        {"text/*;q=0.5, text/html;q=0", Format::text},
    });
}

BOOST_AUTO_TEST_CASE(q_values)
{
    check_cases({
        {"text/plain, text/html;q=0.5", Format::text},
        {"application/json;q=0.9, text/html;q=0.8", Format::json},
        {"text/html;q=0.001, text/plain;q=0.002", Format::text},
        {"text/html;q=1.000, text/plain;q=1", Format::html},
        {"text/html;q=0., text/plain;q=0.5", Format::text},
        {"text/plain;q=1., text/html;q=0.999", Format::text},
    });
}

BOOST_AUTO_TEST_CASE(zero_quality)
{
    check_cases({
        {"text/html;q=0", Format::html},
        {"*/*;q=0", Format::html},
        {"text/plain;q=0", Format::html},
        {"text/html;q=0, text/plain;q=0.001", Format::text},
        {"application/json;q=0.000, text/plain;q=0.1", Format::text},
        {"text/plain;q=0, */*", Format::html},
    });
}

BOOST_AUTO_TEST_CASE(tie_order)
{
    check_cases({
        {"text/plain, application/json", Format::json},
        {"application/json, text/html", Format::html},
        {"text/plain, text/html", Format::html},
        {"text/plain;q=0.5, application/json;q=0.5", Format::json},
    });
}

BOOST_AUTO_TEST_CASE(case_insensitive)
{
    check_cases({
        {"TEXT/PLAIN", Format::text},
        {"Application/JSON", Format::json},
        {"text/plain;Q=1, text/html;q=0.5", Format::text},
        {"TEXT/*;q=0.2, APPLICATION/PROBLEM+JSON;Q=0.3", Format::json},
    });
}

BOOST_AUTO_TEST_CASE(parameters_ignored)
{
    check_cases({
        {"text/plain;charset=utf-8;level=1", Format::text},
        {"text/plain ; charset=utf-8 ; q=0.9 , text/html;q=0.5",
         Format::text},
        {"text/plain;foo=\"a,b;q=0\";q=0.9, text/html;q=0.5", Format::text},
        {"text/plain;flag, text/html;q=0.5", Format::text},
        {"text/plain;q=0.9;q=0.1, text/html;q=0.5", Format::text},
    });
}

BOOST_AUTO_TEST_CASE(malformed_parts)
{
    check_cases({
        {"garbage", Format::html},
        {"text/plain;q=abc, application/json;q=0.5", Format::json},
        {"text/plain;q=1.5", Format::html},
        {"text/plain;q=0.1234", Format::html},
        {"text/plain;q=", Format::html},
        {"text/plain;q=-1", Format::html},
        {"*/plain", Format::html},
        {"/json", Format::html},
        {"application/", Format::html},
        {"text/plain/extra", Format::html},
        {"text /plain", Format::html},
        {",,, text/plain ,,,", Format::text},
        {"text/plain;foo=\"unterminated, application/json", Format::text},
        {std::string("text/plain\0, application/json", 29), Format::json},
        {"\xff\xfe/\x80, text/plain", Format::text},
    });
}

BOOST_AUTO_TEST_CASE(browser_headers)
{
    check_cases({
        {"text/html,application/xhtml+xml,application/xml;q=0.9,"
         "image/avif,image/webp,*/*;q=0.8",
         Format::html},
        // Every type has q=1 through */*, so the tie order picks HTML.
        {"application/json, text/plain, */*", Format::html},
        {"*/*", Format::html},
    });
}

BOOST_AUTO_TEST_CASE(very_long_header)
{
    std::string many_ranges;
    for (int i = 0; i < 20000; ++i) {
        many_ranges += "image/png;q=0.5, ";
    }
    many_ranges += "text/plain";
    std::string junk(100000, ';');
    std::string long_token(100000, 'x');

    BOOST_TEST(certhelp::negotiate_format(many_ranges) == Format::text);
    BOOST_TEST(certhelp::negotiate_format(junk) == Format::html);
    BOOST_TEST(certhelp::negotiate_format(long_token + "/json")
               == Format::html);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(render)

BOOST_AUTO_TEST_CASE(content_types)
{
    BOOST_TEST(certhelp::content_type(Format::html)
               == "text/html; charset=utf-8");
    BOOST_TEST(certhelp::content_type(Format::json)
               == "application/problem+json");
    BOOST_TEST(certhelp::content_type(Format::text)
               == "text/plain; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(html_document)
{
    std::string body =
        certhelp::render(Format::html, make_context(Outcome::missing));
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(Outcome::missing);

    BOOST_TEST(starts_with(body, "<!DOCTYPE html>\n"));
    BOOST_TEST(contains(body, "<html lang=\"en\">"));
    BOOST_TEST(contains(body, "<meta charset=\"utf-8\">"));
    BOOST_TEST(contains(body,
                        "<title>403.7 Client certificate required</title>"));
    BOOST_TEST(contains(body, "<h1>403.7 Client certificate required</h1>"));
    BOOST_TEST(contains(body, "<style>"));
    BOOST_TEST(contains(body, std::string(info.explanation)));
    BOOST_TEST(contains(body, certhelp::html_escape(info.remedy)));
    BOOST_TEST(contains(body, "/secure/index.html"));
    BOOST_TEST(contains(body, "www.example.org"));
    BOOST_TEST(contains(body, "</html>"));
}

BOOST_AUTO_TEST_CASE(html_self_contained)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        std::string body =
            certhelp::render(Format::html, make_context(outcome));
        BOOST_TEST_CONTEXT("outcome " << certhelp::outcome_info(outcome).name)
        {
            BOOST_TEST(!contains(body, "<script"));
            BOOST_TEST(!contains(body, "<link"));
            BOOST_TEST(!contains(body, "<img"));
            BOOST_TEST(!contains(body, "src="));
            BOOST_TEST(!contains(body, "url("));
            BOOST_TEST(!contains(body, "http:"));
            BOOST_TEST(!contains(body, "https:"));
        }
    }
}

BOOST_AUTO_TEST_CASE(html_heading_per_outcome)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
        std::string heading = std::string(info.substatus_text) + " "
                              + std::string(info.title);
        if (info.substatus_text.empty()) {
            heading = std::string(info.title);
        }
        std::string body =
            certhelp::render(Format::html, make_context(outcome));
        BOOST_TEST_CONTEXT("outcome " << info.name)
        {
            BOOST_TEST(contains(body, "<title>" + heading + "</title>"));
            BOOST_TEST(contains(body, "<h1>" + heading + "</h1>"));
        }
    }
}

BOOST_AUTO_TEST_CASE(html_hostile_context)
{
    certhelp::ResponseContext context = make_context(Outcome::expired);
    context.request_path = "/<script>alert('x')</script>?a=1&b=\"2\"";
    context.server_name = "evil\"><img src=x onerror=alert(1)>";

    std::string body = certhelp::render(Format::html, context);

    BOOST_TEST(!contains(body, "<script>"));
    BOOST_TEST(!contains(body, "<img"));
    BOOST_TEST(contains(body, "/&lt;script&gt;alert(&#39;x&#39;)"));
    BOOST_TEST(contains(body, "?a=1&amp;b=&quot;2&quot;"));
    BOOST_TEST(contains(body, "evil&quot;&gt;&lt;img src=x"));
}

BOOST_AUTO_TEST_CASE(json_problem)
{
    std::string body =
        certhelp::render(Format::json, make_context(Outcome::missing));
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(Outcome::missing);
    std::string expected =
        "{\"type\":\"tag:mod-certhelp,2026:outcome:missing\","
        "\"title\":\"Client certificate required\","
        "\"status\":403,"
        "\"detail\":\"" + std::string(info.explanation) + "\","
        "\"outcome\":\"missing\","
        "\"substatus\":\"403.7\","
        "\"remedy\":\"" + std::string(info.remedy) + "\","
        "\"instance\":\"/secure/index.html\"}\n";

    BOOST_TEST(body == expected);
}

BOOST_AUTO_TEST_CASE(json_every_outcome)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
        std::string body =
            certhelp::render(Format::json, make_context(outcome));
        BOOST_TEST_CONTEXT("outcome " << info.name)
        {
            BOOST_TEST(contains(body, "\"type\":\"tag:mod-certhelp,2026:"
                                      "outcome:"
                                          + std::string(info.name) + "\""));
            BOOST_TEST(contains(body, "\"outcome\":\"" + std::string(info.name)
                                          + "\""));
            BOOST_TEST(contains(body, "\"substatus\":\""
                                          + std::string(info.substatus_text)
                                          + "\""));
        }
    }
}

BOOST_AUTO_TEST_CASE(json_status_and_instance)
{
    certhelp::ResponseContext context = make_context(Outcome::revoked);
    context.status = 401;
    context.request_path = "/a\"b\\c\nd";

    std::string body = certhelp::render(Format::json, context);

    BOOST_TEST(contains(body, "\"status\":401,"));
    BOOST_TEST(contains(body, "\"instance\":\"/a\\\"b\\\\c\\u000ad\"}"));
}

BOOST_AUTO_TEST_CASE(text_body)
{
    std::string body =
        certhelp::render(Format::text, make_context(Outcome::missing));
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(Outcome::missing);
    std::string expected = "403.7 Client certificate required\n\n"
                           + std::string(info.explanation) + "\n\n"
                           + std::string(info.remedy) + "\n";

    BOOST_TEST(body == expected);
}

BOOST_AUTO_TEST_CASE(url_check_helper)
{
    BOOST_TEST(starts_like_scheme("https://example.org/"));
    BOOST_TEST(starts_like_scheme("403.7:x"));
    BOOST_TEST(!starts_like_scheme("403.7 Client: x"));
    BOOST_TEST(!starts_like_scheme(":x"));
    BOOST_TEST(!starts_like_scheme("<!DOCTYPE html>"));
}

BOOST_AUTO_TEST_CASE(bodies_not_url_like)
{
    // httpd's ap_custom_response treats a string that starts with '/' or
    // looks like a URL (ap_is_url) as a redirect target, not as a body.
    for (Outcome outcome : certhelp::all_outcomes()) {
        for (Format format : kFormats) {
            certhelp::ResponseContext context = make_context(outcome);
            context.request_path = "http://evil.example/";
            std::string body = certhelp::render(format, context);
            BOOST_TEST_CONTEXT("outcome "
                               << certhelp::outcome_info(outcome).name
                               << ", format " << format)
            {
                BOOST_TEST_REQUIRE(!body.empty());
                BOOST_TEST(body[0] != '/');
                BOOST_TEST(!starts_like_scheme(body));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(escape)

BOOST_AUTO_TEST_CASE(html_markup)
{
    BOOST_TEST(certhelp::html_escape("<a href=\"x\">'&'</a>")
               == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    BOOST_TEST(certhelp::html_escape("&amp;") == "&amp;amp;");
    BOOST_TEST(certhelp::html_escape("100% plain") == "100% plain");
    BOOST_TEST(certhelp::html_escape("") == "");
}

BOOST_AUTO_TEST_CASE(html_utf8_and_controls)
{
    BOOST_TEST(certhelp::html_escape("Z\xC3\xBCrich \xF0\x9F\x94\x92")
               == "Z\xC3\xBCrich \xF0\x9F\x94\x92");
    BOOST_TEST(certhelp::html_escape("a\r\nb\tc") == "a\r\nb\tc");
    BOOST_TEST(certhelp::html_escape(std::string("a\0b", 3))
               == "a" + kReplacement + "b");
    BOOST_TEST(certhelp::html_escape("a\x1b[31mb")
               == "a" + kReplacement + "[31mb");
    BOOST_TEST(certhelp::html_escape("a\xC2\x85z") == "a" + kReplacement + "z");
    BOOST_TEST(certhelp::html_escape("a\xFF<") == "a" + kReplacement + "&lt;");
}

BOOST_AUTO_TEST_CASE(json_quotes_and_controls)
{
    BOOST_TEST(certhelp::json_escape("say \"hi\" \\o/")
               == "say \\\"hi\\\" \\\\o/");
    BOOST_TEST(certhelp::json_escape("a\r\nb") == "a\\u000d\\u000ab");
    BOOST_TEST(certhelp::json_escape(std::string("\0", 1)) == "\\u0000");
    BOOST_TEST(certhelp::json_escape("\x1f\x7f") == "\\u001f\\u007f");
    BOOST_TEST(certhelp::json_escape("\t") == "\\u0009");
    BOOST_TEST(certhelp::json_escape("100%</script>") == "100%</script>");
}

BOOST_AUTO_TEST_CASE(json_line_separators)
{
    BOOST_TEST(certhelp::json_escape("a\xE2\x80\xA8z") == "a\\u2028z");
    BOOST_TEST(certhelp::json_escape("a\xE2\x80\xA9z") == "a\\u2029z");
    BOOST_TEST(certhelp::json_escape("\xE2\x80\xA7") == "\xE2\x80\xA7");
}

BOOST_AUTO_TEST_CASE(json_valid_utf8_kept)
{
    const std::string text =
        "Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x94\x92 "
        "\xF4\x8F\xBF\xBF \xED\x9F\xBF";

    BOOST_TEST(certhelp::json_escape(text) == text);
}

BOOST_AUTO_TEST_CASE(json_invalid_utf8)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        // Lone continuation byte and bytes that never occur.
        {"a\x80z", "a" + kReplacement + "z"},
        {"\xFF\xFE", kReplacement + kReplacement},
        {"\xF5\x80", kReplacement + kReplacement},
        // Overlong encodings of '/' and NUL.
        {"\xC0\xAF", kReplacement + kReplacement},
        {"\xE0\x80\xAF", kReplacement + kReplacement + kReplacement},
        // UTF-16 surrogate.
        {"\xED\xA0\x80", kReplacement + kReplacement + kReplacement},
        // Above U+10FFFF.
        {"\xF4\x90\x80\x80",
         kReplacement + kReplacement + kReplacement + kReplacement},
        // Truncated sequences: one replacement for the maximal subpart.
        {"\xE2\x82", kReplacement},
        {"\xE2\x82z", kReplacement + "z"},
        {"\xF0\x9F\x94", kReplacement},
        {"\xF0\x9F\x94\"", kReplacement + "\\\""},
    };
    for (const auto &[input, expected] : cases) {
        BOOST_TEST_CONTEXT("input of " << input.size() << " bytes")
        {
            BOOST_TEST(certhelp::json_escape(input) == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(percent_encoding)
{
    BOOST_TEST(certhelp::percent_encode("AZaz09-._~") == "AZaz09-._~");
    BOOST_TEST(certhelp::percent_encode("a b/c?d=e&f%#")
               == "a%20b%2Fc%3Fd%3De%26f%25%23");
    BOOST_TEST(certhelp::percent_encode("\xC3\xBC") == "%C3%BC");
    BOOST_TEST(certhelp::percent_encode(std::string("\0\r\n", 3))
               == "%00%0D%0A");
    BOOST_TEST(certhelp::percent_encode("403.7") == "403.7");
    BOOST_TEST(certhelp::percent_encode("") == "");
}

BOOST_AUTO_TEST_CASE(log_escaping)
{
    BOOST_TEST(certhelp::log_escape("CN=Alice, O=Example")
               == "CN=Alice, O=Example");
    BOOST_TEST(certhelp::log_escape("a\"b\\c") == "a\\\"b\\\\c");
    BOOST_TEST(certhelp::log_escape("line\r\nforged: entry")
               == "line\\x0d\\x0aforged: entry");
    BOOST_TEST(certhelp::log_escape(std::string("a\0b", 3)) == "a\\x00b");
    BOOST_TEST(certhelp::log_escape("\x7f\xC3\xBC\xFF")
               == "\\x7f\\xc3\\xbc\\xff");
    BOOST_TEST(certhelp::log_escape("100% <ok>") == "100% <ok>");
}

BOOST_AUTO_TEST_CASE(long_organisation_name)
{
    std::string name = "O=";
    for (int i = 0; i < 256; ++i) {
        name += "<&\"'\r\n\xC3\xBC";
    }
    BOOST_TEST_REQUIRE(name.size() == 2050U);

    std::string html = certhelp::html_escape(name);
    std::string json = certhelp::json_escape(name);
    std::string log = certhelp::log_escape(name);
    std::string url = certhelp::percent_encode(name);

    BOOST_TEST(count(html, "&lt;&amp;&quot;&#39;\r\n\xC3\xBC") == 256U);
    BOOST_TEST(count(json, "<&\\\"'\\u000d\\u000a\xC3\xBC") == 256U);
    BOOST_TEST(count(log, "<&\\\"'\\x0d\\x0a\\xc3\\xbc") == 256U);
    BOOST_TEST(count(url, "%3C%26%22%27%0D%0A%C3%BC") == 256U);
    BOOST_TEST(!contains(log, "\n"));
    BOOST_TEST(!contains(json, "\n"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(redirect)

BOOST_AUTO_TEST_CASE(valid_targets)
{
    const std::vector<std::string> valid = {
        "https://example.org/help",
        "http://example.org",
        "https://example.org:8443/a/b?x=1&y=%2F",
        "HTTPS://Example.ORG/",
        "https://[::1]:8443/",
        "https://127.0.0.1/cert-help?lang=en",
        "https://example.org/p%20q;v=1/@x:y!$'()*+,",
        "https://example.org?only=query",
    };
    for (const std::string &url : valid) {
        BOOST_TEST_CONTEXT("URL " << url)
        {
            BOOST_TEST(certhelp::check_redirect_target(url) == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(invalid_targets)
{
    const std::vector<std::string> invalid = {
        "",
        "/help",
        "//example.org/help",
        "ftp://example.org/",
        "javascript:alert(1)",
        "https:example.org",
        "https://",
        "https:///path",
        "https://?q",
        "https://user@example.org/",
        "https://user:secret@example.org/",
        "https://example.org/#top",
        "https://example.org/a b",
        "https://example.org/a\tb",
        "https://example.org/\r\nSet-Cookie: x=1",
        std::string("https://example.org/\0", 21),
        "https://example.org:0/",
        "https://example.org:65536/",
        "https://example.org:/",
        "https://example.org:12a/",
        "https://example.org:443:443/",
        "https://exa_mple.org/",
        "https://example.org/%zz",
        "https://example.org/%4",
        "https://example.org/a\\b",
        "https://example.org/<x>",
        "https://example.org/\"",
        "https://ex\xC3\xA4mple.org/",
        "https://[::1/",
        "https://[]/",
        "https://[::g]/",
        "https://[::1]x/",
    };
    for (const std::string &url : invalid) {
        BOOST_TEST_CONTEXT("URL " << certhelp::log_escape(url))
        {
            BOOST_TEST(!certhelp::check_redirect_target(url).empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(reasons_named)
{
    BOOST_TEST(contains(certhelp::check_redirect_target("https://h/#x"),
                        "fragment"));
    BOOST_TEST(contains(certhelp::check_redirect_target("https://u@h/"),
                        "user information"));
    BOOST_TEST(contains(certhelp::check_redirect_target("ftp://h/"),
                        "http:// or https://"));
    BOOST_TEST(contains(certhelp::check_redirect_target("https://h/a b"),
                        "white space"));
}

BOOST_AUTO_TEST_CASE(build_without_query)
{
    BOOST_TEST(certhelp::build_redirect("https://example.org/help",
                                        Outcome::missing)
               == "https://example.org/help?outcome=missing&substatus=403.7");
    BOOST_TEST(certhelp::build_redirect("https://example.org",
                                        Outcome::revoked)
               == "https://example.org?outcome=revoked&substatus=403.13");
}

BOOST_AUTO_TEST_CASE(build_with_query)
{
    BOOST_TEST(certhelp::build_redirect("https://example.org/help?lang=en",
                                        Outcome::not_yet_valid)
               == "https://example.org/help?lang=en&outcome=not-yet-valid"
                  "&substatus=403.17");
    BOOST_TEST(certhelp::build_redirect("https://example.org/help?",
                                        Outcome::expired)
               == "https://example.org/help?outcome=expired&substatus=403.17");
    BOOST_TEST(certhelp::build_redirect("https://example.org/help?a=1&",
                                        Outcome::invalid)
               == "https://example.org/help?a=1&outcome=invalid"
                  "&substatus=403.16");
}

BOOST_AUTO_TEST_CASE(build_keeps_fragment_last)
{
    BOOST_TEST(certhelp::build_redirect("https://example.org/p?a=1#top",
                                        Outcome::untrusted)
               == "https://example.org/p?a=1&outcome=untrusted"
                  "&substatus=403.16#top");
}

BOOST_AUTO_TEST_CASE(built_targets_valid)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        std::string url =
            certhelp::build_redirect("https://example.org/help?x=1", outcome);
        BOOST_TEST_CONTEXT("URL " << url)
        {
            BOOST_TEST(certhelp::check_redirect_target(url) == "");
            BOOST_TEST(contains(url, "outcome="
                                         + std::string(certhelp::outcome_info(
                                                           outcome)
                                                           .name)));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// 2025-01-01T00:00:00Z and 2026-01-01T00:00:00Z.
constexpr std::time_t kNotBefore = 1735689600;
constexpr std::time_t kNotAfter = 1767225600;
constexpr std::time_t kDay = 24 * 60 * 60;

const std::string kSubject = "CN=Alice Example,O=Example Corp,C=DE";
const std::string kIssuer = "CN=Example Issuing CA,O=Example Corp,C=DE";
const std::string kCaOne = "CN=Example Root CA,O=Example Corp,C=DE";
const std::string kCaTwo = "CN=Partner CA,O=Partner Ltd,C=FR";

certhelp::PageDetails make_details(std::time_t now)
{
    certhelp::PageDetails details;
    details.certificate.present = true;
    details.certificate.subject = kSubject;
    details.certificate.issuer = kIssuer;
    details.certificate.serial = "1A2B3C";
    details.certificate.not_before = "2025-01-01T00:00:00Z";
    details.certificate.not_after = "2026-01-01T00:00:00Z";
    details.certificate.not_before_time = kNotBefore;
    details.certificate.not_after_time = kNotAfter;
    details.accepted_cas = {kCaOne, kCaTwo};
    details.now = now;
    return details;
}

certhelp::PageDetails missing_details()
{
    certhelp::PageDetails details;
    details.accepted_cas = {kCaOne, kCaTwo};
    details.now = kNotBefore + 10 * kDay;
    return details;
}

std::string render_with(Format format, Outcome outcome,
                        const certhelp::PageDetails &details,
                        std::string_view language = "en")
{
    certhelp::ResponseContext context = make_context(outcome);
    context.details = &details;
    context.language = language;
    return certhelp::render(format, context);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(details)

BOOST_AUTO_TEST_CASE(html_certificate_rows)
{
    certhelp::PageDetails details = make_details(kNotAfter + 3 * kDay + 5);
    std::string body = render_with(Format::html, Outcome::expired, details);

    BOOST_TEST(contains(body, "<h2>The certificate your browser presented"
                              "</h2>"));
    BOOST_TEST(contains(body, "<dt>Subject</dt><dd>" + kSubject + "</dd>"));
    BOOST_TEST(contains(body, "<dt>Issuer</dt><dd>" + kIssuer + "</dd>"));
    BOOST_TEST(contains(body, "<dt>Serial number</dt><dd>1A2B3C</dd>"));
    BOOST_TEST(contains(body, "<dt>Valid from</dt>"
                              "<dd>2025-01-01T00:00:00Z</dd>"));
    BOOST_TEST(contains(body, "<dt>Valid until</dt>"
                              "<dd>2026-01-01T00:00:00Z "
                              "(expired 3 days ago)</dd>"));
    BOOST_TEST(!contains(body, kCaOne));
    BOOST_TEST(!contains(body, "Why your browser"));
}

BOOST_AUTO_TEST_CASE(html_not_yet_valid_days)
{
    certhelp::PageDetails details = make_details(kNotBefore - 5 * kDay - 60);
    std::string body =
        render_with(Format::html, Outcome::not_yet_valid, details);

    BOOST_TEST(contains(body, "<dd>2025-01-01T00:00:00Z "
                              "(becomes valid in 5 days)</dd>"));
    BOOST_TEST(contains(body, "<dd>2026-01-01T00:00:00Z</dd>"));
}

BOOST_AUTO_TEST_CASE(json_certificate_member)
{
    certhelp::PageDetails details = make_details(kNotAfter + 3 * kDay + 5);
    std::string body = render_with(Format::json, Outcome::expired, details);

    BOOST_TEST(contains(body,
                        ",\"instance\":\"/secure/index.html\","
                        "\"certificate\":{\"subject\":\"" + kSubject + "\","
                        "\"issuer\":\"" + kIssuer + "\","
                        "\"serial\":\"1A2B3C\","
                        "\"not_before\":\"2025-01-01T00:00:00Z\","
                        "\"not_after\":\"2026-01-01T00:00:00Z\","
                        "\"days_since_expiry\":3}}\n"));
    BOOST_TEST(!contains(body, "accepted_cas"));
    BOOST_TEST(!contains(body, "days_until_valid"));
}

BOOST_AUTO_TEST_CASE(json_days_until_valid)
{
    certhelp::PageDetails details = make_details(kNotBefore - 2 * kDay);
    std::string body =
        render_with(Format::json, Outcome::not_yet_valid, details);

    BOOST_TEST(contains(body, "\"not_after\":\"2026-01-01T00:00:00Z\","
                              "\"days_until_valid\":2}"));
    BOOST_TEST(!contains(body, "days_since_expiry"));
}

BOOST_AUTO_TEST_CASE(text_certificate_lines)
{
    certhelp::PageDetails details = make_details(kNotAfter + kDay);
    std::string body = render_with(Format::text, Outcome::expired, details);
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(Outcome::expired);
    std::string expected =
        "403.17 Client certificate expired\n\n"
        + std::string(info.explanation) + "\n\n"
        + std::string(info.remedy) + "\n"
        "\nThe certificate your browser presented\n"
        "Subject: " + kSubject + "\n"
        "Issuer: " + kIssuer + "\n"
        "Serial number: 1A2B3C\n"
        "Valid from: 2025-01-01T00:00:00Z\n"
        "Valid until: 2026-01-01T00:00:00Z (expired 1 day ago)\n";

    BOOST_TEST(body == expected);
}

BOOST_AUTO_TEST_CASE(unreadable_fields_left_out)
{
    certhelp::PageDetails details = make_details(kNotAfter + kDay);
    details.certificate.serial.clear();
    details.certificate.issuer.clear();

    std::string html = render_with(Format::html, Outcome::expired, details);
    std::string text = render_with(Format::text, Outcome::expired, details);

    BOOST_TEST(!contains(html, "Serial number"));
    BOOST_TEST(!contains(html, "<dt>Issuer</dt>"));
    BOOST_TEST(!contains(text, "Serial number"));
    BOOST_TEST(contains(html, "<dt>Subject</dt>"));
}

BOOST_AUTO_TEST_CASE(expired_day_counts)
{
    const std::vector<std::pair<std::time_t, std::string>> cases = {
        {0, "expired 0 days ago"},
        {kDay - 1, "expired 0 days ago"},
        {kDay, "expired 1 day ago"},
        {2 * kDay - 1, "expired 1 day ago"},
        {2 * kDay, "expired 2 days ago"},
        {400 * kDay + 7, "expired 400 days ago"},
    };
    for (const auto &[elapsed, text] : cases) {
        certhelp::PageDetails details = make_details(kNotAfter + elapsed);
        BOOST_TEST_CONTEXT("seconds since expiry " << elapsed)
        {
            std::string html =
                render_with(Format::html, Outcome::expired, details);
            BOOST_TEST(contains(html, "(" + text + ")"));
            std::string json =
                render_with(Format::json, Outcome::expired, details);
            BOOST_TEST(contains(json, "\"days_since_expiry\":"
                                          + std::to_string(elapsed / kDay)
                                          + "}"));
        }
    }
}

BOOST_AUTO_TEST_CASE(not_yet_valid_day_counts)
{
    const std::vector<std::pair<std::time_t, std::string>> cases = {
        {0, "becomes valid in 0 days"},
        {kDay - 1, "becomes valid in 0 days"},
        {kDay, "becomes valid in 1 day"},
        {3 * kDay + 1, "becomes valid in 3 days"},
    };
    for (const auto &[remaining, text] : cases) {
        certhelp::PageDetails details = make_details(kNotBefore - remaining);
        BOOST_TEST_CONTEXT("seconds until valid " << remaining)
        {
            std::string text_body =
                render_with(Format::text, Outcome::not_yet_valid, details);
            BOOST_TEST(contains(text_body, "Valid from: 2025-01-01T00:00:00Z ("
                                               + text + ")\n"));
        }
    }
}

BOOST_AUTO_TEST_CASE(day_counts_per_language)
{
    struct Case {
        std::string language;
        Outcome outcome;
        std::time_t days;
        std::string text;
    };
    const std::vector<Case> cases = {
        {"de", Outcome::expired, 0, "vor 0 Tagen abgelaufen"},
        {"de", Outcome::expired, 1, "vor 1 Tag abgelaufen"},
        {"de", Outcome::expired, 12, "vor 12 Tagen abgelaufen"},
        {"de", Outcome::not_yet_valid, 1, "wird in 1 Tag g\xC3\xBCltig"},
        // French uses the singular for 0 as well (plural=(n > 1)).
        {"fr", Outcome::expired, 0, "expir\xC3\xA9 depuis 0 jour"},
        {"fr", Outcome::expired, 1, "expir\xC3\xA9 depuis 1 jour"},
        {"fr", Outcome::expired, 2, "expir\xC3\xA9 depuis 2 jours"},
        {"fr", Outcome::not_yet_valid, 0, "valide dans 0 jour"},
        {"es", Outcome::expired, 1, "caduc\xC3\xB3 hace 1 d\xC3\xAD" "a"},
        {"es", Outcome::expired, 0, "caduc\xC3\xB3 hace 0 d\xC3\xAD" "as"},
        {"it", Outcome::expired, 1, "scaduto da 1 giorno"},
        {"it", Outcome::not_yet_valid, 7, "diventa valido tra 7 giorni"},
        {"en", Outcome::not_yet_valid, 0, "becomes valid in 0 days"},
    };
    for (const Case &test : cases) {
        std::time_t now = test.outcome == Outcome::expired
                              ? kNotAfter + test.days * kDay + 60
                              : kNotBefore - test.days * kDay - 60;
        certhelp::PageDetails details = make_details(now);
        BOOST_TEST_CONTEXT("language " << test.language << ", days "
                                       << test.days)
        {
            std::string html =
                render_with(Format::html, test.outcome, details,
                            test.language);
            BOOST_TEST(contains(html, "(" + test.text + ")</dd>"));
        }
    }
}

BOOST_AUTO_TEST_CASE(day_count_needs_known_dates)
{
    certhelp::PageDetails unknown_now = make_details(0);
    certhelp::PageDetails unknown_end = make_details(kNotAfter + 9 * kDay);
    unknown_end.certificate.not_after_time = 0;
    // An expired issuer leaves the presented certificate's end in the
    // future, and then its dates do not explain the outcome.
    certhelp::PageDetails leaf_still_valid = make_details(kNotAfter - kDay);

    for (const certhelp::PageDetails *details :
         {&unknown_now, &unknown_end, &leaf_still_valid}) {
        std::string html =
            render_with(Format::html, Outcome::expired, *details);
        std::string json =
            render_with(Format::json, Outcome::expired, *details);
        BOOST_TEST(!contains(html, "days ago"));
        BOOST_TEST(!contains(html, "day ago"));
        BOOST_TEST(!contains(json, "days_since_expiry"));
        BOOST_TEST(contains(json, "\"certificate\":{"));
    }
}

BOOST_AUTO_TEST_CASE(day_count_only_for_date_outcomes)
{
    certhelp::PageDetails details = make_details(kNotAfter + 4 * kDay);
    for (Outcome outcome : {Outcome::revoked, Outcome::untrusted,
                            Outcome::invalid, Outcome::denied}) {
        std::string html = render_with(Format::html, outcome, details);
        std::string json = render_with(Format::json, outcome, details);
        BOOST_TEST_CONTEXT("outcome " << certhelp::outcome_info(outcome).name)
        {
            BOOST_TEST(contains(html, kSubject));
            BOOST_TEST(!contains(html, "days ago"));
            BOOST_TEST(!contains(json, "days_since_expiry"));
            BOOST_TEST(!contains(json, "days_until_valid"));
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_lists_cas_html)
{
    certhelp::PageDetails details = missing_details();
    std::string body = render_with(Format::html, Outcome::missing, details);

    BOOST_TEST(contains(body, "<h2>Certificate authorities this site "
                              "accepts</h2>\n"
                              "<ul class=\"accepted-cas\">\n"
                              "<li>" + kCaOne + "</li>\n"
                              "<li>" + kCaTwo + "</li>\n</ul>\n"));
    BOOST_TEST(contains(body, "<h2>Why your browser may offer no "
                              "certificate</h2>"));
    BOOST_TEST(contains(body, "issued by a certificate authority this site "
                              "accepts"));
    BOOST_TEST(contains(body, "private window"));
    BOOST_TEST(contains(body, "restart your browser"));
    BOOST_TEST(!contains(body, "<dl class=\"certificate\">"));
}

BOOST_AUTO_TEST_CASE(missing_lists_cas_json)
{
    certhelp::PageDetails details = missing_details();
    std::string body = render_with(Format::json, Outcome::missing, details);

    BOOST_TEST(contains(body, ",\"accepted_cas\":[\"" + kCaOne + "\",\""
                                  + kCaTwo + "\"]}\n"));
    BOOST_TEST(!contains(body, "\"certificate\""));
}

BOOST_AUTO_TEST_CASE(missing_lists_cas_text)
{
    certhelp::PageDetails details = missing_details();
    std::string body = render_with(Format::text, Outcome::missing, details);

    BOOST_TEST(contains(body, "\nCertificate authorities this site accepts\n"
                              "- " + kCaOne + "\n- " + kCaTwo + "\n"));
    BOOST_TEST(contains(body, "\nWhy your browser may offer no certificate\n"));
    BOOST_TEST(contains(body, "private window"));
}

BOOST_AUTO_TEST_CASE(missing_without_cas)
{
    certhelp::PageDetails details = missing_details();
    details.accepted_cas.clear();

    std::string html = render_with(Format::html, Outcome::missing, details);
    std::string json = render_with(Format::json, Outcome::missing, details);

    BOOST_TEST(!contains(html, "Certificate authorities this site accepts"));
    BOOST_TEST(!contains(html, "<ul"));
    BOOST_TEST(contains(html, "Why your browser may offer no certificate"));
    BOOST_TEST(contains(json, ",\"accepted_cas\":[]}"));
}

BOOST_AUTO_TEST_CASE(cas_only_for_missing)
{
    certhelp::PageDetails details = make_details(kNotAfter + kDay);
    for (Outcome outcome : certhelp::all_outcomes()) {
        if (outcome == Outcome::missing) {
            continue;
        }
        BOOST_TEST_CONTEXT("outcome " << certhelp::outcome_info(outcome).name)
        {
            for (Format format : kFormats) {
                std::string body = render_with(format, outcome, details);
                BOOST_TEST(!contains(body, kCaOne));
                BOOST_TEST(!contains(body, "accepted_cas"));
                BOOST_TEST(!contains(body, "private window"));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(minimal_disclosure_hides_names)
{
    certhelp::PageDetails details = make_details(kNotAfter + 3 * kDay);
    details.disclose = false;
    const std::vector<std::string> hidden = {
        kSubject, kIssuer, kCaOne,     kCaTwo,       "1A2B3C",
        "2026-01-01", "2025-01-01", "Example", "days ago", "private window",
        "\"certificate\":", "accepted_cas", "<h2>", "Subject",
    };
    for (Outcome outcome : certhelp::all_outcomes()) {
        for (Format format : kFormats) {
            std::string body = render_with(format, outcome, details);
            const certhelp::OutcomeInfo &info =
                certhelp::outcome_info(outcome);
            BOOST_TEST_CONTEXT("outcome " << info.name << ", format "
                                          << format)
            {
                for (const std::string &text : hidden) {
                    BOOST_TEST(!contains(body, text), "shows " << text);
                }
                BOOST_TEST(contains(body, std::string(info.title)));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(minimal_equals_no_details)
{
    certhelp::PageDetails details = missing_details();
    details.disclose = false;
    for (Outcome outcome : certhelp::all_outcomes()) {
        for (Format format : kFormats) {
            std::string without =
                certhelp::render(format, make_context(outcome));
            BOOST_TEST_CONTEXT("outcome "
                               << certhelp::outcome_info(outcome).name
                               << ", format " << format)
            {
                BOOST_TEST(render_with(format, outcome, details) == without);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(hostile_names)

// Subjects a client can put into its certificate, and what each must
// become in HTML, in JSON and in plain text.
struct HostileCase {
    std::string description;
    std::string subject;
    std::string html;
    std::string json;
    std::string text;
};

std::vector<HostileCase> hostile_cases()
{
    std::string long_org = "O=";
    for (int i = 0; i < 256; ++i) {
        long_org += "<&\"'x\xC3\xBC%s";
    }
    std::string long_org_html = "O=";
    std::string long_org_json = "O=";
    for (int i = 0; i < 256; ++i) {
        long_org_html += "&lt;&amp;&quot;&#39;x\xC3\xBC%s";
        long_org_json += "<&\\\"'x\xC3\xBC%s";
    }
    return {
        {"markup", "CN=<script>alert(1)</script>",
         "CN=&lt;script&gt;alert(1)&lt;/script&gt;",
         "CN=<script>alert(1)</script>", "CN=<script>alert(1)</script>"},
        {"quotes", "CN=\"a\" 'b'", "CN=&quot;a&quot; &#39;b&#39;",
         "CN=\\\"a\\\" 'b'", "CN=\"a\" 'b'"},
        {"percent", "CN=%d%s%n%%", "CN=%d%s%n%%", "CN=%d%s%n%%",
         "CN=%d%s%n%%"},
        {"entity", "CN=&lt;b&gt;", "CN=&amp;lt;b&amp;gt;", "CN=&lt;b&gt;",
         "CN=&lt;b&gt;"},
        {"utf8", "CN=Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC",
         "CN=Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC",
         "CN=Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC",
         "CN=Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC"},
        {"line break", "CN=a\r\nSubject: forged",
         "CN=a\r\nSubject: forged", "CN=a\\u000d\\u000aSubject: forged",
         "CN=a" + kReplacement + kReplacement + "Subject: forged"},
        {"invalid utf8", "CN=a\xFF\xC3", "CN=a" + kReplacement + kReplacement,
         "CN=a" + kReplacement + kReplacement,
         "CN=a" + kReplacement + kReplacement},
        {"placeholder", "CN={{details}}{{subject}}",
         "CN={{details}}{{subject}}", "CN={{details}}{{subject}}",
         "CN={{details}}{{subject}}"},
        {"2 KB organization", long_org, long_org_html, long_org_json,
         long_org},
    };
}

BOOST_AUTO_TEST_CASE(escaped_once_per_format)
{
    for (const HostileCase &test : hostile_cases()) {
        certhelp::PageDetails details = make_details(kNotAfter + kDay);
        details.certificate.subject = test.subject;
        details.certificate.issuer = test.subject;
        BOOST_TEST_CONTEXT("subject with " << test.description)
        {
            std::string html =
                render_with(Format::html, Outcome::expired, details);
            std::string json =
                render_with(Format::json, Outcome::expired, details);
            std::string text =
                render_with(Format::text, Outcome::expired, details);

            BOOST_TEST(contains(html, "<dd>" + test.html + "</dd>"));
            BOOST_TEST(count(html, test.html) == 2U);
            BOOST_TEST(contains(json, "\"subject\":\"" + test.json + "\""));
            BOOST_TEST(contains(text, "Subject: " + test.text + "\n"));
            BOOST_TEST(contains(text, "Issuer: " + test.text + "\n"));
            BOOST_TEST(!contains(html, "<script"));
            BOOST_TEST(!contains(text, "\nSubject: forged"));
            BOOST_TEST(count(json, "\n") == 1U);
        }
    }
}

BOOST_AUTO_TEST_CASE(hostile_ca_names)
{
    certhelp::PageDetails details = missing_details();
    details.accepted_cas = {"CN=<b>CA</b>\r\n- forged", "O=\"q\"\\"};

    std::string html = render_with(Format::html, Outcome::missing, details);
    std::string json = render_with(Format::json, Outcome::missing, details);
    std::string text = render_with(Format::text, Outcome::missing, details);

    BOOST_TEST(contains(html, "<li>CN=&lt;b&gt;CA&lt;/b&gt;\r\n- forged</li>"));
    BOOST_TEST(contains(html, "<li>O=&quot;q&quot;\\</li>"));
    BOOST_TEST(contains(json, "[\"CN=<b>CA</b>\\u000d\\u000a- forged\","
                              "\"O=\\\"q\\\"\\\\\"]"));
    BOOST_TEST(contains(text, "- CN=<b>CA</b>" + kReplacement + kReplacement
                                  + "- forged\n"));
    BOOST_TEST(!contains(text, "\n- forged"));
}

BOOST_AUTO_TEST_CASE(text_escape_function)
{
    BOOST_TEST(certhelp::text_escape("CN=Alice, O=Example")
               == "CN=Alice, O=Example");
    BOOST_TEST(certhelp::text_escape("a\tb\rc\nd")
               == "a" + kReplacement + "b" + kReplacement + "c"
                      + kReplacement + "d");
    BOOST_TEST(certhelp::text_escape("a\xE2\x80\xA8z\xE2\x80\xA9")
               == "a" + kReplacement + "z" + kReplacement);
    BOOST_TEST(certhelp::text_escape("a\xC2\x85z\x7f")
               == "a" + kReplacement + "z" + kReplacement);
    BOOST_TEST(certhelp::text_escape("\\x41 <&> Z\xC3\xBCrich")
               == "\\x41 <&> Z\xC3\xBCrich");
    BOOST_TEST(certhelp::text_escape("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
