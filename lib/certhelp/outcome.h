// Client-certificate outcomes and their IIS-style 403 substatus codes.
#ifndef CERTHELP_OUTCOME_H
#define CERTHELP_OUTCOME_H

#include <optional>
#include <string_view>
#include <vector>

namespace certhelp {

// Result of client-certificate authentication for one connection.
enum class Outcome {
    success,
    missing,
    expired,
    not_yet_valid,
    revoked,
    untrusted,
    invalid,
    revocation_unknown,
    // A verified certificate that authorization refused (IIS 403.12,
    // "mapper denied access"); never the result of verification.
    denied,
};

// Static description of an outcome. All strings are ASCII literals.
struct OutcomeInfo {
    Outcome outcome;
    // Configuration and variable name, for example "not-yet-valid".
    std::string_view name;
    // IIS substatus of 403, for example 17 for "403.17"; 0 for success.
    int substatus;
    // Substatus as text, for example "403.17"; empty for success.
    std::string_view substatus_text;
    // Short English title, for example "Client certificate expired".
    std::string_view title;
    // One or two sentences on what happened.
    std::string_view explanation;
    // What the person can do about it.
    std::string_view remedy;
};

// Returns the description of `outcome`, in English.
const OutcomeInfo &outcome_info(Outcome outcome);

// Returns the description of `outcome` with title, explanation and remedy
// in `language` (one of available_languages() in render.h); English for a
// language without a catalogue entry.
OutcomeInfo localized_outcome_info(Outcome outcome, std::string_view language);

// Returns every outcome in declaration order.
const std::vector<Outcome> &all_outcomes();

// Parses an outcome name such as "not-yet-valid"; case-insensitive.
std::optional<Outcome> parse_outcome(std::string_view name);

// Parses an IIS substatus such as "403.17" into 17; only substatus codes that
// some outcome uses are accepted.
std::optional<int> parse_substatus(std::string_view text);

// Returns the outcomes that share `substatus` (403.17 covers two).
std::vector<Outcome> outcomes_with_substatus(int substatus);

}  // namespace certhelp

#endif
