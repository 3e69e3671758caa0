// Tests of the built-in translations, the PO files they come from, and the
// negotiation of the page language.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certhelp/i18n.h"
#include "certhelp/render.h"

#ifndef CERTHELP_SOURCE_DIR
#error "CERTHELP_SOURCE_DIR must name the source tree (set in Makefile.am)"
#endif

namespace {

const std::string kSourceDir = CERTHELP_SOURCE_DIR;
const std::string kI18nDir = kSourceDir + "/lib/i18n";
const std::vector<std::string> kTranslated = {"de", "es", "fr", "it"};

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

std::size_t count(std::string_view text, std::string_view part)
{
    std::size_t found = 0;
    for (std::size_t pos = text.find(part); pos != std::string_view::npos;
         pos = text.find(part, pos + part.size())) {
        ++found;
    }
    return found;
}

struct CommandResult {
    int status = -1;
    std::string output;
};

// Runs `command` through the shell and returns its exit status and its
// standard output and error, interleaved.
CommandResult run_command(const std::string &command)
{
    CommandResult result;
    FILE *pipe = popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    std::array<char, 4096> buffer;
    std::size_t length = 0;
    while ((length = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        result.output.append(buffer.data(), length);
    }
    int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

bool msgfmt_installed()
{
    return run_command("command -v msgfmt").status == 0;
}

std::string quote_for_shell(const std::string &text)
{
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// A temporary directory, removed with its files at the end of the test.
class TemporaryDirectory {
public:
    TemporaryDirectory()
    {
        char pattern[] = "/tmp/certhelp-i18n-test-XXXXXX";
        const char *created = mkdtemp(pattern);
        path_ = created != nullptr ? created : "";
    }

    ~TemporaryDirectory()
    {
        if (!path_.empty()) {
            run_command("rm -rf " + quote_for_shell(path_));
        }
    }

    const std::string &path() const { return path_; }

private:
    std::string path_;
};

constexpr std::string_view kGermanHeader =
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Language: de\\n\"\n"
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
    "\n";

// Writes `text` to DIR/de.po, runs po2cc.py on it and returns the result;
// the generated file is DIR/out.cc.
CommandResult run_po2cc(const TemporaryDirectory &directory,
                        const std::string &text,
                        const std::string &file_name = "de.po")
{
    std::string po_path = directory.path() + "/" + file_name;
    std::ofstream(po_path) << text;
    return run_command("/usr/bin/python3 "
                       + quote_for_shell(kI18nDir + "/po2cc.py")
                       + " --output "
                       + quote_for_shell(directory.path() + "/out.cc") + " "
                       + quote_for_shell(po_path));
}

std::string read_file(const std::string &path)
{
    std::ifstream stream(path);
    return std::string(std::istreambuf_iterator<char>(stream),
                       std::istreambuf_iterator<char>());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(catalogs)

BOOST_AUTO_TEST_CASE(available_languages_list)
{
    const std::vector<std::string_view> &languages =
        certhelp::available_languages();

    BOOST_TEST_REQUIRE(languages.size() == kTranslated.size() + 1);
    BOOST_TEST(languages[0] == "en");
    for (std::size_t i = 0; i < kTranslated.size(); ++i) {
        BOOST_TEST(languages[i + 1] == kTranslated[i]);
    }
}

BOOST_AUTO_TEST_CASE(every_message_translated)
{
    std::vector<certhelp::PageMessage> messages = certhelp::page_messages();
    BOOST_TEST_REQUIRE(messages.size() >= 14U + 3U * 9U);

    for (const std::string &language : kTranslated) {
        const certhelp::Catalog *catalog = certhelp::find_catalog(language);
        BOOST_TEST_REQUIRE(catalog != nullptr, "no catalogue " << language);
        for (const certhelp::PageMessage &message : messages) {
            BOOST_TEST_CONTEXT(language << ".po, msgid \"" << message.msgid
                                        << "\"")
            {
                const certhelp::CatalogEntry *entry =
                    certhelp::find_entry(*catalog, message.msgid);
                BOOST_TEST_REQUIRE(entry != nullptr, "no translation");
                BOOST_TEST(entry->msgid_plural == message.msgid_plural);
                std::size_t forms = message.msgid_plural.empty()
                                        ? 1
                                        : catalog->plural_count;
                BOOST_TEST_REQUIRE(entry->form_count == forms);
                for (std::size_t i = 0; i < entry->form_count; ++i) {
                    BOOST_TEST(!entry->forms[i].empty());
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(no_unused_messages)
{
    std::set<std::string_view> used;
    for (const certhelp::PageMessage &message : certhelp::page_messages()) {
        used.insert(message.msgid);
    }
    certhelp::CatalogList list = certhelp::built_in_catalogs();
    for (std::size_t i = 0; i < list.count; ++i) {
        const certhelp::Catalog &catalog = list.catalogs[i];
        for (std::size_t j = 0; j < catalog.entry_count; ++j) {
            BOOST_TEST_CONTEXT(catalog.language
                               << ".po, msgid \""
                               << catalog.entries[j].msgid << "\"")
            {
                BOOST_TEST(used.count(catalog.entries[j].msgid) == 1U);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(format_directives_match)
{
    certhelp::CatalogList list = certhelp::built_in_catalogs();
    for (std::size_t i = 0; i < list.count; ++i) {
        const certhelp::Catalog &catalog = list.catalogs[i];
        for (std::size_t j = 0; j < catalog.entry_count; ++j) {
            const certhelp::CatalogEntry &entry = catalog.entries[j];
            std::size_t expected = count(entry.msgid, "%d");
            for (std::size_t form = 0; form < entry.form_count; ++form) {
                BOOST_TEST_CONTEXT(catalog.language << ".po, msgid \""
                                                    << entry.msgid
                                                    << "\", form " << form)
                {
                    BOOST_TEST(count(entry.forms[form], "%d") == expected);
                    BOOST_TEST(count(entry.forms[form], "%") == expected);
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(catalog_lookup)
{
    BOOST_TEST(certhelp::translate("de", "Subject") == "Inhaber");
    BOOST_TEST(certhelp::translate("DE", "Subject") == "Inhaber");
    BOOST_TEST(certhelp::translate("fr", "Path") == "Chemin");
    BOOST_TEST(certhelp::translate("en", "Subject") == "Subject");
    BOOST_TEST(certhelp::translate("xx", "Subject") == "Subject");
    BOOST_TEST(certhelp::translate("de", "no such message")
               == "no such message");
    BOOST_TEST(certhelp::find_catalog("en") == nullptr);
    BOOST_TEST(certhelp::find_catalog("de-CH") == nullptr);
}

BOOST_AUTO_TEST_CASE(plural_rules)
{
    const std::string_view one = "expired %d day ago";
    const std::string_view many = "expired %d days ago";

    BOOST_TEST(certhelp::translate_plural("en", one, many, 0) == many);
    BOOST_TEST(certhelp::translate_plural("en", one, many, 1) == one);
    BOOST_TEST(certhelp::translate_plural("en", one, many, 2) == many);
    BOOST_TEST(certhelp::translate_plural("de", one, many, 0)
               == "vor %d Tagen abgelaufen");
    BOOST_TEST(certhelp::translate_plural("de", one, many, 1)
               == "vor %d Tag abgelaufen");
    BOOST_TEST(certhelp::translate_plural("fr", one, many, 0)
               == "expir\xC3\xA9 depuis %d jour");
    BOOST_TEST(certhelp::translate_plural("fr", one, many, 1)
               == "expir\xC3\xA9 depuis %d jour");
    BOOST_TEST(certhelp::translate_plural("fr", one, many, 2)
               == "expir\xC3\xA9 depuis %d jours");
    // A plural that does not match the catalogue's falls back to English.
    BOOST_TEST(certhelp::translate_plural("de", one, "other", 2) == "other");
}

BOOST_AUTO_TEST_CASE(phrase_counts)
{
    using certhelp::Phrase;

    BOOST_TEST(certhelp::phrase_text("en", Phrase::expired_days_ago, 1)
               == "expired 1 day ago");
    BOOST_TEST(certhelp::phrase_text("en", Phrase::expired_days_ago, 0)
               == "expired 0 days ago");
    BOOST_TEST(certhelp::phrase_text("it", Phrase::becomes_valid_in_days, 2)
               == "diventa valido tra 2 giorni");
    BOOST_TEST(certhelp::phrase_text("de", Phrase::serial) == "Seriennummer");
}

BOOST_AUTO_TEST_CASE(count_formatting)
{
    BOOST_TEST(certhelp::format_count("in %d days", 12) == "in 12 days");
    BOOST_TEST(certhelp::format_count("%d/%d", 3) == "3/3");
    BOOST_TEST(certhelp::format_count("100%% of %d", 7) == "100% of 7");
    BOOST_TEST(certhelp::format_count("%s %n %x", 1) == "%s %n %x");
    BOOST_TEST(certhelp::format_count("trailing %", 1) == "trailing %");
    BOOST_TEST(certhelp::format_count("", 1) == "");
    BOOST_TEST(certhelp::format_count("%d", 18446744073709551615UL)
               == "18446744073709551615");
}

BOOST_AUTO_TEST_CASE(po_files_pass_msgfmt,
                     *boost::unit_test::precondition([](auto) {
                         return msgfmt_installed();
                     }))
{
    for (const std::string &language : kTranslated) {
        std::string path = kI18nDir + "/" + language + ".po";
        CommandResult result = run_command(
            "msgfmt -c --check-format -o /dev/null " + quote_for_shell(path));
        BOOST_TEST_CONTEXT(path)
        {
            BOOST_TEST(result.status == 0);
            BOOST_TEST(result.output == "", "msgfmt printed " << result.output);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(po2cc)

BOOST_AUTO_TEST_CASE(valid_file_compiled)
{
    TemporaryDirectory directory;
    BOOST_TEST_REQUIRE(!directory.path().empty());
    CommandResult result = run_po2cc(
        directory, std::string(kGermanHeader)
                       + "msgid \"Path\"\nmsgstr \"Pfad \\\"a\\\\b\\\"\"\n\n"
                         "#, fuzzy\nmsgid \"Server\"\nmsgstr \"Rechner\"\n\n"
                         "msgid \"Issuer\"\nmsgstr \"\"\n");

    BOOST_TEST_REQUIRE(result.status == 0, result.output);
    std::string generated = read_file(directory.path() + "/out.cc");
    BOOST_TEST(contains(generated, "\"Pfad \\\"a\\\\b\\\"\""));
    BOOST_TEST(contains(generated,
                        "return static_cast<std::size_t>((n != 1));"));
    // Fuzzy and empty translations are left out, as gettext does.
    BOOST_TEST(!contains(generated, "Rechner"));
    BOOST_TEST(!contains(generated, "\"Issuer\""));
}

BOOST_AUTO_TEST_CASE(invalid_files_rejected)
{
    struct Case {
        std::string description;
        std::string text;
        std::string reason;
    };
    const std::string header(kGermanHeader);
    auto with_plural = [](const std::string &forms) {
        return "msgid \"\"\nmsgstr \"\"\n\"Language: de\\n\"\n"
               "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
               "\"Plural-Forms: "
               + forms + "\\n\"\n";
    };
    const std::vector<Case> cases = {
        {"code after the expression",
         with_plural("nplurals=2; plural=(n != 1); system(\\\"id\\\");"),
         "invalid Plural-Forms"},
        {"function call in the expression",
         with_plural("nplurals=2; plural=abort();"), "may contain only n"},
        {"form out of range", with_plural("nplurals=2; plural=n > 1 ? 2 : 0;"),
         "gives form 2"},
        {"malformed expression", with_plural("nplurals=2; plural=(n != ;"),
         "invalid plural expression"},
        {"no plural forms",
         "msgid \"\"\nmsgstr \"\"\n\"Language: de\\n\"\n"
         "\"Content-Type: text/plain; charset=UTF-8\\n\"\n",
         "no Plural-Forms"},
        {"other language", header + "", "expected 'fr'"},
        {"latin-1",
         "msgid \"\"\nmsgstr \"\"\n\"Language: de\\n\"\n"
         "\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n"
         "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n",
         "charset=UTF-8"},
        {"unknown escape", header + "msgid \"Path\"\nmsgstr \"P\\x41\"\n",
         "unsupported escape"},
        {"context", header + "msgctxt \"x\"\nmsgid \"Path\"\nmsgstr \"P\"\n",
         "msgctxt is not supported"},
        {"duplicate msgid",
         header + "msgid \"Path\"\nmsgstr \"P\"\n\nmsgid \"Path\"\n"
                  "msgstr \"Q\"\n",
         "appears twice"},
        {"missing plural form",
         header + "msgid \"a %d\"\nmsgid_plural \"b %d\"\n"
                  "msgstr[0] \"c %d\"\n",
         "msgstr[1]"},
        {"unquoted string", header + "msgid Path\nmsgstr \"P\"\n",
         "double quotes"},
    };
    for (const Case &test : cases) {
        TemporaryDirectory directory;
        BOOST_TEST_REQUIRE(!directory.path().empty());
        std::string file_name =
            test.description == "other language" ? "fr.po" : "de.po";
        CommandResult result = run_po2cc(directory, test.text, file_name);
        BOOST_TEST_CONTEXT(test.description)
        {
            BOOST_TEST(result.status == 1);
            BOOST_TEST(contains(result.output, test.reason), result.output);
            BOOST_TEST(read_file(directory.path() + "/out.cc").empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(negotiate_language)

struct LanguageCase {
    std::string header;
    std::string language;
};

void check_languages(const std::vector<LanguageCase> &cases)
{
    for (const LanguageCase &test : cases) {
        BOOST_TEST_CONTEXT("Accept-Language: " << test.header)
        {
            BOOST_TEST(certhelp::negotiate_language(test.header)
                       == test.language);
        }
    }
}

BOOST_AUTO_TEST_CASE(plain_tags)
{
    check_languages({
        {"", "en"},
        {"de", "de"},
        {"fr", "fr"},
        {"es", "es"},
        {"it", "it"},
        {"en", "en"},
        {"xx", "en"},
        {"xx-YY", "en"},
    });
}

BOOST_AUTO_TEST_CASE(regional_variants)
{
    check_languages({
        {"de-CH", "de"},
        {"de-CH-1996", "de"},
        {"fr-CA, de;q=0.9", "fr"},
        {"en-US, de;q=0.9", "en"},
        {"zh-Hant-TW", "en"},
        // "d" is no prefix of "de": subtags match whole.
        {"d-CH", "en"},
        {"deu", "en"},
    });
}

BOOST_AUTO_TEST_CASE(q_values)
{
    check_languages({
        {"fr;q=0.9, de;q=0.1", "fr"},
        {"de;q=0.1, fr;q=0.9", "fr"},
        {"de;q=0.5, fr", "fr"},
        {"it;q=0.001, xx", "it"},
        {"de-CH;q=0.4, fr;q=0.3", "de"},
        {"de-CH;q=0.2, de-AT;q=0.6, fr;q=0.5", "de"},
    });
}

BOOST_AUTO_TEST_CASE(zero_quality_excluded)
{
    check_languages({
        {"de;q=0", "en"},
        {"de;q=0, fr;q=0.1", "fr"},
        {"en;q=0, fr;q=0.1", "fr"},
        // An exact range decides before a more specific one.
        {"de;q=0, de-CH", "en"},
        {"de-CH, de;q=0", "en"},
        // Excluding a variant says nothing about the language itself.
        {"de-CH;q=0, de;q=0.5", "de"},
        {"fr-CA;q=0, fr;q=0.2", "fr"},
        {"*;q=0", "en"},
        {"*;q=0, es", "es"},
    });
}

BOOST_AUTO_TEST_CASE(wildcard)
{
    check_languages({
        {"*", "en"},
        {"en;q=0, *", "de"},
        {"en;q=0, de;q=0, *", "es"},
        {"*;q=0.5, it;q=0.6", "it"},
        {"*;q=0.5, it;q=0.4", "en"},
        {"xx, *;q=0.1", "en"},
    });
}

BOOST_AUTO_TEST_CASE(equal_quality_order)
{
    check_languages({
        {"fr, de", "fr"},
        {"de, fr", "de"},
        {"es;q=0.8, it;q=0.8", "es"},
        {"it;q=0.8, es;q=0.8", "it"},
        {"it-CH;q=0.7, es;q=0.7", "it"},
    });
}

BOOST_AUTO_TEST_CASE(case_insensitive)
{
    check_languages({
        {"DE", "de"},
        {"Fr-cA", "fr"},
        {"De;Q=0.5, fr;q=0.4", "de"},
        {"EN;q=0, IT", "it"},
    });
}

BOOST_AUTO_TEST_CASE(malformed_ignored)
{
    check_languages({
        {"de;q=2, fr;q=0.1", "fr"},
        {"de;q=abc, fr;q=0.1", "fr"},
        {"de;q=, fr;q=0.1", "fr"},
        {"de;q=0.1234, fr;q=0.1", "fr"},
        {"de;level=1, fr;q=0.1", "fr"},
        {"de;q=0.5;q=1, fr;q=0.1", "fr"},
        {"de-, fr;q=0.1", "fr"},
        {"de--CH, fr;q=0.1", "fr"},
        {"-de, fr;q=0.1", "fr"},
        {"d3, fr;q=0.1", "fr"},
        {"abcdefghi, fr;q=0.1", "fr"},
        {"de-abcdefghi, fr;q=0.1", "fr"},
        {"de_CH, fr;q=0.1", "fr"},
        {"de CH, fr;q=0.1", "fr"},
        {"*-CH, fr;q=0.1", "fr"},
        {"\"de\", fr;q=0.1", "fr"},
        {std::string("de\0, fr;q=0.1", 13), "fr"},
        {"\xC3\xA9s, fr;q=0.1", "fr"},
        {",,, it ,,,", "it"},
        {" \t fr ; q=0.7 , de;q=0.6", "fr"},
        {"garbage", "en"},
        {";;;", "en"},
    });
}

BOOST_AUTO_TEST_CASE(browser_headers)
{
    check_languages({
        {"de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "de"},
        {"en-US,en;q=0.9", "en"},
        {"fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"},
        {"nl-NL,nl;q=0.9,it;q=0.8,en;q=0.7", "it"},
        {"pt-BR,pt;q=0.9", "en"},
    });
}

BOOST_AUTO_TEST_CASE(very_long_header)
{
    std::string many_ranges;
    for (int i = 0; i < 20000; ++i) {
        many_ranges += "xx;q=0.5, ";
    }
    many_ranges += "it;q=0.1";
    std::string junk(100000, ',');
    std::string long_range(100000, 'a');

    BOOST_TEST(certhelp::negotiate_language(many_ranges) == "it");
    BOOST_TEST(certhelp::negotiate_language(junk) == "en");
    BOOST_TEST(certhelp::negotiate_language(long_range + ", de") == "de");
}

BOOST_AUTO_TEST_CASE(result_is_available)
{
    const std::vector<std::string_view> &available =
        certhelp::available_languages();
    for (const std::string header : {"DE", "De-ch", "FR;q=1", "*"}) {
        std::string_view language = certhelp::negotiate_language(header);
        BOOST_TEST_CONTEXT("Accept-Language: " << header)
        {
            bool found = std::find(available.begin(), available.end(),
                                   language)
                         != available.end();
            BOOST_TEST(found);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
