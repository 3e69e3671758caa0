// Tests of the time parser behind "certhelp check --at".
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <ctime>
#include <string>
#include <vector>

// The tool's sources are not on the include path of the unit tests.
#include "../../tools/timestamp.h"

using certhelp_cli::format_timestamp;
using certhelp_cli::parse_timestamp;

namespace {

struct Case {
    std::string text;
    std::time_t expected;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(timestamp)

BOOST_AUTO_TEST_CASE(epoch_seconds)
{
    const std::vector<Case> cases = {
        {"0", 0},
        {"1769860800", 1769860800},
        {"253402300799", 253402300799},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            auto parsed = parse_timestamp(c.text);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(*parsed == c.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(iso_forms)
{
    const std::vector<Case> cases = {
        {"2026-01-31T12:00:00Z", 1769860800},
        {"2026-01-31t12:00:00z", 1769860800},
        {"2026-01-31 12:00:00Z", 1769860800},
        {"2026-01-31T12:00Z", 1769860800},
        {"2026-01-31T12:00:00.999Z", 1769860800},
        {"2026-01-31T12:00:00,5Z", 1769860800},
        {"2026-01-31T13:00:00+01:00", 1769860800},
        {"2026-01-31T06:30:00-0530", 1769860800},
        {"2026-01-31", 1769817600},
        {"2024-02-29T06:30:00Z", 1709188200},
        {"1950-01-01", -631152000},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            auto parsed = parse_timestamp(c.text);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(*parsed == c.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(invalid_rejected)
{
    const std::vector<std::string> cases = {
        "",
        "abc",
        "-1",
        "+5",
        " 0",
        "253402300800",
        "1234567890123",
        "2026-02-30",
        "2026-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-1-31",
        "1949-12-31",
        "2026-01-31T",
        "2026-01-31T12:00:00",
        "2026-01-31T24:00:00Z",
        "2026-01-31T12:60:00Z",
        "2026-01-31T12:00:60Z",
        "2026-01-31T12:00:00.Z",
        "2026-01-31T12:00:00+24:00",
        "2026-01-31T12:00:00+01",
        "2026-01-31T12:00:00Zjunk",
        "2026-01-31X12:00:00Z",
        "9999-12-31T23:59:59-01:00",
    };
    for (const std::string &text : cases) {
        BOOST_TEST_CONTEXT(text)
        {
            BOOST_TEST(!parse_timestamp(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(format_round_trip)
{
    BOOST_TEST(format_timestamp(0) == "1970-01-01T00:00:00Z");
    BOOST_TEST(format_timestamp(1769860800) == "2026-01-31T12:00:00Z");
    auto parsed = parse_timestamp(format_timestamp(1709188200));
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(*parsed == 1709188200);
}

BOOST_AUTO_TEST_SUITE_END()
