// Reading certificates, CRLs and keys for the subcommands.
#include "pki_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "cli.h"
#include "output.h"

namespace certhelp_cli {

namespace {

// Larger files are rejected: certificate bundles are far smaller.
constexpr long kMaxFileSize = 16L * 1024 * 1024;

struct BioFree {
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct FileClose {
    void operator()(std::FILE *file) const { std::fclose(file); }
};
struct InfoStackFree {
    void operator()(STACK_OF(X509_INFO) *stack) const
    {
        sk_X509_INFO_pop_free(stack, X509_INFO_free);
    }
};

std::string describe_file(std::string_view option, const std::string &path)
{
    return std::string(option) + " file \"" + printable(path) + "\"";
}

// Returns OpenSSL's reason for the latest error and clears the queue, so
// that no stale entry confuses a later SSL_get_error().
std::string take_openssl_reason()
{
    unsigned long code = ERR_peek_last_error();
    const char *reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    return reason != nullptr ? reason : "unknown error";
}

std::string read_file(const std::string &path, std::string_view option)
{
    struct stat info = {};
    if (stat(path.c_str(), &info) != 0) {
        throw InputError("cannot read " + describe_file(option, path) + ": "
                         + std::strerror(errno));
    }
    if (S_ISDIR(info.st_mode)) {
        throw InputError("cannot read " + describe_file(option, path)
                         + ": it is a directory; give a file");
    }
    if (info.st_size > kMaxFileSize) {
        throw InputError(describe_file(option, path)
                         + " is larger than 16 MiB; give a PEM or DER file");
    }

    std::unique_ptr<std::FILE, FileClose> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        throw InputError("cannot read " + describe_file(option, path) + ": "
                         + std::strerror(errno));
    }
    std::string data;
    char buffer[65536];
    std::size_t count = 0;
    while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
        data.append(buffer, count);
        if (data.size() > static_cast<std::size_t>(kMaxFileSize)) {
            throw InputError(describe_file(option, path)
                             + " is larger than 16 MiB");
        }
    }
    if (std::ferror(file.get())) {
        throw InputError("cannot read " + describe_file(option, path) + ": "
                         + std::strerror(errno));
    }
    return data;
}

bool looks_like_pem(const std::string &data)
{
    return data.find("-----BEGIN ") != std::string::npos;
}

std::unique_ptr<BIO, BioFree> memory_bio(const std::string &data)
{
    if (data.size() > static_cast<std::size_t>(INT_MAX)) {
        return nullptr;
    }
    return std::unique_ptr<BIO, BioFree>(
        BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Reads the certificates and CRLs of PEM data; other PEM blocks, such as
// keys, are skipped. Throws InputError on a damaged block.
void read_pem_objects(const std::string &data, const std::string &path,
                      std::string_view option,
                      std::vector<CertificatePtr> *certificates,
                      std::vector<CrlPtr> *crls)
{
    std::unique_ptr<BIO, BioFree> bio = memory_bio(data);
    std::unique_ptr<STACK_OF(X509_INFO), InfoStackFree> infos(
        bio ? PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr)
            : nullptr);
    if (!infos) {
        throw InputError(describe_file(option, path)
                         + " has a damaged PEM block: "
                         + take_openssl_reason());
    }
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
        X509_INFO *info = sk_X509_INFO_value(infos.get(), i);
        if (info->x509 != nullptr && certificates != nullptr) {
            certificates->emplace_back(info->x509);
            info->x509 = nullptr;
        }
        if (info->crl != nullptr && crls != nullptr) {
            crls->emplace_back(info->crl);
            info->crl = nullptr;
        }
    }
    ERR_clear_error();
}

}  // namespace

std::vector<CertificatePtr> read_certificates(const std::string &path,
                                              std::string_view option)
{
    std::string data = read_file(path, option);
    std::vector<CertificatePtr> certificates;

    if (looks_like_pem(data)) {
        read_pem_objects(data, path, option, &certificates, nullptr);
    } else if (!data.empty()) {
        const auto *der = reinterpret_cast<const unsigned char *>(data.data());
        const unsigned char *cursor = der;
        CertificatePtr cert(d2i_X509(nullptr, &cursor,
                                     static_cast<long>(data.size())));
        if (cert && cursor == der + data.size()) {
            certificates.push_back(std::move(cert));
        }
        ERR_clear_error();
    }

    if (certificates.empty()) {
        throw InputError(describe_file(option, path)
                         + " contains no certificate; expected PEM "
                           "(-----BEGIN CERTIFICATE-----) or DER");
    }
    return certificates;
}

std::vector<CrlPtr> read_crls(const std::string &path, std::string_view option)
{
    std::string data = read_file(path, option);
    std::vector<CrlPtr> crls;

    if (looks_like_pem(data)) {
        read_pem_objects(data, path, option, nullptr, &crls);
    } else if (!data.empty()) {
        const auto *der = reinterpret_cast<const unsigned char *>(data.data());
        const unsigned char *cursor = der;
        CrlPtr crl(d2i_X509_CRL(nullptr, &cursor,
                                static_cast<long>(data.size())));
        if (crl && cursor == der + data.size()) {
            crls.push_back(std::move(crl));
        }
        ERR_clear_error();
    }

    if (crls.empty()) {
        throw InputError(describe_file(option, path)
                         + " contains no CRL; expected PEM (-----BEGIN X509 "
                           "CRL-----) or DER");
    }
    return crls;
}

KeyPtr read_private_key(const std::string &path, std::string_view option,
                        bool required)
{
    std::string data = read_file(path, option);
    KeyPtr key;

    std::unique_ptr<BIO, BioFree> bio = memory_bio(data);
    if (bio && looks_like_pem(data)) {
        key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr,
                                          nullptr));
    } else if (bio) {
        key.reset(d2i_PrivateKey_bio(bio.get(), nullptr));
    }

    if (!key) {
        std::string reason = take_openssl_reason();
        if (!required) {
            return nullptr;
        }
        throw InputError(describe_file(option, path)
                         + " contains no usable private key (" + reason
                         + "); expected an unencrypted or passphrase-"
                           "protected PEM key, or DER");
    }
    return key;
}

}  // namespace certhelp_cli
