// Tests of content negotiation, response bodies, escaping and redirects.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cstddef>
#include <ostream>
#include <string>
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
