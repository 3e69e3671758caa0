// Built-in translations of the response pages. The msgids are the English
// texts. The catalogues come from the gettext PO files in lib/i18n, which
// lib/i18n/po2cc.py compiles into constant tables at build time.
#ifndef CERTHELP_I18N_H
#define CERTHELP_I18N_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace certhelp {

// One translated message. A message with plural forms has a non-empty
// msgid_plural and one string per plural form of the language.
struct CatalogEntry {
    std::string_view msgid;
    std::string_view msgid_plural;
    const std::string_view *forms;
    std::size_t form_count;
};

// The translations of one language, with entries sorted by msgid in byte
// order.
struct Catalog {
    // Lower-case ISO 639 code, for example "de".
    std::string_view language;
    // Index of the plural form for the count n, from the PO file's
    // Plural-Forms header.
    std::size_t (*plural_form)(unsigned long n);
    // nplurals of the Plural-Forms header.
    std::size_t plural_count;
    const CatalogEntry *entries;
    std::size_t entry_count;
};

struct CatalogList {
    const Catalog *catalogs;
    std::size_t count;
};

// Returns the compiled catalogues, sorted by language. Defined in the file
// that po2cc.py generates.
CatalogList built_in_catalogs();

// Returns the catalogue of `language` (case-insensitive), nullptr for
// English and for languages without one.
const Catalog *find_catalog(std::string_view language);

// Returns the entry of `msgid` in `catalog`, nullptr when it has none.
const CatalogEntry *find_entry(const Catalog &catalog, std::string_view msgid);

// Returns the translation of `msgid` into `language`, or `msgid` itself for
// English, a language without a catalogue or a message without a
// translation.
std::string_view translate(std::string_view language, std::string_view msgid);

// Returns the form of a message with plural forms that fits `count`. When
// there is no translation, returns `singular` for 1 and `plural` otherwise,
// the English rule.
std::string_view translate_plural(std::string_view language,
                                  std::string_view singular,
                                  std::string_view plural,
                                  unsigned long count);

// Returns `format` with each "%d" replaced by `count` and each "%%" by "%".
// Other text, including any other '%', is copied unchanged, so a format
// string from a catalogue can never read arguments it was not given.
std::string format_count(std::string_view format, unsigned long count);

// Fixed phrases of the pages, beside the texts of the outcomes.
enum class Phrase {
    server,
    path,
    certificate_heading,
    subject,
    issuer,
    serial,
    not_before,
    not_after,
    expired_days_ago,        // plural, "%d"
    becomes_valid_in_days,   // plural, "%d"
    accepted_cas_heading,
    advice_heading,
    advice_issuers,
    advice_remembered_choice,
};

// Returns `phrase` in `language`. For the two plural phrases it returns the
// form for `count`, with the number put in.
std::string phrase_text(std::string_view language, Phrase phrase,
                        unsigned long count = 0);

// A message the pages translate. msgid_plural is empty for a message
// without plural forms.
struct PageMessage {
    std::string_view msgid;
    std::string_view msgid_plural;
};

// Returns every message the pages translate: the fixed phrases, then the
// title, explanation and remedy of each outcome.
std::vector<PageMessage> page_messages();

}  // namespace certhelp

#endif
