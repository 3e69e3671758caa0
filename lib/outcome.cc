// Table of client-certificate outcomes with the texts shown to the person
// behind the browser.
#include "certhelp/outcome.h"

#include "ascii.h"

#include <array>
#include <cstddef>

#include "certhelp/i18n.h"

namespace certhelp {

namespace {

// One row per Outcome, in declaration order, so that the enum value is the
// row index (checked below).
constexpr std::array<OutcomeInfo, 9> kOutcomes = {{
    {Outcome::success, "success", 0, "", "Client certificate accepted",
     "The client certificate your browser presented was verified "
     "successfully.",
     "No action is needed."},

    {Outcome::missing, "missing", 7, "403.7", "Client certificate required",
     "This site requires a client certificate, but your browser did not "
     "present one.",
     "Install the client certificate that was issued to you, reload this "
     "page and select the certificate when your browser asks for one. If "
     "you do not have a certificate, contact the site's administrator."},

    {Outcome::expired, "expired", 17, "403.17", "Client certificate expired",
     "The client certificate your browser presented has expired, so this "
     "site cannot accept it.",
     "Ask the organization that issued your certificate for a new one and "
     "install it. If you already have a newer certificate, restart your "
     "browser and select that one when it asks."},

    {Outcome::not_yet_valid, "not-yet-valid", 17, "403.17",
     "Client certificate not yet valid",
     "The client certificate your browser presented is not valid yet, "
     "because its validity period starts in the future.",
     "Wait until the certificate's validity period begins, or select "
     "another certificate. If the certificate should already be valid, "
     "contact the site's administrator, because the server's clock may be "
     "wrong."},

    {Outcome::revoked, "revoked", 13, "403.13", "Client certificate revoked",
     "The client certificate your browser presented has been revoked by "
     "its issuer and can no longer be used.",
     "Contact the organization that issued your certificate to get a new "
     "one. If you have another certificate for this site, restart your "
     "browser and select that one when it asks."},

    {Outcome::untrusted, "untrusted", 16, "403.16",
     "Client certificate not trusted",
     "The client certificate your browser presented was not issued by a "
     "certificate authority that this site trusts.",
     "Restart your browser and select the certificate that was issued for "
     "this site when it asks. If you are not sure which certificate that "
     "is, contact the site's administrator."},

    {Outcome::invalid, "invalid", 16, "403.16", "Client certificate invalid",
     "The client certificate your browser presented cannot be accepted, "
     "because it is malformed or not meant for this use.",
     "Restart your browser and select a different certificate when it "
     "asks, or ask the organization that issued your certificate for a new "
     "one. If the problem persists, contact the site's administrator."},

    {Outcome::revocation_unknown, "revocation-unknown", 16, "403.16",
     "Client certificate status unknown",
     "This site could not check whether the client certificate your "
     "browser presented has been revoked, so it cannot accept the "
     "certificate right now.",
     "Try again in a few minutes. If the problem persists, contact the "
     "site's administrator."},

    {Outcome::denied, "denied", 12, "403.12",
     "Access denied for this certificate",
     "The client certificate your browser presented is valid, but this "
     "site's rules do not allow it to access this page.",
     "If you have another certificate that was issued for this site, "
     "restart your browser and select that one when it asks. Otherwise, "
     "ask the site's administrator for access."},
}};

constexpr bool rows_match_enum_order()
{
    for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
        if (static_cast<std::size_t>(kOutcomes[i].outcome) != i) {
            return false;
        }
    }
    return true;
}

static_assert(rows_match_enum_order(),
              "kOutcomes must list every Outcome in declaration order");
static_assert(static_cast<std::size_t>(Outcome::denied) + 1
                  == kOutcomes.size(),
              "kOutcomes must have one row per Outcome");

}  // namespace

const OutcomeInfo &outcome_info(Outcome outcome)
{
    auto index = static_cast<std::size_t>(outcome);

    // An out-of-range value can only come from a cast. Describing it as
    // `invalid` keeps every caller on the failure path.
    if (index >= kOutcomes.size()) {
        return kOutcomes[static_cast<std::size_t>(Outcome::invalid)];
    }
    return kOutcomes[index];
}

OutcomeInfo localized_outcome_info(Outcome outcome, std::string_view language)
{
    OutcomeInfo info = outcome_info(outcome);
    info.title = translate(language, info.title);
    info.explanation = translate(language, info.explanation);
    info.remedy = translate(language, info.remedy);
    return info;
}

const std::vector<Outcome> &all_outcomes()
{
    // Built on first use: the library keeps no global objects with dynamic
    // initialization, because httpd may load and unload the module twice.
    static const std::vector<Outcome> outcomes = [] {
        std::vector<Outcome> list;
        for (const OutcomeInfo &info : kOutcomes) {
            list.push_back(info.outcome);
        }
        return list;
    }();
    return outcomes;
}

std::optional<Outcome> parse_outcome(std::string_view name)
{
    for (const OutcomeInfo &info : kOutcomes) {
        if (equals_ignoring_case(name, info.name)) {
            return info.outcome;
        }
    }
    return std::nullopt;
}

std::optional<int> parse_substatus(std::string_view text)
{
    // Only the exact text of a table row is accepted ("403.7", never
    // "403.07" or " 403.7"), and success's empty text does not count.
    for (const OutcomeInfo &info : kOutcomes) {
        if (!info.substatus_text.empty() && text == info.substatus_text) {
            return info.substatus;
        }
    }
    return std::nullopt;
}

std::vector<Outcome> outcomes_with_substatus(int substatus)
{
    std::vector<Outcome> matches;
    for (const OutcomeInfo &info : kOutcomes) {
        if (info.substatus == substatus) {
            matches.push_back(info.outcome);
        }
    }
    return matches;
}

}  // namespace certhelp
