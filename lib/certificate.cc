// Extraction of printable certificate details with OpenSSL.
#include "certhelp/certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <climits>
#include <cstdio>
#include <memory>

namespace certhelp {

namespace {

struct BioFree {
    void operator()(BIO *bio) const { BIO_free(bio); }
};

struct BignumFree {
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};

struct OpensslStringFree {
    void operator()(char *text) const { OPENSSL_free(text); }
};

struct X509Free {
    void operator()(X509 *cert) const { X509_free(cert); }
};

// Keeps OpenSSL's error queue as the caller left it. A failed parse or
// print pushes errors, and mod_ssl reads that queue when it logs its own
// failures, so stale entries from here would appear in the wrong log line.
class ErrorQueueGuard {
public:
    ErrorQueueGuard() { ERR_set_mark(); }
    ~ErrorQueueGuard() { ERR_pop_to_mark(); }
    ErrorQueueGuard(const ErrorQueueGuard &) = delete;
    ErrorQueueGuard &operator=(const ErrorQueueGuard &) = delete;
};

// RFC 2253 form with UTF-8 kept as UTF-8. Without ASN1_STRFLGS_ESC_MSB,
// bytes above 0x7f are printed raw. Control characters are still escaped
// as \XX, so a name cannot contain a raw CR or LF.
constexpr unsigned long kNameFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;

std::string print_name(const X509_NAME *name)
{
    if (name == nullptr) {
        return {};
    }

    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio) {
        return {};
    }
    if (X509_NAME_print_ex(bio.get(), name, 0, kNameFlags) < 0) {
        return {};
    }

    char *data = nullptr;
    long length = BIO_get_mem_data(bio.get(), &data);
    if (length <= 0 || data == nullptr) {
        return {};
    }
    return std::string(data, static_cast<std::size_t>(length));
}

std::string print_serial(const ASN1_INTEGER *serial)
{
    if (serial == nullptr) {
        return {};
    }

    std::unique_ptr<BIGNUM, BignumFree> number(
        ASN1_INTEGER_to_BN(serial, nullptr));
    if (!number) {
        return {};
    }

    // BN_bn2hex writes upper-case digits, two per byte, with a leading '-'
    // for the negative serials that some old certificates carry.
    std::unique_ptr<char, OpensslStringFree> hex(BN_bn2hex(number.get()));
    if (!hex) {
        return {};
    }
    return std::string(hex.get());
}

// Fills `text` and `seconds` from `time`. Both stay untouched when the time
// is absent or malformed.
void read_time(const ASN1_TIME *time, std::string &text, std::time_t &seconds)
{
    // ASN1_TIME_to_tm reads the current time when given nullptr, so a
    // missing field must be caught here.
    if (time == nullptr) {
        return;
    }

    struct tm parts = {};
    if (ASN1_TIME_to_tm(time, &parts) != 1) {
        return;
    }

    char buffer[32];
    int written = std::snprintf(
        buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ",
        parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
        parts.tm_min, parts.tm_sec);
    if (written <= 0 || static_cast<std::size_t>(written) >= sizeof buffer) {
        return;
    }

    // NOTE: timegm is a glibc and BSD extension, not ISO C++. Debian's
    // glibc has it, and it never consults the local time zone.
    std::time_t converted = timegm(&parts);
    if (converted == static_cast<std::time_t>(-1)) {
        return;
    }

    text.assign(buffer, static_cast<std::size_t>(written));
    seconds = converted;
}

}  // namespace

std::string describe_name(const X509_NAME *name)
{
    ErrorQueueGuard guard;
    return print_name(name);
}

CertificateDetails describe_certificate(const X509 *cert)
{
    CertificateDetails details;
    if (cert == nullptr) {
        return details;
    }

    ErrorQueueGuard guard;

    details.present = true;
    details.subject = print_name(X509_get_subject_name(cert));
    details.issuer = print_name(X509_get_issuer_name(cert));
    details.serial = print_serial(X509_get0_serialNumber(cert));
    read_time(X509_get0_notBefore(cert), details.not_before,
              details.not_before_time);
    read_time(X509_get0_notAfter(cert), details.not_after,
              details.not_after_time);
    return details;
}

CertificateDetails describe_certificate_der(const unsigned char *der,
                                            std::size_t length)
{
    if (der == nullptr || length == 0 || length > LONG_MAX) {
        return {};
    }

    ErrorQueueGuard guard;

    const unsigned char *cursor = der;
    std::unique_ptr<X509, X509Free> cert(
        d2i_X509(nullptr, &cursor, static_cast<long>(length)));
    if (!cert) {
        return {};
    }

    // Bytes after the certificate mean the input is not one certificate.
    if (cursor != der + length) {
        return {};
    }
    return describe_certificate(cert.get());
}

}  // namespace certhelp
