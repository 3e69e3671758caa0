// Lookup in the built-in catalogues and the fixed phrases of the pages.
#include "certhelp/i18n.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "certhelp/outcome.h"

#include "ascii.h"
#include "certhelp/render.h"

namespace certhelp {

namespace {

struct PhraseRow {
    Phrase phrase;
    std::string_view msgid;
    // Set for the phrases with plural forms.
    std::string_view msgid_plural;
};

// One row per Phrase, in declaration order, so that the enum value is the
// row index (checked below). These English texts are the msgids of the PO
// files.
constexpr std::array<PhraseRow, 14> kPhrases = {{
    {Phrase::server, "Server", ""},
    {Phrase::path, "Path", ""},
    {Phrase::certificate_heading, "The certificate your browser presented",
     ""},
    {Phrase::subject, "Subject", ""},
    {Phrase::issuer, "Issuer", ""},
    {Phrase::serial, "Serial number", ""},
    {Phrase::not_before, "Valid from", ""},
    {Phrase::not_after, "Valid until", ""},
    {Phrase::expired_days_ago, "expired %d day ago", "expired %d days ago"},
    {Phrase::becomes_valid_in_days, "becomes valid in %d day",
     "becomes valid in %d days"},
    {Phrase::accepted_cas_heading,
     "Certificate authorities this site accepts", ""},
    {Phrase::advice_heading, "Why your browser may offer no certificate", ""},
    {Phrase::advice_issuers,
     "Your browser offers only the certificates that were issued by a "
     "certificate authority this site accepts. If it did not ask you to "
     "choose one, you may have no certificate from any of these "
     "authorities.",
     ""},
    {Phrase::advice_remembered_choice,
     "Your browser may also remember an earlier choice for this site, such "
     "as sending no certificate, until the connection is closed. Open a new "
     "private window or restart your browser, then load this page again.",
     ""},
}};

constexpr bool rows_match_enum_order()
{
    for (std::size_t i = 0; i < kPhrases.size(); ++i) {
        if (static_cast<std::size_t>(kPhrases[i].phrase) != i) {
            return false;
        }
    }
    return true;
}

static_assert(rows_match_enum_order(),
              "kPhrases must list every Phrase in declaration order");
static_assert(static_cast<std::size_t>(Phrase::advice_remembered_choice) + 1
                  == kPhrases.size(),
              "kPhrases must have one row per Phrase");

}  // namespace

const Catalog *find_catalog(std::string_view language)
{
    // The msgids are the English texts, so "en" never has a catalogue.
    // Pages are mostly English, and this skips comparing every name.
    if (language == "en") {
        return nullptr;
    }
    CatalogList list = built_in_catalogs();
    for (std::size_t i = 0; i < list.count; ++i) {
        if (equals_ignoring_case(list.catalogs[i].language, language)) {
            return &list.catalogs[i];
        }
    }
    return nullptr;
}

const CatalogEntry *find_entry(const Catalog &catalog, std::string_view msgid)
{
    const CatalogEntry *end = catalog.entries + catalog.entry_count;
    const CatalogEntry *found = std::lower_bound(
        catalog.entries, end, msgid,
        [](const CatalogEntry &entry, std::string_view key) {
            return entry.msgid < key;
        });
    if (found == end || found->msgid != msgid) {
        return nullptr;
    }
    return found;
}

std::string_view translate(std::string_view language, std::string_view msgid)
{
    const Catalog *catalog = find_catalog(language);
    if (catalog == nullptr) {
        return msgid;
    }
    const CatalogEntry *entry = find_entry(*catalog, msgid);
    if (entry == nullptr || entry->form_count == 0) {
        return msgid;
    }
    return entry->forms[0];
}

std::string_view translate_plural(std::string_view language,
                                  std::string_view singular,
                                  std::string_view plural,
                                  unsigned long count)
{
    std::string_view english = count == 1 ? singular : plural;
    const Catalog *catalog = find_catalog(language);
    if (catalog == nullptr) {
        return english;
    }
    const CatalogEntry *entry = find_entry(*catalog, singular);
    if (entry == nullptr || entry->form_count == 0
        || entry->msgid_plural != plural) {
        return english;
    }

    // po2cc.py checks that the expression stays below nplurals, and the
    // clamp keeps a bad table from reading past the forms.
    std::size_t form = catalog->plural_form(count);
    return entry->forms[std::min(form, entry->form_count - 1)];
}

std::string format_count(std::string_view format, unsigned long count)
{
    std::string number = std::to_string(count);
    std::string out;
    out.reserve(format.size() + number.size());
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '%' && i + 1 < format.size()) {
            if (format[i + 1] == 'd') {
                out += number;
                ++i;
                continue;
            }
            if (format[i + 1] == '%') {
                out += '%';
                ++i;
                continue;
            }
        }
        out += format[i];
    }
    return out;
}

std::string phrase_text(std::string_view language, Phrase phrase,
                        unsigned long count)
{
    auto index = static_cast<std::size_t>(phrase);
    if (index >= kPhrases.size()) {
        return {};
    }
    const PhraseRow &row = kPhrases[index];
    if (row.msgid_plural.empty()) {
        return std::string(translate(language, row.msgid));
    }
    return format_count(
        translate_plural(language, row.msgid, row.msgid_plural, count),
        count);
}

std::vector<PageMessage> page_messages()
{
    std::vector<PageMessage> messages;
    for (const PhraseRow &row : kPhrases) {
        messages.push_back({row.msgid, row.msgid_plural});
    }
    for (Outcome outcome : all_outcomes()) {
        const OutcomeInfo &info = outcome_info(outcome);
        messages.push_back({info.title, ""});
        messages.push_back({info.explanation, ""});
        messages.push_back({info.remedy, ""});
    }
    return messages;
}

const std::vector<std::string_view> &available_languages()
{
    // Built on first use: the library keeps no global objects with dynamic
    // initialization, because httpd may load and unload the module twice.
    static const std::vector<std::string_view> languages = [] {
        std::vector<std::string_view> list = {"en"};
        CatalogList catalogs = built_in_catalogs();
        for (std::size_t i = 0; i < catalogs.count; ++i) {
            list.push_back(catalogs.catalogs[i].language);
        }
        return list;
    }();
    return languages;
}

}  // namespace certhelp
