// Parsing and printing of "certhelp check --at" times.
#include "timestamp.h"

#include <cstdio>

namespace certhelp_cli {

namespace {

// 9999-12-31T23:59:59Z, the last second of four-digit years.
constexpr long long kLatestEpoch = 253402300799LL;

// Reads exactly `count` digits at text[pos] and advances pos.
std::optional<int> read_digits(std::string_view text, std::size_t &pos,
                               std::size_t count)
{
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        char c = text[pos + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool read_char(std::string_view text, std::size_t &pos, char expected)
{
    if (pos >= text.size() || text[pos] != expected) {
        return false;
    }
    ++pos;
    return true;
}

bool is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month)
{
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap_year(year)) {
        return 29;
    }
    return days[month - 1];
}

std::optional<std::time_t> parse_epoch(std::string_view text)
{
    if (text.empty() || text.size() > 12) {
        return std::nullopt;
    }
    long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    if (value > kLatestEpoch) {
        return std::nullopt;
    }
    return static_cast<std::time_t>(value);
}

// Reads the zone at text[pos]: "Z", "z", "+HH:MM", "-HH:MM", "+HHMM" or
// "-HHMM". Returns the offset from UTC in seconds.
std::optional<long> read_zone(std::string_view text, std::size_t &pos)
{
    if (read_char(text, pos, 'Z') || read_char(text, pos, 'z')) {
        return 0;
    }
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
        return std::nullopt;
    }
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    std::optional<int> hours = read_digits(text, pos, 2);
    read_char(text, pos, ':');
    std::optional<int> minutes = read_digits(text, pos, 2);
    if (!hours || !minutes || *hours > 23 || *minutes > 59) {
        return std::nullopt;
    }
    return sign * (*hours * 3600L + *minutes * 60L);
}

}  // namespace

std::optional<std::time_t> parse_timestamp(std::string_view text)
{
    if (std::optional<std::time_t> epoch = parse_epoch(text)) {
        return epoch;
    }

    std::size_t pos = 0;
    std::optional<int> year = read_digits(text, pos, 4);
    bool date_ok = year && read_char(text, pos, '-');
    std::optional<int> month = read_digits(text, pos, 2);
    date_ok = date_ok && month && read_char(text, pos, '-');
    std::optional<int> day = read_digits(text, pos, 2);
    date_ok = date_ok && day && *year >= 1950 && *month >= 1 && *month <= 12
              && *day >= 1 && *day <= days_in_month(*year, *month);
    if (!date_ok) {
        return std::nullopt;
    }

    struct tm parts = {};
    parts.tm_year = *year - 1900;
    parts.tm_mon = *month - 1;
    parts.tm_mday = *day;
    long offset = 0;

    if (pos < text.size()) {
        char separator = text[pos];
        if (separator != 'T' && separator != 't' && separator != ' ') {
            return std::nullopt;
        }
        ++pos;
        std::optional<int> hour = read_digits(text, pos, 2);
        bool time_ok = hour && read_char(text, pos, ':');
        std::optional<int> minute = read_digits(text, pos, 2);
        time_ok = time_ok && minute && *hour <= 23 && *minute <= 59;
        if (!time_ok) {
            return std::nullopt;
        }
        parts.tm_hour = *hour;
        parts.tm_min = *minute;

        if (read_char(text, pos, ':')) {
            // Second 60 (a leap second) is rejected: timegm would move it
            // into the next minute without saying so.
            std::optional<int> second = read_digits(text, pos, 2);
            if (!second || *second > 59) {
                return std::nullopt;
            }
            parts.tm_sec = *second;
            if (read_char(text, pos, '.') || read_char(text, pos, ',')) {
                std::size_t fraction_start = pos;
                while (pos < text.size() && text[pos] >= '0'
                       && text[pos] <= '9') {
                    ++pos;
                }
                if (pos == fraction_start) {
                    return std::nullopt;
                }
            }
        }

        std::optional<long> zone = read_zone(text, pos);
        if (!zone) {
            return std::nullopt;
        }
        offset = *zone;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }

    // NOTE: timegm is a glibc and BSD extension; it reads the fields as UTC.
    std::time_t local = timegm(&parts);
    long long seconds = static_cast<long long>(local) - offset;
    if (seconds > kLatestEpoch) {
        return std::nullopt;
    }
    return static_cast<std::time_t>(seconds);
}

std::string format_timestamp(std::time_t time)
{
    struct tm parts = {};
    if (gmtime_r(&time, &parts) == nullptr) {
        return "(invalid time)";
    }
    char buffer[32];
    int written = std::snprintf(
        buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ",
        parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
        parts.tm_min, parts.tm_sec);
    if (written <= 0 || static_cast<std::size_t>(written) >= sizeof buffer) {
        return "(invalid time)";
    }
    return std::string(buffer, static_cast<std::size_t>(written));
}

}  // namespace certhelp_cli
