// Response bodies: the HTML page (through its template), the RFC 9457 JSON
// problem object and the plain-text body, in the negotiated language.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "certhelp/i18n.h"
#include "certhelp/page_template.h"
#include "certhelp/render.h"

namespace certhelp {

namespace {

// Returns the language of `language`'s catalogue, or "en" when it has none.
// The result is always a language this library has texts for, so it is safe
// to put into a lang attribute.
std::string_view page_language(std::string_view language)
{
    const Catalog *catalog = find_catalog(language);
    return catalog != nullptr ? catalog->language : "en";
}

constexpr long long kSecondsPerDay = 24 * 60 * 60;

// Everything a page shows, computed once for all formats.
struct PageFacts {
    std::string_view language;
    OutcomeInfo info;
    // "403.7 Client certificate required", or the title alone for success.
    std::string heading;
    // Null unless the details may be shown (disclosure is on).
    const PageDetails *disclosed = nullptr;
    // Whether the certificate rows are shown.
    bool show_certificate = false;
    // Whether the accepted CA list and the missing-certificate advice are
    // shown.
    bool show_missing_help = false;
    // Whole days since the end of validity (expired) or until its start
    // (not yet valid), with the text for them. They are -1 and empty when
    // unknown.
    long long days_since_expiry = -1;
    long long days_until_valid = -1;
    std::string days_text;
};

// Whole days from `earlier` to `later`, rounded down, or -1 when a time is
// unknown (0) or `later` comes first.
long long whole_days_between(std::time_t earlier, std::time_t later)
{
    if (earlier == 0 || later == 0 || later < earlier) {
        return -1;
    }
    return (static_cast<long long>(later) - static_cast<long long>(earlier))
           / kSecondsPerDay;
}

PageFacts page_facts(const ResponseContext &context)
{
    PageFacts facts;
    facts.language = page_language(context.language);
    facts.info = localized_outcome_info(context.outcome, facts.language);
    facts.heading = facts.info.substatus_text.empty()
                        ? std::string()
                        : std::string(facts.info.substatus_text) + " ";
    facts.heading += facts.info.title;

    const PageDetails *details = context.details;
    if (details == nullptr || !details->disclose) {
        return facts;
    }
    facts.disclosed = details;
    facts.show_certificate = details->certificate.present;
    facts.show_missing_help = context.outcome == Outcome::missing;

    // The day counts describe the presented certificate only when its own
    // dates explain the outcome. An expired issuer leaves the leaf's end
    // of validity in the future, and then no count is shown.
    const CertificateDetails &certificate = details->certificate;
    if (!facts.show_certificate) {
        return facts;
    }
    if (context.outcome == Outcome::expired) {
        facts.days_since_expiry =
            whole_days_between(certificate.not_after_time, details->now);
        if (facts.days_since_expiry >= 0) {
            facts.days_text = phrase_text(
                facts.language, Phrase::expired_days_ago,
                static_cast<unsigned long>(facts.days_since_expiry));
        }
    } else if (context.outcome == Outcome::not_yet_valid) {
        facts.days_until_valid =
            whole_days_between(details->now, certificate.not_before_time);
        if (facts.days_until_valid >= 0) {
            facts.days_text = phrase_text(
                facts.language, Phrase::becomes_valid_in_days,
                static_cast<unsigned long>(facts.days_until_valid));
        }
    }
    return facts;
}

// A date with the day count after it in brackets when there is one.
std::string date_with_days(std::string_view date, const std::string &days)
{
    std::string text(date);
    if (!days.empty()) {
        text += " (" + days + ")";
    }
    return text;
}

// The rows of the certificate section: label and raw value, without the
// rows whose value could not be read.
std::vector<std::pair<Phrase, std::string>>
certificate_rows(const PageFacts &facts)
{
    const CertificateDetails &certificate = facts.disclosed->certificate;
    std::string not_before_days =
        facts.days_until_valid >= 0 ? facts.days_text : std::string();
    std::string not_after_days =
        facts.days_since_expiry >= 0 ? facts.days_text : std::string();

    std::vector<std::pair<Phrase, std::string>> rows = {
        {Phrase::subject, certificate.subject},
        {Phrase::issuer, certificate.issuer},
        {Phrase::serial, certificate.serial},
        {Phrase::not_before,
         date_with_days(certificate.not_before, not_before_days)},
        {Phrase::not_after,
         date_with_days(certificate.not_after, not_after_days)},
    };
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [](const auto &row) {
                                  return row.second.empty();
                              }),
               rows.end());
    return rows;
}

std::string html_certificate_block(const PageFacts &facts)
{
    std::string_view language = facts.language;
    std::string block = "<h2>"
                        + html_escape(phrase_text(
                            language, Phrase::certificate_heading))
                        + "</h2>\n<dl class=\"certificate\">\n";
    for (const auto &[label, value] : certificate_rows(facts)) {
        block += "<dt>" + html_escape(phrase_text(language, label))
                 + "</dt><dd>" + html_escape(value) + "</dd>\n";
    }
    block += "</dl>\n";
    return block;
}

std::string html_accepted_cas(const PageFacts &facts)
{
    if (!facts.show_missing_help || facts.disclosed->accepted_cas.empty()) {
        return {};
    }
    std::string list = "<ul class=\"accepted-cas\">\n";
    for (const std::string &name : facts.disclosed->accepted_cas) {
        list += "<li>" + html_escape(name) + "</li>\n";
    }
    list += "</ul>\n";
    return list;
}

std::string html_details(const PageFacts &facts,
                         const std::string &accepted_cas)
{
    std::string block;
    if (facts.show_certificate) {
        block += html_certificate_block(facts);
    }
    if (!accepted_cas.empty()) {
        block += "<h2>"
                 + html_escape(phrase_text(facts.language,
                                           Phrase::accepted_cas_heading))
                 + "</h2>\n" + accepted_cas;
    }
    return block;
}

std::string html_advice(const PageFacts &facts)
{
    if (!facts.show_missing_help) {
        return {};
    }
    std::string_view language = facts.language;
    return "<h2>" + html_escape(phrase_text(language, Phrase::advice_heading))
           + "</h2>\n<p>"
           + html_escape(phrase_text(language, Phrase::advice_issuers))
           + "</p>\n<p>"
           + html_escape(
               phrase_text(language, Phrase::advice_remembered_choice))
           + "</p>\n";
}

TemplateValues template_values(const ResponseContext &context,
                               const PageFacts &facts)
{
    TemplateValues values;
    auto set = [&values](Placeholder placeholder, std::string value) {
        values[static_cast<std::size_t>(placeholder)] = std::move(value);
    };
    std::string_view language = facts.language;

    set(Placeholder::status, std::to_string(context.status));
    set(Placeholder::substatus, std::string(facts.info.substatus_text));
    set(Placeholder::outcome, std::string(facts.info.name));
    set(Placeholder::title, std::string(facts.info.title));
    set(Placeholder::heading, facts.heading);
    set(Placeholder::explanation, std::string(facts.info.explanation));
    set(Placeholder::remedy, std::string(facts.info.remedy));
    set(Placeholder::request_path, std::string(context.request_path));
    set(Placeholder::server_name, std::string(context.server_name));
    set(Placeholder::lang, std::string(language));
    set(Placeholder::label_server, phrase_text(language, Phrase::server));
    set(Placeholder::label_path, phrase_text(language, Phrase::path));
    set(Placeholder::label_subject, phrase_text(language, Phrase::subject));
    set(Placeholder::label_issuer, phrase_text(language, Phrase::issuer));
    set(Placeholder::label_serial, phrase_text(language, Phrase::serial));
    set(Placeholder::label_not_before,
        phrase_text(language, Phrase::not_before));
    set(Placeholder::label_not_after,
        phrase_text(language, Phrase::not_after));

    if (facts.show_certificate) {
        const CertificateDetails &certificate = facts.disclosed->certificate;
        set(Placeholder::subject, certificate.subject);
        set(Placeholder::issuer, certificate.issuer);
        set(Placeholder::serial, certificate.serial);
        set(Placeholder::not_before, certificate.not_before);
        set(Placeholder::not_after, certificate.not_after);
        set(Placeholder::days_text, facts.days_text);
    }

    std::string accepted_cas = html_accepted_cas(facts);
    set(Placeholder::details, html_details(facts, accepted_cas));
    set(Placeholder::accepted_cas, std::move(accepted_cas));
    set(Placeholder::advice, html_advice(facts));
    return values;
}

std::string render_html(const ResponseContext &context)
{
    PageFacts facts = page_facts(context);
    TemplateValues values = template_values(context, facts);

    if (context.parsed_template != nullptr) {
        return context.parsed_template->expand(values);
    }
    // A template that fails check_template() falls back to the built-in
    // page, so a caller that skipped the check still gets a safe page.
    if (!context.html_template.empty()) {
        if (std::optional<std::string> page =
                expand_template(context.html_template, values)) {
            return *page;
        }
    }
    return builtin_parsed_template().expand(values);
}

void append_json_separator(std::string &out)
{
    if (out.back() != '{' && out.back() != '[') {
        out += ',';
    }
}

void append_json_member(std::string &out, std::string_view name,
                        std::string_view value)
{
    append_json_separator(out);
    out += '"';
    out += name;
    out += "\":\"";
    out += json_escape(value);
    out += '"';
}

void append_json_number(std::string &out, std::string_view name,
                        long long value)
{
    append_json_separator(out);
    out += '"';
    out += name;
    out += "\":";
    out += std::to_string(value);
}

std::string json_certificate(const PageFacts &facts)
{
    const CertificateDetails &certificate = facts.disclosed->certificate;
    std::string object = "{";
    append_json_member(object, "subject", certificate.subject);
    append_json_member(object, "issuer", certificate.issuer);
    append_json_member(object, "serial", certificate.serial);
    append_json_member(object, "not_before", certificate.not_before);
    append_json_member(object, "not_after", certificate.not_after);
    if (facts.days_since_expiry >= 0) {
        append_json_number(object, "days_since_expiry",
                           facts.days_since_expiry);
    }
    if (facts.days_until_valid >= 0) {
        append_json_number(object, "days_until_valid",
                           facts.days_until_valid);
    }
    object += '}';
    return object;
}

std::string json_accepted_cas(const PageFacts &facts)
{
    std::string array = "[";
    for (const std::string &name : facts.disclosed->accepted_cas) {
        append_json_separator(array);
        array += '"' + json_escape(name) + '"';
    }
    array += ']';
    return array;
}

std::string render_json(const ResponseContext &context)
{
    PageFacts facts = page_facts(context);
    const OutcomeInfo &info = facts.info;
    std::string type = "tag:mod-certhelp,2026:outcome:";
    type += info.name;

    std::string body = "{";
    append_json_member(body, "type", type);
    append_json_member(body, "title", info.title);
    body += ",\"status\":" + std::to_string(context.status);
    append_json_member(body, "detail", info.explanation);
    append_json_member(body, "outcome", info.name);
    append_json_member(body, "substatus", info.substatus_text);
    append_json_member(body, "remedy", info.remedy);
    append_json_member(body, "instance", context.request_path);
    if (facts.show_certificate) {
        body += ",\"certificate\":" + json_certificate(facts);
    }
    if (facts.show_missing_help) {
        body += ",\"accepted_cas\":" + json_accepted_cas(facts);
    }
    body += "}\n";
    return body;
}

std::string render_text(const ResponseContext &context)
{
    PageFacts facts = page_facts(context);
    std::string_view language = facts.language;

    std::string body = facts.heading;
    body += "\n\n";
    body += facts.info.explanation;
    body += "\n\n";
    body += facts.info.remedy;
    body += '\n';

    if (facts.show_missing_help) {
        body += "\n" + phrase_text(language, Phrase::advice_heading) + "\n\n"
                + phrase_text(language, Phrase::advice_issuers) + "\n\n"
                + phrase_text(language, Phrase::advice_remembered_choice)
                + "\n";
    }
    if (facts.show_certificate) {
        body += "\n" + phrase_text(language, Phrase::certificate_heading)
                + "\n";
        for (const auto &[label, value] : certificate_rows(facts)) {
            body += phrase_text(language, label) + ": " + text_escape(value)
                    + "\n";
        }
    }
    if (facts.show_missing_help && !facts.disclosed->accepted_cas.empty()) {
        body += "\n" + phrase_text(language, Phrase::accepted_cas_heading)
                + "\n";
        for (const std::string &name : facts.disclosed->accepted_cas) {
            body += "- " + text_escape(name) + "\n";
        }
    }
    return body;
}

}  // namespace

std::string render(Format format, const ResponseContext &context)
{
    switch (format) {
    case Format::json:
        return render_json(context);
    case Format::text:
        return render_text(context);
    case Format::html:
        break;
    }
    return render_html(context);
}

}  // namespace certhelp
