// Tests of the outcome table and its parsers.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "certhelp/outcome.h"

namespace certhelp {

// Prints outcomes by name in failure messages.
static std::ostream &operator<<(std::ostream &stream, Outcome outcome)
{
    return stream << outcome_info(outcome).name;
}

}  // namespace certhelp

using certhelp::Outcome;

namespace {

struct ExpectedRow {
    Outcome outcome;
    std::string name;
    int substatus;
    std::string substatus_text;
    std::string title;
};

const std::vector<ExpectedRow> kExpected = {
    {Outcome::success, "success", 0, "", "Client certificate accepted"},
    {Outcome::missing, "missing", 7, "403.7", "Client certificate required"},
    {Outcome::expired, "expired", 17, "403.17", "Client certificate expired"},
    {Outcome::not_yet_valid, "not-yet-valid", 17, "403.17",
     "Client certificate not yet valid"},
    {Outcome::revoked, "revoked", 13, "403.13", "Client certificate revoked"},
    {Outcome::untrusted, "untrusted", 16, "403.16",
     "Client certificate not trusted"},
    {Outcome::invalid, "invalid", 16, "403.16", "Client certificate invalid"},
    {Outcome::revocation_unknown, "revocation-unknown", 16, "403.16",
     "Client certificate status unknown"},
    {Outcome::denied, "denied", 12, "403.12",
     "Access denied for this certificate"},
};

bool is_printable_ascii(std::string_view text)
{
    for (char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

std::string upper_case(std::string_view text)
{
    std::string out(text);
    for (char &c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(outcome)

BOOST_AUTO_TEST_CASE(all_outcomes_in_order)
{
    const std::vector<Outcome> &outcomes = certhelp::all_outcomes();

    BOOST_TEST_REQUIRE(outcomes.size() == kExpected.size());
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        BOOST_TEST(outcomes[i] == kExpected[i].outcome);
    }
}

BOOST_AUTO_TEST_CASE(table_rows)
{
    for (const ExpectedRow &row : kExpected) {
        BOOST_TEST_CONTEXT("outcome " << row.name)
        {
            const certhelp::OutcomeInfo &info =
                certhelp::outcome_info(row.outcome);
            BOOST_TEST(info.outcome == row.outcome);
            BOOST_TEST(info.name == row.name);
            BOOST_TEST(info.substatus == row.substatus);
            BOOST_TEST(info.substatus_text == row.substatus_text);
            BOOST_TEST(info.title == row.title);
        }
    }
}

BOOST_AUTO_TEST_CASE(texts_present_and_ascii)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
        BOOST_TEST_CONTEXT("outcome " << info.name)
        {
            BOOST_TEST(!info.title.empty());
            BOOST_TEST(!info.explanation.empty());
            BOOST_TEST(!info.remedy.empty());
            BOOST_TEST(is_printable_ascii(info.title));
            BOOST_TEST(is_printable_ascii(info.explanation));
            BOOST_TEST(is_printable_ascii(info.remedy));
        }
    }
}

BOOST_AUTO_TEST_CASE(names_unique)
{
    std::set<std::string_view> names;
    std::set<std::string_view> titles;
    for (Outcome outcome : certhelp::all_outcomes()) {
        names.insert(certhelp::outcome_info(outcome).name);
        titles.insert(certhelp::outcome_info(outcome).title);
    }

    BOOST_TEST(names.size() == certhelp::all_outcomes().size());
    BOOST_TEST(titles.size() == certhelp::all_outcomes().size());
}

BOOST_AUTO_TEST_CASE(substatus_text_format)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        const certhelp::OutcomeInfo &info = certhelp::outcome_info(outcome);
        if (outcome == Outcome::success) {
            continue;
        }
        std::string expected = "403." + std::to_string(info.substatus);
        BOOST_TEST(info.substatus_text == expected);
    }
}

BOOST_AUTO_TEST_CASE(missing_texts)
{
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(Outcome::missing);

    BOOST_TEST(info.explanation.find("requires a client certificate")
               != std::string_view::npos);
    BOOST_TEST(info.explanation.find("did not present")
               != std::string_view::npos);
    BOOST_TEST(info.remedy.find("Install") != std::string_view::npos);
    BOOST_TEST(info.remedy.find("select") != std::string_view::npos);
    BOOST_TEST(info.remedy.find("administrator") != std::string_view::npos);
}

BOOST_AUTO_TEST_CASE(denied_texts)
{
    const certhelp::OutcomeInfo &info =
        certhelp::outcome_info(Outcome::denied);

    BOOST_TEST(info.explanation.find("is valid") != std::string_view::npos);
    BOOST_TEST(info.explanation.find("rules") != std::string_view::npos);
    BOOST_TEST(info.remedy.find("another certificate")
               != std::string_view::npos);
    BOOST_TEST(info.remedy.find("administrator for access")
               != std::string_view::npos);
}

BOOST_AUTO_TEST_CASE(localized_keeps_codes)
{
    for (Outcome outcome : certhelp::all_outcomes()) {
        const certhelp::OutcomeInfo &english = certhelp::outcome_info(outcome);
        certhelp::OutcomeInfo german =
            certhelp::localized_outcome_info(outcome, "de");
        BOOST_TEST_CONTEXT("outcome " << english.name)
        {
            BOOST_TEST(german.outcome == outcome);
            BOOST_TEST(german.name == english.name);
            BOOST_TEST(german.substatus == english.substatus);
            BOOST_TEST(german.substatus_text == english.substatus_text);
            BOOST_TEST(german.title != english.title);
            BOOST_TEST(german.explanation != english.explanation);
            BOOST_TEST(german.remedy != english.remedy);
        }
    }
}

BOOST_AUTO_TEST_CASE(localized_german_expired)
{
    certhelp::OutcomeInfo info =
        certhelp::localized_outcome_info(Outcome::expired, "de");

    BOOST_TEST(info.title == "Client-Zertifikat abgelaufen");
    BOOST_TEST(info.substatus_text == "403.17");
}

BOOST_AUTO_TEST_CASE(localized_english_fallback)
{
    for (const std::string language : {"en", "", "xx", "de-CH", "<b>"}) {
        certhelp::OutcomeInfo info =
            certhelp::localized_outcome_info(Outcome::revoked, language);
        BOOST_TEST_CONTEXT("language '" << language << "'")
        {
            BOOST_TEST(info.title == "Client certificate revoked");
            BOOST_TEST(info.remedy
                       == certhelp::outcome_info(Outcome::revoked).remedy);
        }
    }
}

BOOST_AUTO_TEST_CASE(out_of_range_is_invalid)
{
    auto bogus = static_cast<Outcome>(99);

    BOOST_TEST(certhelp::outcome_info(bogus).outcome == Outcome::invalid);
}

BOOST_AUTO_TEST_CASE(parse_names)
{
    for (const ExpectedRow &row : kExpected) {
        BOOST_TEST_CONTEXT("name " << row.name)
        {
            auto parsed = certhelp::parse_outcome(row.name);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(*parsed == row.outcome);

            auto upper = certhelp::parse_outcome(upper_case(row.name));
            BOOST_TEST_REQUIRE(upper.has_value());
            BOOST_TEST(*upper == row.outcome);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_names_mixed_case)
{
    auto parsed = certhelp::parse_outcome("Not-Yet-Valid");

    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(*parsed == Outcome::not_yet_valid);
}

BOOST_AUTO_TEST_CASE(parse_names_rejected)
{
    const std::vector<std::string> rejected = {
        "",
        "not_yet_valid",
        "notyetvalid",
        " missing",
        "missing ",
        "missing\n",
        std::string("missing\0", 8),
        "403.7",
        "unknown",
        "expire",
        "revocation",
    };
    for (const std::string &name : rejected) {
        BOOST_TEST_CONTEXT("name '" << name << "'")
        {
            BOOST_TEST(!certhelp::parse_outcome(name).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_substatus_accepted)
{
    const std::vector<std::pair<std::string, int>> accepted = {
        {"403.7", 7},   {"403.12", 12}, {"403.13", 13},
        {"403.16", 16}, {"403.17", 17},
    };
    for (const auto &[text, value] : accepted) {
        BOOST_TEST_CONTEXT("substatus " << text)
        {
            auto parsed = certhelp::parse_substatus(text);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(*parsed == value);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_substatus_rejected)
{
    const std::vector<std::string> rejected = {
        "",       "403",     "403.",    "403.07", "403.012", "403.0",
        "7",      "17",      " 403.7",  "403.7 ", "404.7",  "403.17x",
        "403,7",  "403.7.1", "+403.7",  "403.-7", "403.170",
    };
    for (const std::string &text : rejected) {
        BOOST_TEST_CONTEXT("substatus '" << text << "'")
        {
            BOOST_TEST(!certhelp::parse_substatus(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(shared_substatus)
{
    using List = std::vector<Outcome>;

    BOOST_TEST(certhelp::outcomes_with_substatus(17)
                   == (List{Outcome::expired, Outcome::not_yet_valid}),
               boost::test_tools::per_element());
    BOOST_TEST(certhelp::outcomes_with_substatus(16)
                   == (List{Outcome::untrusted, Outcome::invalid,
                            Outcome::revocation_unknown}),
               boost::test_tools::per_element());
    BOOST_TEST(certhelp::outcomes_with_substatus(13)
                   == (List{Outcome::revoked}),
               boost::test_tools::per_element());
    BOOST_TEST(certhelp::outcomes_with_substatus(7)
                   == (List{Outcome::missing}),
               boost::test_tools::per_element());
    BOOST_TEST(certhelp::outcomes_with_substatus(0)
                   == (List{Outcome::success}),
               boost::test_tools::per_element());
    BOOST_TEST(certhelp::outcomes_with_substatus(12)
                   == (List{Outcome::denied}),
               boost::test_tools::per_element());
    BOOST_TEST(certhelp::outcomes_with_substatus(11).empty());
}

BOOST_AUTO_TEST_SUITE_END()
