// Printable details of an X.509 certificate, for pages and log lines.
#ifndef CERTHELP_CERTIFICATE_H
#define CERTHELP_CERTIFICATE_H

#include <ctime>
#include <string>

#include <openssl/x509.h>

namespace certhelp {

// Raw (unescaped) fields of a certificate. Strings may contain any bytes a
// certificate can carry, so callers escape them for their context.
struct CertificateDetails {
    bool present = false;
    // RFC 2253 distinguished names, as OpenSSL prints them with
    // XN_FLAG_RFC2253 (UTF-8 kept).
    std::string subject;
    std::string issuer;
    // Serial number in upper-case hexadecimal without separators.
    std::string serial;
    // Validity bounds as "YYYY-MM-DDTHH:MM:SSZ"; empty when unreadable.
    std::string not_before;
    std::string not_after;
    // The same bounds in seconds since the epoch; 0 when unreadable.
    std::time_t not_before_time = 0;
    std::time_t not_after_time = 0;
};

// Prints a distinguished name in the form of CertificateDetails::subject;
// empty for nullptr.
std::string describe_name(const X509_NAME *name);

// Extracts the details of `cert`; returns present == false for nullptr.
// Fields that cannot be read are left empty.
CertificateDetails describe_certificate(const X509 *cert);

// Parses one DER-encoded certificate and describes it; present == false when
// `der` is not a certificate.
CertificateDetails describe_certificate_der(const unsigned char *der,
                                            std::size_t length);

}  // namespace certhelp

#endif
