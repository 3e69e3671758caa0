// HTTP response parsing with Boost.Beast and problem+json parsing with
// Boost.PropertyTree.
#include "http_response.h"

// Boost 1.74's PropertyTree includes the deprecated <boost/bind.hpp>, which
// prints a warning unless this is defined. The placeholders are unused.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace certhelp_cli {

namespace http = boost::beast::http;

namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::uint64_t kBodyLimit = 1024 * 1024;

// Deeper JSON is rejected before parsing, because the parser recurses once
// per level and a hostile body could exhaust the stack.
constexpr int kMaxJsonDepth = 32;

bool equals_ignoring_case(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a')
                                          : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

// Returns the deepest nesting of arrays and objects in JSON text, counting
// brackets outside strings.
int json_depth(std::string_view text)
{
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return deepest;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const
{
    std::optional<std::string> found;
    for (const auto &field : headers) {
        if (equals_ignoring_case(field.first, name)) {
            found = field.second;
        }
    }
    return found;
}

struct HttpResponseReader::State {
    http::response_parser<http::string_body> parser;
    std::string pending;
    std::string error;
    bool truncated = false;
};

HttpResponseReader::HttpResponseReader() : state_(std::make_unique<State>())
{
    state_->parser.header_limit(kHeaderLimit);
    state_->parser.body_limit(kBodyLimit);
    // Without eager mode, put() stops after the header.
    state_->parser.eager(true);
}

HttpResponseReader::~HttpResponseReader() = default;

bool HttpResponseReader::feed(std::string_view data)
{
    State &state = *state_;
    if (done()) {
        return true;
    }
    state.pending.append(data);
    while (!state.pending.empty() && !state.parser.is_done()) {
        boost::beast::error_code error;
        std::size_t used = state.parser.put(
            boost::asio::buffer(state.pending.data(), state.pending.size()),
            error);
        state.pending.erase(0, used);
        if (error == http::error::need_more) {
            return true;
        }
        if (error == http::error::body_limit) {
            // The status and the headers are what the probe reports, so a
            // long body ends the reading instead of failing it.
            state.truncated = true;
            return true;
        }
        if (error) {
            state.error = "the response is not valid HTTP/1.1: "
                          + error.message();
            return false;
        }
        if (used == 0) {
            return true;
        }
    }
    return true;
}

bool HttpResponseReader::finish()
{
    State &state = *state_;
    if (done()) {
        return true;
    }
    if (!state.parser.is_header_done()) {
        state.error = state.parser.got_some()
                          ? "the server closed the connection in the middle "
                            "of the response header"
                          : "the server closed the connection without "
                            "sending a response";
        return false;
    }
    boost::beast::error_code error;
    state.parser.put_eof(error);
    if (error) {
        state.error = "the server closed the connection before the end of "
                      "the response body ("
                      + error.message() + ")";
        return false;
    }
    return true;
}

bool HttpResponseReader::done() const
{
    return state_->parser.is_done() || state_->truncated;
}

const std::string &HttpResponseReader::error() const
{
    return state_->error;
}

HttpResponse HttpResponseReader::response() const
{
    const auto &message = state_->parser.get();
    HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    response.reason = std::string(message.reason());
    for (const auto &field : message) {
        response.headers.emplace_back(std::string(field.name_string()),
                                      std::string(field.value()));
    }
    response.body = message.body();
    response.truncated = state_->truncated;
    return response;
}

std::optional<ProblemDetails> parse_problem(std::string_view body,
                                            std::string &error)
{
    if (json_depth(body) > kMaxJsonDepth) {
        error = "the JSON body is nested deeper than "
                + std::to_string(kMaxJsonDepth) + " levels";
        return std::nullopt;
    }

    boost::property_tree::ptree tree;
    try {
        std::istringstream stream{std::string(body)};
        boost::property_tree::read_json(stream, tree);
    } catch (const boost::property_tree::json_parser_error &failure) {
        error = "the body is not valid JSON: " + failure.message()
                + " at line " + std::to_string(failure.line());
        return std::nullopt;
    }

    std::size_t first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || body[first] != '{') {
        error = "the JSON body is not an object";
        return std::nullopt;
    }

    // Only members with a plain value count; an object or array in their
    // place is ignored.
    auto member = [&tree](const char *name) -> std::optional<std::string> {
        auto found = tree.find(name);
        if (found == tree.not_found() || !found->second.empty()) {
            return std::nullopt;
        }
        return found->second.data();
    };
    ProblemDetails problem;
    problem.type = member("type");
    problem.title = member("title");
    problem.status = member("status");
    problem.detail = member("detail");
    problem.outcome = member("outcome");
    problem.substatus = member("substatus");
    problem.remedy = member("remedy");
    return problem;
}

}  // namespace certhelp_cli
