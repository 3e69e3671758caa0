// Parsing and printing of the times that "certhelp check --at" accepts.
#ifndef CERTHELP_TOOLS_TIMESTAMP_H
#define CERTHELP_TOOLS_TIMESTAMP_H

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace certhelp_cli {

// Parses a point in time. Accepted forms:
// - seconds since the Unix epoch: "1769860800";
// - an ISO 8601 date and time with a zone: "2026-01-31T12:00:00Z",
//   "2026-01-31T13:00:00+01:00", "2026-01-31T12:00Z". The separator may be
//   'T', 't' or a space, and fractions of a second are dropped;
// - an ISO 8601 date alone, "2026-01-31", meaning midnight UTC.
// Years run from 1950 to 9999, the range of X.509 validity times. Returns
// nullopt for anything else, including times without a zone and invalid
// dates such as 2026-02-30.
std::optional<std::time_t> parse_timestamp(std::string_view text);

// Formats a time as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_timestamp(std::time_t time);

}  // namespace certhelp_cli

#endif
