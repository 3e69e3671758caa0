// Reading the HTTP/1.1 response of "certhelp probe" and the problem+json
// body that mod_certhelp sends.
#ifndef CERTHELP_TOOLS_HTTP_RESPONSE_H
#define CERTHELP_TOOLS_HTTP_RESPONSE_H

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certhelp_cli {

// One HTTP response. Every string is raw, as the server sent it.
struct HttpResponse {
    int status = 0;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // True when the body was longer than HttpResponseReader keeps.
    bool truncated = false;

    // Returns the last value of header `name` (any case), or nullopt.
    std::optional<std::string> header(std::string_view name) const;
};

// Incremental parser of one HTTP/1.1 response, on Boost.Beast's parser.
// Keeps at most 64 KiB of header and 1 MiB of body.
class HttpResponseReader {
public:
    HttpResponseReader();
    ~HttpResponseReader();
    HttpResponseReader(const HttpResponseReader &) = delete;
    HttpResponseReader &operator=(const HttpResponseReader &) = delete;

    // Parses received bytes. Returns false on a malformed response, with
    // the reason in error().
    bool feed(std::string_view data);

    // Tells the parser that the server closed the connection. Returns
    // false when the response is incomplete.
    bool finish();

    // True once a whole response (or its first 1 MiB of body) is parsed.
    bool done() const;

    const std::string &error() const;

    // The parsed response; valid after done().
    HttpResponse response() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Members of an RFC 9457 problem object that mod_certhelp sends.
struct ProblemDetails {
    std::optional<std::string> type;
    std::optional<std::string> title;
    std::optional<std::string> status;
    std::optional<std::string> detail;
    std::optional<std::string> outcome;
    std::optional<std::string> substatus;
    std::optional<std::string> remedy;
};

// Parses a JSON problem object. Returns nullopt, with the reason in
// `error`, when `body` is not a JSON object.
std::optional<ProblemDetails> parse_problem(std::string_view body,
                                            std::string &error);

}  // namespace certhelp_cli

#endif
