// The network and TLS part of "certhelp probe".
#include "tls_probe.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <memory>
#include <utility>

#include "cli.h"
#include "output.h"

namespace certhelp_cli {

namespace {

using Clock = std::chrono::steady_clock;

struct SslCtxFree {
    void operator()(SSL_CTX *ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
    void operator()(SSL *ssl) const { SSL_free(ssl); }
};
struct AddrinfoFree {
    void operator()(addrinfo *list) const { freeaddrinfo(list); }
};

// A socket descriptor that closes itself.
class Socket {
public:
    explicit Socket(int fd = -1) : fd_(fd) {}
    ~Socket()
    {
        if (fd_ >= 0) {
            close(fd_);
        }
    }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    Socket(Socket &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Socket &operator=(Socket &&other) noexcept
    {
        std::swap(fd_, other.fd_);
        return *this;
    }
    int fd() const { return fd_; }

private:
    int fd_;
};

class Deadline {
public:
    explicit Deadline(long milliseconds)
        : end_(Clock::now() + std::chrono::milliseconds(milliseconds)),
          milliseconds_(milliseconds)
    {
    }

    // Milliseconds left, 0 once passed.
    int remaining() const
    {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        end_ - Clock::now())
                        .count();
        return left > 0 ? static_cast<int>(left) : 0;
    }

    // Returns "timed out after N s".
    std::string describe() const
    {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%g",
                      static_cast<double>(milliseconds_) / 1000.0);
        return std::string("timed out after ") + seconds + " s";
    }

private:
    Clock::time_point end_;
    long milliseconds_;
};

// Waits until `fd` is ready for `events`; false when the deadline passed.
bool wait_for(int fd, short events, const Deadline &deadline)
{
    while (true) {
        int left = deadline.remaining();
        if (left == 0) {
            return false;
        }
        pollfd entry = {fd, events, 0};
        int ready = poll(&entry, 1, left);
        if (ready > 0) {
            return true;
        }
        if (ready < 0 && errno != EINTR) {
            return false;
        }
    }
}

std::string endpoint(const ProbeSettings &settings)
{
    bool ipv6 = settings.host.find(':') != std::string::npos;
    return (ipv6 ? "[" + settings.host + "]" : settings.host) + ":"
           + settings.port;
}

// Connects to the first address of the host that accepts, within the
// deadline. Returns an invalid socket and sets `error` on failure.
Socket connect_tcp(const ProbeSettings &settings, const Deadline &deadline,
                   std::string &error)
{
    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *raw_list = nullptr;
    // NOTE: getaddrinfo takes no timeout, so a slow resolver can make the
    // probe run longer than --timeout.
    int status = getaddrinfo(settings.host.c_str(), settings.port.c_str(),
                             &hints, &raw_list);
    if (status != 0) {
        error = "cannot resolve \"" + printable(settings.host)
                + "\": " + gai_strerror(status);
        return Socket();
    }
    std::unique_ptr<addrinfo, AddrinfoFree> list(raw_list);

    std::string reason = "no address found";
    for (addrinfo *address = list.get(); address != nullptr;
         address = address->ai_next) {
        Socket socket_fd(::socket(address->ai_family,
                                  address->ai_socktype | SOCK_NONBLOCK
                                      | SOCK_CLOEXEC,
                                  address->ai_protocol));
        if (socket_fd.fd() < 0) {
            reason = std::strerror(errno);
            continue;
        }
        int result = ::connect(socket_fd.fd(), address->ai_addr,
                               address->ai_addrlen);
        if (result != 0 && errno != EINPROGRESS) {
            reason = std::strerror(errno);
            continue;
        }
        if (result != 0) {
            if (!wait_for(socket_fd.fd(), POLLOUT, deadline)) {
                error = "connecting to " + printable(endpoint(settings))
                        + " " + deadline.describe();
                return Socket();
            }
            int socket_error = 0;
            socklen_t length = sizeof socket_error;
            getsockopt(socket_fd.fd(), SOL_SOCKET, SO_ERROR, &socket_error,
                       &length);
            if (socket_error != 0) {
                reason = std::strerror(socket_error);
                continue;
            }
        }
        return socket_fd;
    }
    error = "cannot connect to " + printable(endpoint(settings)) + ": "
            + reason;
    return Socket();
}

// Facts the OpenSSL callbacks collect during the connection.
struct CallbackState {
    std::optional<Alert> server_alert;
    std::optional<Alert> client_alert;
    bool certificate_requested = false;
    bool client_certificate_sent = false;
};

CallbackState *callback_state(const SSL *ssl)
{
    return static_cast<CallbackState *>(SSL_get_app_data(ssl));
}

extern "C" void on_info(const SSL *ssl, int where, int value)
{
    CallbackState *state = callback_state(ssl);
    if (state == nullptr || (where & SSL_CB_ALERT) == 0) {
        return;
    }
    // Only a fatal alert ends the connection. Warnings such as
    // close_notify, which ends every connection normally, are no rejection.
    int level = (value >> 8) & 0xff;
    if (level != SSL3_AL_FATAL) {
        return;
    }
    Alert alert;
    alert.description = value & 0xff;
    alert.text = SSL_alert_desc_string_long(value);
    std::optional<Alert> &slot =
        (where & SSL_CB_READ) != 0 ? state->server_alert : state->client_alert;
    if (!slot) {
        slot = alert;
    }
}

// Reads a 24-bit big-endian length at data[offset].
std::optional<std::size_t> read_length24(const unsigned char *data,
                                         std::size_t size, std::size_t offset)
{
    if (offset + 3 > size) {
        return std::nullopt;
    }
    return (static_cast<std::size_t>(data[offset]) << 16)
           | (static_cast<std::size_t>(data[offset + 1]) << 8)
           | data[offset + 2];
}

// Watches the handshake messages for the server's CertificateRequest and
// for the client's Certificate message, whose list may be empty.
extern "C" void on_message(int write_p, int version, int content_type,
                           const void *buffer, std::size_t length, SSL *ssl,
                           void *)
{
    CallbackState *state = callback_state(ssl);
    if (state == nullptr || content_type != SSL3_RT_HANDSHAKE || length < 4) {
        return;
    }
    const auto *data = static_cast<const unsigned char *>(buffer);
    if (!write_p && data[0] == SSL3_MT_CERTIFICATE_REQUEST) {
        state->certificate_requested = true;
        return;
    }
    if (!write_p || data[0] != SSL3_MT_CERTIFICATE) {
        return;
    }
    // TLS 1.3 puts a one-byte-length request context before the list.
    std::size_t offset = 4;
    if (version == TLS1_3_VERSION) {
        offset += 1 + static_cast<std::size_t>(data[4]);
    }
    std::optional<std::size_t> list_length =
        read_length24(data, length, offset);
    state->client_certificate_sent = list_length && *list_length > 0;
}

bool is_ip_address(const std::string &host)
{
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1
           || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::string take_openssl_error()
{
    unsigned long code = ERR_peek_last_error();
    const char *reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    return reason != nullptr ? reason : "";
}

std::unique_ptr<SSL_CTX, SslCtxFree> make_context(
    const ProbeSettings &settings)
{
    std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx) {
        throw std::runtime_error("cannot create a TLS context: "
                                 + take_openssl_error());
    }
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    if (settings.tls_version != 0) {
        SSL_CTX_set_min_proto_version(ctx.get(), settings.tls_version);
        SSL_CTX_set_max_proto_version(ctx.get(), settings.tls_version);
    }
    // A server that closes without close_notify after "Connection: close"
    // is common; the HTTP parser decides whether the response is whole.
    SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);

    static const unsigned char alpn[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(ctx.get(), alpn, sizeof alpn - 1);

    if (settings.server_cas.empty()) {
        SSL_CTX_set_default_verify_paths(ctx.get());
    } else {
        X509_STORE *store = SSL_CTX_get_cert_store(ctx.get());
        for (const CertificatePtr &cert : settings.server_cas) {
            X509_STORE_add_cert(store, cert.get());
        }
    }
    SSL_CTX_set_verify(ctx.get(),
                       settings.verify_server ? SSL_VERIFY_PEER
                                              : SSL_VERIFY_NONE,
                       nullptr);

    if (!settings.client_chain.empty()) {
        SSL_CTX_use_certificate(ctx.get(), settings.client_chain[0].get());
        for (std::size_t i = 1; i < settings.client_chain.size(); ++i) {
            SSL_CTX_add1_chain_cert(ctx.get(),
                                    settings.client_chain[i].get());
        }
        if (SSL_CTX_use_PrivateKey(ctx.get(), settings.client_key.get()) != 1
            || SSL_CTX_check_private_key(ctx.get()) != 1) {
            throw InputError("the private key does not belong to the client "
                             "certificate (" + take_openssl_error()
                             + "); check --cert and --key");
        }
    }
    ERR_clear_error();
    return ctx;
}

std::string describe_handshake_failure(const ProbeSettings &settings,
                                       SSL *ssl, const CallbackState &state,
                                       int ssl_error)
{
    if (settings.verify_server) {
        long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK) {
            ERR_clear_error();
            return "the server's certificate failed verification: "
                   + std::string(X509_verify_cert_error_string(verify))
                   + " (verify code " + std::to_string(verify)
                   + "); pass --ca FILE with the CA that issued it, or "
                     "--insecure to skip the check";
        }
    }
    std::string reason = take_openssl_error();
    std::string text = "the TLS handshake with "
                       + printable(endpoint(settings)) + " failed";
    if (state.client_alert) {
        text += "; certhelp sent the alert "
                + std::to_string(state.client_alert->description) + " \""
                + state.client_alert->text + "\"";
    }
    if (!reason.empty()) {
        text += ": " + reason;
    } else if (ssl_error == SSL_ERROR_SYSCALL
               || ssl_error == SSL_ERROR_ZERO_RETURN) {
        text += ": the server closed the connection";
    }
    return text;
}

void record_handshake_facts(SSL *ssl, ProbeResult &result)
{
    result.handshake_done = true;
    const char *cipher = SSL_get_cipher_name(ssl);
    result.cipher = cipher != nullptr ? cipher : "";
    const unsigned char *alpn = nullptr;
    unsigned int alpn_length = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
    result.alpn.assign(reinterpret_cast<const char *>(alpn), alpn_length);
    result.server_certificate =
        certhelp::describe_certificate(SSL_get0_peer_certificate(ssl));
    result.server_verify_result = SSL_get_verify_result(ssl);
}

// Records what is known once the server has replied to the ClientHello,
// whether or not the handshake completed.
void record_negotiation(SSL *ssl, const CallbackState &state,
                        ProbeResult &result)
{
    result.tls_version = SSL_get_version(ssl);
    result.certificate_requested = state.certificate_requested;
    result.client_certificate_sent = state.client_certificate_sent;
    const STACK_OF(X509_NAME) *names = SSL_get0_peer_CA_list(ssl);
    for (int i = 0; names != nullptr && i < sk_X509_NAME_num(names); ++i) {
        result.accepted_ca_names.push_back(
            format_name(sk_X509_NAME_value(names, i)));
    }
}

// Drives one SSL call (connect, write or read) until it completes, fails
// or the deadline passes. Returns SSL_get_error's code, SSL_ERROR_NONE on
// success, or -1 on timeout. `call` returns the SSL function's result.
template <typename Call>
int drive(SSL *ssl, int fd, const Deadline &deadline, Call call, int &value)
{
    while (true) {
        value = call();
        if (value > 0) {
            return SSL_ERROR_NONE;
        }
        int error = SSL_get_error(ssl, value);
        short events = 0;
        if (error == SSL_ERROR_WANT_READ) {
            events = POLLIN;
        } else if (error == SSL_ERROR_WANT_WRITE) {
            events = POLLOUT;
        } else {
            return error;
        }
        if (!wait_for(fd, events, deadline)) {
            return -1;
        }
    }
}

}  // namespace

ProbeResult run_probe_exchange(const ProbeSettings &settings)
{
    ProbeResult result;
    Deadline deadline(settings.timeout_ms);

    std::unique_ptr<SSL_CTX, SslCtxFree> ctx = make_context(settings);

    std::string error;
    Socket socket_fd = connect_tcp(settings, deadline, error);
    if (socket_fd.fd() < 0) {
        result.failure = error;
        return result;
    }

    std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
    if (!ssl) {
        result.failure = "cannot create a TLS connection: "
                         + take_openssl_error();
        return result;
    }
    CallbackState state;
    SSL_set_app_data(ssl.get(), &state);
    SSL_set_info_callback(ssl.get(), on_info);
    SSL_set_msg_callback(ssl.get(), on_message);
    SSL_set_fd(ssl.get(), socket_fd.fd());
    if (!settings.server_name.empty()) {
        SSL_set_tlsext_host_name(ssl.get(), settings.server_name.c_str());
    }
    if (settings.verify_server && is_ip_address(settings.verify_name)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()),
                                      settings.verify_name.c_str());
    } else if (settings.verify_server) {
        SSL_set1_host(ssl.get(), settings.verify_name.c_str());
    }

    auto finish_with_alert = [&](bool in_handshake) {
        result.status = ProbeResult::Status::server_alert;
        result.alert_in_handshake = in_handshake;
        result.server_alert = state.server_alert;
        ERR_clear_error();
        return result;
    };

    int value = 0;
    int status = drive(ssl.get(), socket_fd.fd(), deadline,
                       [&] { return SSL_connect(ssl.get()); }, value);
    record_negotiation(ssl.get(), state, result);
    if (status == -1) {
        result.failure = "the TLS handshake with "
                         + printable(endpoint(settings)) + " "
                         + deadline.describe();
        return result;
    }
    if (status != SSL_ERROR_NONE) {
        if (state.server_alert) {
            return finish_with_alert(true);
        }
        result.failure = describe_handshake_failure(settings, ssl.get(),
                                                    state, status);
        result.client_alert = state.client_alert;
        return result;
    }
    record_handshake_facts(ssl.get(), result);

    // Under TLS 1.3 the client finishes its handshake before the server
    // has checked the client certificate, so a rejection arrives as an
    // alert on the first read, or breaks the write.
    const std::string &request = settings.request;
    status = drive(ssl.get(), socket_fd.fd(), deadline,
                   [&] {
                       return SSL_write(ssl.get(), request.data(),
                                        static_cast<int>(request.size()));
                   },
                   value);
    bool write_failed = status != SSL_ERROR_NONE;
    if (status == -1) {
        result.failure = "sending the request " + deadline.describe();
        return result;
    }

    HttpResponseReader reader;
    char buffer[16384];
    while (!reader.done()) {
        status = drive(ssl.get(), socket_fd.fd(), deadline,
                       [&] {
                           return SSL_read(ssl.get(), buffer, sizeof buffer);
                       },
                       value);
        if (state.server_alert) {
            return finish_with_alert(false);
        }
        if (status == -1) {
            result.failure = "waiting for the response "
                             + deadline.describe();
            return result;
        }
        if (status == SSL_ERROR_ZERO_RETURN) {
            if (!reader.finish()) {
                result.failure = reader.error();
                return result;
            }
            break;
        }
        if (status != SSL_ERROR_NONE) {
            std::string reason = take_openssl_error();
            result.failure = std::string(write_failed
                                             ? "sending the request failed"
                                             : "reading the response failed")
                             + (reason.empty() ? std::string(": the server "
                                                             "closed the "
                                                             "connection")
                                               : ": " + reason);
            return result;
        }
        if (!reader.feed(std::string_view(buffer,
                                          static_cast<std::size_t>(value)))) {
            result.failure = reader.error();
            return result;
        }
    }

    result.status = ProbeResult::Status::response;
    result.response = reader.response();
    ERR_clear_error();
    return result;
}

}  // namespace certhelp_cli
