// Tests of HTML page templates: validation, expansion, escaping, and the
// built-in page that is itself a template.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "certhelp/page_template.h"
#include "certhelp/render.h"

#ifndef CERTHELP_SOURCE_DIR
#error "CERTHELP_SOURCE_DIR must name the source tree (set in Makefile.am)"
#endif

using certhelp::Format;
using certhelp::Outcome;

namespace {

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

certhelp::PageDetails make_details()
{
    certhelp::PageDetails details;
    details.certificate.present = true;
    details.certificate.subject = "CN=Alice,O=Example";
    details.certificate.issuer = "CN=Issuing CA,O=Example";
    details.certificate.serial = "0F";
    details.certificate.not_before = "2025-01-01T00:00:00Z";
    details.certificate.not_after = "2026-01-01T00:00:00Z";
    details.certificate.not_before_time = 1735689600;
    details.certificate.not_after_time = 1767225600;
    details.accepted_cas = {"CN=Root CA,O=Example"};
    details.now = 1767225600 + 2 * 24 * 60 * 60;
    return details;
}

std::string render_template(std::string_view text, Outcome outcome,
                            const certhelp::PageDetails *details,
                            std::string_view language = "en")
{
    certhelp::ResponseContext context;
    context.outcome = outcome;
    context.request_path = "/secure/<a>";
    context.server_name = "www.example.org";
    context.details = details;
    context.language = language;
    context.html_template = text;
    return certhelp::render(Format::html, context);
}

std::string every_placeholder()
{
    std::string text;
    for (const certhelp::PlaceholderInfo &info : certhelp::placeholders()) {
        text += "[" + std::string(info.name) + "={{" + std::string(info.name)
                + "}}]\n";
    }
    return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(check_template)

BOOST_AUTO_TEST_CASE(valid_templates)
{
    const std::vector<std::string> valid = {
        "",
        "plain HTML without placeholders",
        "{{lang}}",
        "<p>{{ title }}</p>",
        "a } b }} c { d",
        "<style>p{color:red}</style>{{remedy}}",
        every_placeholder(),
        std::string(certhelp::builtin_template()),
        std::string(certhelp::kMaxTemplateSize - 8, 'x') + "{{lang}}",
    };
    for (const std::string &text : valid) {
        BOOST_TEST_CONTEXT("template of " << text.size() << " bytes")
        {
            BOOST_TEST(certhelp::check_template(text) == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_placeholder)
{
    std::string reason = certhelp::check_template("abc{{foo}}");

    BOOST_TEST(contains(reason, "unknown placeholder \"{{foo}}\""));
    BOOST_TEST(contains(reason, "at byte 3 (line 1)"));
    BOOST_TEST(contains(reason, "status, substatus"));
}

BOOST_AUTO_TEST_CASE(unknown_placeholder_line)
{
    std::string reason =
        certhelp::check_template("<p>\n{{lang}}\n  {{LANG}}</p>");

    BOOST_TEST(contains(reason, "\"{{LANG}}\""));
    BOOST_TEST(contains(reason, "at byte 15 (line 3)"));
}

BOOST_AUTO_TEST_CASE(raw_syntax_rejected)
{
    BOOST_TEST(contains(certhelp::check_template("{{{subject}}}"),
                        "unknown placeholder \"{{{subject}}\" at byte 0"));
    BOOST_TEST(contains(certhelp::check_template("{{& subject}}"),
                        "unknown placeholder \"{{& subject}}\""));
    BOOST_TEST(contains(certhelp::check_template("{{}}"),
                        "unknown placeholder \"{{}}\""));
}

BOOST_AUTO_TEST_CASE(unterminated_placeholder)
{
    std::string end = certhelp::check_template("<p>x {{lang</p>");
    std::string nested = certhelp::check_template("{{lang {{title}}");
    std::string last = certhelp::check_template("{{lang}} {{");

    BOOST_TEST(contains(end, "unterminated \"{{\" at byte 5 (line 1)"));
    BOOST_TEST(contains(nested, "unterminated \"{{\" at byte 0"));
    BOOST_TEST(contains(last, "unterminated \"{{\" at byte 9"));
}

BOOST_AUTO_TEST_CASE(size_limit)
{
    std::string at_limit(certhelp::kMaxTemplateSize, 'x');
    std::string over_limit(certhelp::kMaxTemplateSize + 1, 'x');

    BOOST_TEST(certhelp::kMaxTemplateSize == 65536U);
    BOOST_TEST(certhelp::check_template(at_limit) == "");
    std::string reason = certhelp::check_template(over_limit);
    BOOST_TEST(contains(reason, "65537 bytes long"));
    BOOST_TEST(contains(reason, "maximum of 65536 bytes"));
    BOOST_TEST(contains(reason, "at byte 65536"));
}

BOOST_AUTO_TEST_CASE(hostile_name_escaped)
{
    std::string reason = certhelp::check_template("{{\x1b[31m\r\n}}");
    std::string long_name =
        certhelp::check_template("{{" + std::string(500, 'n') + "}}");

    BOOST_TEST(!contains(reason, "\x1b"));
    BOOST_TEST(!contains(reason, "\n"));
    BOOST_TEST(contains(reason, "\\x1b[31m\\x0d\\x0a"));
    BOOST_TEST(contains(long_name, std::string(64, 'n') + "...}}"));
    BOOST_TEST(!contains(long_name, std::string(65, 'n')));
}

BOOST_AUTO_TEST_CASE(placeholders_documented)
{
    std::ifstream stream(std::string(CERTHELP_SOURCE_DIR)
                         + "/docs/templates.md");
    std::string docs((std::istreambuf_iterator<char>(stream)),
                     std::istreambuf_iterator<char>());
    BOOST_TEST_REQUIRE(!docs.empty());

    for (const certhelp::PlaceholderInfo &info : certhelp::placeholders()) {
        std::string written = "`{{" + std::string(info.name) + "}}`";
        BOOST_TEST(contains(docs, written), written << " not in the docs");
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(expand_template)

BOOST_AUTO_TEST_CASE(every_placeholder_filled)
{
    certhelp::PageDetails details = make_details();
    std::string page =
        render_template(every_placeholder(), Outcome::expired, &details);

    BOOST_TEST(!contains(page, "{{"));
    BOOST_TEST(contains(page, "[status=403]"));
    BOOST_TEST(contains(page, "[substatus=403.17]"));
    BOOST_TEST(contains(page, "[outcome=expired]"));
    BOOST_TEST(contains(page, "[title=Client certificate expired]"));
    BOOST_TEST(contains(page, "[heading=403.17 Client certificate expired]"));
    BOOST_TEST(contains(page, "[request_path=/secure/&lt;a&gt;]"));
    BOOST_TEST(contains(page, "[server_name=www.example.org]"));
    BOOST_TEST(contains(page, "[lang=en]"));
    BOOST_TEST(contains(page, "[subject=CN=Alice,O=Example]"));
    BOOST_TEST(contains(page, "[issuer=CN=Issuing CA,O=Example]"));
    BOOST_TEST(contains(page, "[serial=0F]"));
    BOOST_TEST(contains(page, "[not_before=2025-01-01T00:00:00Z]"));
    BOOST_TEST(contains(page, "[not_after=2026-01-01T00:00:00Z]"));
    BOOST_TEST(contains(page, "[days_text=expired 2 days ago]"));
    BOOST_TEST(contains(page, "[accepted_cas=]"));
    BOOST_TEST(contains(page, "[details=<h2>"));
    BOOST_TEST(contains(page, "[advice=]"));
    BOOST_TEST(contains(page, "[label_server=Server]"));
    BOOST_TEST(contains(page, "[label_path=Path]"));
    BOOST_TEST(contains(page, "[label_subject=Subject]"));
    BOOST_TEST(contains(page, "[label_issuer=Issuer]"));
    BOOST_TEST(contains(page, "[label_serial=Serial number]"));
    BOOST_TEST(contains(page, "[label_not_before=Valid from]"));
    BOOST_TEST(contains(page, "[label_not_after=Valid until]"));
}

BOOST_AUTO_TEST_CASE(missing_blocks)
{
    certhelp::PageDetails details = make_details();
    details.certificate = certhelp::CertificateDetails();
    std::string page = render_template(
        "[{{accepted_cas}}][{{advice}}][{{subject}}][{{days_text}}]",
        Outcome::missing, &details);

    BOOST_TEST(contains(page, "[<ul class=\"accepted-cas\">\n"
                              "<li>CN=Root CA,O=Example</li>\n</ul>\n]"));
    BOOST_TEST(contains(page, "[<h2>Why your browser may offer no "
                              "certificate</h2>\n<p>"));
    BOOST_TEST(contains(page, "][][]"));
}

BOOST_AUTO_TEST_CASE(minimal_disclosure_empties)
{
    certhelp::PageDetails details = make_details();
    details.disclose = false;
    for (Outcome outcome : {Outcome::expired, Outcome::missing}) {
        std::string page =
            render_template(every_placeholder(), outcome, &details);
        std::string without =
            render_template(every_placeholder(), outcome, nullptr);
        BOOST_TEST_CONTEXT("outcome " << certhelp::outcome_info(outcome).name)
        {
            BOOST_TEST(contains(page, "[subject=]"));
            BOOST_TEST(contains(page, "[issuer=]"));
            BOOST_TEST(contains(page, "[serial=]"));
            BOOST_TEST(contains(page, "[not_after=]"));
            BOOST_TEST(contains(page, "[days_text=]"));
            BOOST_TEST(contains(page, "[accepted_cas=]"));
            BOOST_TEST(contains(page, "[details=]"));
            BOOST_TEST(contains(page, "[advice=]"));
            BOOST_TEST(!contains(page, "Example"));
            BOOST_TEST(page == without);
        }
    }
}

BOOST_AUTO_TEST_CASE(values_escaped_once)
{
    certhelp::PageDetails details = make_details();
    details.certificate.subject =
        "CN=\"><script>x</script>&amp;'{{details}}%d";
    std::string page = render_template(
        "<p title=\"{{subject}}\">{{subject}}</p>", Outcome::revoked,
        &details);
    std::string escaped =
        "CN=&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;amp;&#39;"
        "{{details}}%d";

    BOOST_TEST(page == "<p title=\"" + escaped + "\">" + escaped + "</p>");
}

BOOST_AUTO_TEST_CASE(every_text_value_escaped)
{
    const std::string hostile = "<i>\"'&";
    certhelp::PageDetails details = make_details();
    details.certificate.subject = hostile;
    details.certificate.issuer = hostile;
    details.certificate.serial = hostile;
    details.certificate.not_before = hostile;
    details.certificate.not_after = hostile;
    details.accepted_cas = {hostile};

    certhelp::ResponseContext context;
    context.request_path = hostile;
    context.server_name = hostile;
    context.details = &details;
    for (Outcome outcome : {Outcome::expired, Outcome::missing}) {
        context.outcome = outcome;
        for (const certhelp::PlaceholderInfo &info :
             certhelp::placeholders()) {
            std::string text = "{{" + std::string(info.name) + "}}";
            context.html_template = text;
            std::string page = certhelp::render(Format::html, context);
            BOOST_TEST_CONTEXT("placeholder " << text << ", outcome "
                               << certhelp::outcome_info(outcome).name)
            {
                BOOST_TEST(!contains(page, "<i>"));
                BOOST_TEST(!contains(page, "\"'"));
                BOOST_TEST(!contains(page, "&amp;lt;"));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(translated_values)
{
    certhelp::PageDetails details = make_details();
    std::string page = render_template(
        "{{lang}}|{{title}}|{{label_subject}}|{{days_text}}",
        Outcome::expired, &details, "de");

    BOOST_TEST(page == "de|Client-Zertifikat abgelaufen|Inhaber|"
                       "vor 2 Tagen abgelaufen");
}

BOOST_AUTO_TEST_CASE(unknown_language_is_english)
{
    std::string page = render_template("{{lang}}|{{label_path}}",
                                       Outcome::missing, nullptr, "\"><x");

    BOOST_TEST(page == "en|Path");
}

BOOST_AUTO_TEST_CASE(invalid_template_falls_back)
{
    const std::vector<std::string> invalid = {"{{nope}}", "{{lang",
                                              std::string(70000, 'x')};
    for (const std::string &text : invalid) {
        std::string page = render_template(text, Outcome::expired, nullptr);
        BOOST_TEST_CONTEXT("template of " << text.size() << " bytes")
        {
            BOOST_TEST(contains(page, "<h1>403.17 Client certificate "
                                      "expired</h1>"));
            BOOST_TEST(!contains(page, "{{"));
        }
    }
}

BOOST_AUTO_TEST_CASE(html_only)
{
    certhelp::ResponseContext context;
    context.outcome = Outcome::expired;
    context.html_template = "custom {{outcome}}";

    BOOST_TEST(certhelp::render(Format::html, context) == "custom expired");
    BOOST_TEST(!contains(certhelp::render(Format::json, context), "custom"));
    BOOST_TEST(!contains(certhelp::render(Format::text, context), "custom"));
}

BOOST_AUTO_TEST_CASE(direct_expansion_rejects_invalid)
{
    certhelp::TemplateValues values;

    BOOST_TEST(!certhelp::expand_template("{{bad}}", values).has_value());
    BOOST_TEST(certhelp::expand_template("{{lang}}", values).value() == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parsed_template)

BOOST_AUTO_TEST_CASE(rejects_what_check_rejects)
{
    const std::vector<std::string> invalid = {
        "{{", "{{lang", "{{bad}}", "{{lang}} {{", "{{ {{lang}} }}",
        std::string(certhelp::kMaxTemplateSize + 1, 'x'),
    };
    for (const std::string &text : invalid) {
        BOOST_TEST_CONTEXT("template " << text.substr(0, 40))
        {
            BOOST_TEST(!certhelp::check_template(text).empty());
            BOOST_TEST(!certhelp::ParsedTemplate::parse(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(expands_like_expand_template)
{
    certhelp::TemplateValues values;
    for (const certhelp::PlaceholderInfo &info : certhelp::placeholders()) {
        values[static_cast<std::size_t>(info.placeholder)] =
            "<" + std::string(info.name) + ">";
    }
    const std::vector<std::string> templates = {
        "",
        "no placeholders",
        "{{title}}{{title}}",
        "a {{ heading }} b {{details}} c",
        every_placeholder(),
        std::string(certhelp::builtin_template()),
    };
    for (const std::string &text : templates) {
        BOOST_TEST_CONTEXT("template " << text.substr(0, 40))
        {
            auto parsed = certhelp::ParsedTemplate::parse(text);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(parsed->expand(values) ==
                       certhelp::expand_template(text, values).value());
        }
    }
}

BOOST_AUTO_TEST_CASE(text_escaped_markup_kept)
{
    certhelp::TemplateValues values;
    values[static_cast<std::size_t>(certhelp::Placeholder::title)] = "<b>";
    values[static_cast<std::size_t>(certhelp::Placeholder::details)] = "<b>";
    auto parsed = certhelp::ParsedTemplate::parse("{{title}}|{{details}}");

    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->expand(values) == "&lt;b&gt;|<b>");
}

BOOST_AUTO_TEST_CASE(context_prefers_parsed_template)
{
    auto parsed = certhelp::ParsedTemplate::parse("parsed {{outcome}}");
    BOOST_TEST_REQUIRE(parsed.has_value());
    certhelp::ResponseContext context;
    context.outcome = Outcome::revoked;
    context.html_template = "text {{outcome}}";
    context.parsed_template = &*parsed;

    BOOST_TEST(certhelp::render(Format::html, context) == "parsed revoked");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(builtin_page)

BOOST_AUTO_TEST_CASE(equals_builtin_template)
{
    certhelp::PageDetails details = make_details();
    for (Outcome outcome : certhelp::all_outcomes()) {
        std::string builtin =
            render_template("", outcome, &details, "fr");
        std::string explicit_template = render_template(
            certhelp::builtin_template(), outcome, &details, "fr");
        BOOST_TEST_CONTEXT("outcome " << certhelp::outcome_info(outcome).name)
        {
            BOOST_TEST(builtin == explicit_template);
            BOOST_TEST(contains(builtin, "<html lang=\"fr\">"));
        }
    }
}

BOOST_AUTO_TEST_CASE(german_page)
{
    certhelp::PageDetails details = make_details();
    std::string page = render_template("", Outcome::expired, &details, "de");

    BOOST_TEST(contains(page, "<html lang=\"de\">"));
    BOOST_TEST(contains(page, "<title>403.17 Client-Zertifikat abgelaufen"
                              "</title>"));
    BOOST_TEST(contains(page, "<dt>Inhaber</dt><dd>CN=Alice,O=Example</dd>"));
    BOOST_TEST(contains(page, "(vor 2 Tagen abgelaufen)"));
    BOOST_TEST(contains(page, "<dt>Pfad</dt><dd>/secure/&lt;a&gt;</dd>"));
}

BOOST_AUTO_TEST_SUITE_END()
