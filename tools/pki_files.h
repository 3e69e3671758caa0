// Reading certificates, CRLs and private keys from the files named on the
// command line, with errors that name the option and the file.
#ifndef CERTHELP_TOOLS_PKI_FILES_H
#define CERTHELP_TOOLS_PKI_FILES_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace certhelp_cli {

struct X509Free {
    void operator()(X509 *cert) const { X509_free(cert); }
};
struct CrlFree {
    void operator()(X509_CRL *crl) const { X509_CRL_free(crl); }
};
struct KeyFree {
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};

using CertificatePtr = std::unique_ptr<X509, X509Free>;
using CrlPtr = std::unique_ptr<X509_CRL, CrlFree>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

// Reads every certificate of a PEM file, in file order, or the one
// certificate of a DER file. Throws InputError naming `option` and `path`
// when the file cannot be read or contains no certificate.
std::vector<CertificatePtr> read_certificates(const std::string &path,
                                              std::string_view option);

// Reads every CRL of a PEM file, or the one CRL of a DER file. Throws
// InputError like read_certificates.
std::vector<CrlPtr> read_crls(const std::string &path,
                              std::string_view option);

// Reads the first private key of a PEM file, or the key of a DER file.
// Returns nullptr when the file contains no key and `required` is false;
// otherwise throws InputError. An encrypted key makes OpenSSL ask for the
// passphrase on the terminal.
KeyPtr read_private_key(const std::string &path, std::string_view option,
                        bool required);

}  // namespace certhelp_cli

#endif
