// Tests of the terminal escaping that the certhelp tool applies to text
// from certificates and servers.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

// The tool's sources are not on the include path of the unit tests.
#include "../../tools/output.h"

using certhelp_cli::printable;

BOOST_AUTO_TEST_SUITE(printable_text)

BOOST_AUTO_TEST_CASE(plain_text_kept)
{
    BOOST_TEST(printable("CN=Alice,O=Example") == "CN=Alice,O=Example");
    BOOST_TEST(printable("a\\2Cb") == "a\\2Cb");
    BOOST_TEST(printable("") == "");
}

BOOST_AUTO_TEST_CASE(valid_utf8_kept)
{
    const std::string text = "\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80";
    BOOST_TEST(printable(text) == text);
}

BOOST_AUTO_TEST_CASE(control_characters_escaped)
{
    BOOST_TEST(printable("a\r\nb") == "a\\x0d\\x0ab");
    BOOST_TEST(printable("\x1b[31mred") == "\\x1b[31mred");
    BOOST_TEST(printable(std::string("a\0b", 3)) == "a\\x00b");
    BOOST_TEST(printable("\x7f") == "\\x7f");
    BOOST_TEST(printable("\t") == "\\x09");
}

BOOST_AUTO_TEST_CASE(c1_controls_escaped)
{
    // U+009B is the one-character CSI of some terminals.
    BOOST_TEST(printable("\xc2\x9b" "31m") == "\\xc2\\x9b31m");
    BOOST_TEST(printable("\xc2\x85") == "\\xc2\\x85");
    BOOST_TEST(printable("\xc2\xa0") == "\xc2\xa0");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_escaped)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"\xc0\x80", "\\xc0\\x80"},              // overlong NUL
        {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},     // overlong '/'
        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},     // surrogate
        {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},  // above U+10FFFF
        {"\xe2\x82", "\\xe2\\x82"},              // truncated
        {"\xff", "\\xff"},
        {"\x80x", "\\x80x"},
    };
    for (const auto &[input, expected] : cases) {
        BOOST_TEST(printable(input) == expected);
    }
}

BOOST_AUTO_TEST_SUITE_END()
