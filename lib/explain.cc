// Tables of explanations for substatus codes, verify codes and TLS alerts,
// and the parser that picks the table for a code written by a person.
#include "certhelp/explain.h"

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <utility>

#include "certhelp/classify.h"
#include "certhelp/outcome.h"

namespace certhelp {

namespace {

// Highest verify code of OpenSSL 3.0 (openssl/x509_vfy.h).
constexpr int kHighestVerifyCode = X509_V_ERR_EC_KEY_EXPLICIT_PARAMS;

struct CodeName {
    int code;
    std::string_view name;
};

#define CODE_NAME(code) \
    CodeName { code, #code }

// Symbolic names of every verify code, one row per code and indexed by code.
constexpr std::array<CodeName, kHighestVerifyCode + 1> kCodeNames = {{
    CODE_NAME(X509_V_OK),
    CODE_NAME(X509_V_ERR_UNSPECIFIED),
    CODE_NAME(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT),
    CODE_NAME(X509_V_ERR_UNABLE_TO_GET_CRL),
    CODE_NAME(X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE),
    CODE_NAME(X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE),
    CODE_NAME(X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY),
    CODE_NAME(X509_V_ERR_CERT_SIGNATURE_FAILURE),
    CODE_NAME(X509_V_ERR_CRL_SIGNATURE_FAILURE),
    CODE_NAME(X509_V_ERR_CERT_NOT_YET_VALID),
    CODE_NAME(X509_V_ERR_CERT_HAS_EXPIRED),
    CODE_NAME(X509_V_ERR_CRL_NOT_YET_VALID),
    CODE_NAME(X509_V_ERR_CRL_HAS_EXPIRED),
    CODE_NAME(X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD),
    CODE_NAME(X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD),
    CODE_NAME(X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD),
    CODE_NAME(X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD),
    CODE_NAME(X509_V_ERR_OUT_OF_MEM),
    CODE_NAME(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
    CODE_NAME(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN),
    CODE_NAME(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
    CODE_NAME(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE),
    CODE_NAME(X509_V_ERR_CERT_CHAIN_TOO_LONG),
    CODE_NAME(X509_V_ERR_CERT_REVOKED),
    CODE_NAME(X509_V_ERR_NO_ISSUER_PUBLIC_KEY),
    CODE_NAME(X509_V_ERR_PATH_LENGTH_EXCEEDED),
    CODE_NAME(X509_V_ERR_INVALID_PURPOSE),
    CODE_NAME(X509_V_ERR_CERT_UNTRUSTED),
    CODE_NAME(X509_V_ERR_CERT_REJECTED),
    CODE_NAME(X509_V_ERR_SUBJECT_ISSUER_MISMATCH),
    CODE_NAME(X509_V_ERR_AKID_SKID_MISMATCH),
    CODE_NAME(X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH),
    CODE_NAME(X509_V_ERR_KEYUSAGE_NO_CERTSIGN),
    CODE_NAME(X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER),
    CODE_NAME(X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION),
    CODE_NAME(X509_V_ERR_KEYUSAGE_NO_CRL_SIGN),
    CODE_NAME(X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION),
    CODE_NAME(X509_V_ERR_INVALID_NON_CA),
    CODE_NAME(X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED),
    CODE_NAME(X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE),
    CODE_NAME(X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED),
    CODE_NAME(X509_V_ERR_INVALID_EXTENSION),
    CODE_NAME(X509_V_ERR_INVALID_POLICY_EXTENSION),
    CODE_NAME(X509_V_ERR_NO_EXPLICIT_POLICY),
    CODE_NAME(X509_V_ERR_DIFFERENT_CRL_SCOPE),
    CODE_NAME(X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE),
    CODE_NAME(X509_V_ERR_UNNESTED_RESOURCE),
    CODE_NAME(X509_V_ERR_PERMITTED_VIOLATION),
    CODE_NAME(X509_V_ERR_EXCLUDED_VIOLATION),
    CODE_NAME(X509_V_ERR_SUBTREE_MINMAX),
    CODE_NAME(X509_V_ERR_APPLICATION_VERIFICATION),
    CODE_NAME(X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE),
    CODE_NAME(X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX),
    CODE_NAME(X509_V_ERR_UNSUPPORTED_NAME_SYNTAX),
    CODE_NAME(X509_V_ERR_CRL_PATH_VALIDATION_ERROR),
    CODE_NAME(X509_V_ERR_PATH_LOOP),
    CODE_NAME(X509_V_ERR_SUITE_B_INVALID_VERSION),
    CODE_NAME(X509_V_ERR_SUITE_B_INVALID_ALGORITHM),
    CODE_NAME(X509_V_ERR_SUITE_B_INVALID_CURVE),
    CODE_NAME(X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM),
    CODE_NAME(X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED),
    CODE_NAME(X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256),
    CODE_NAME(X509_V_ERR_HOSTNAME_MISMATCH),
    CODE_NAME(X509_V_ERR_EMAIL_MISMATCH),
    CODE_NAME(X509_V_ERR_IP_ADDRESS_MISMATCH),
    CODE_NAME(X509_V_ERR_DANE_NO_MATCH),
    CODE_NAME(X509_V_ERR_EE_KEY_TOO_SMALL),
    CODE_NAME(X509_V_ERR_CA_KEY_TOO_SMALL),
    CODE_NAME(X509_V_ERR_CA_MD_TOO_WEAK),
    CODE_NAME(X509_V_ERR_INVALID_CALL),
    CODE_NAME(X509_V_ERR_STORE_LOOKUP),
    CODE_NAME(X509_V_ERR_NO_VALID_SCTS),
    CODE_NAME(X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION),
    CODE_NAME(X509_V_ERR_OCSP_VERIFY_NEEDED),
    CODE_NAME(X509_V_ERR_OCSP_VERIFY_FAILED),
    CODE_NAME(X509_V_ERR_OCSP_CERT_UNKNOWN),
    CODE_NAME(X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM),
    CODE_NAME(X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH),
    CODE_NAME(X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY),
    CODE_NAME(X509_V_ERR_INVALID_CA),
    CODE_NAME(X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA),
    CODE_NAME(X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN),
    CODE_NAME(X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA),
    CODE_NAME(X509_V_ERR_ISSUER_NAME_EMPTY),
    CODE_NAME(X509_V_ERR_SUBJECT_NAME_EMPTY),
    CODE_NAME(X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER),
    CODE_NAME(X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER),
    CODE_NAME(X509_V_ERR_EMPTY_SUBJECT_ALT_NAME),
    CODE_NAME(X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL),
    CODE_NAME(X509_V_ERR_CA_BCONS_NOT_CRITICAL),
    CODE_NAME(X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL),
    CODE_NAME(X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL),
    CODE_NAME(X509_V_ERR_CA_CERT_MISSING_KEY_USAGE),
    CODE_NAME(X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3),
    CODE_NAME(X509_V_ERR_EC_KEY_EXPLICIT_PARAMS),
}};

#undef CODE_NAME

constexpr bool names_indexed_by_code()
{
    for (std::size_t i = 0; i < kCodeNames.size(); ++i) {
        if (kCodeNames[i].code != static_cast<int>(i)) {
            return false;
        }
    }
    return true;
}

static_assert(names_indexed_by_code(),
              "kCodeNames must have one row per code, in code order");

// Texts of one code. String views point to literals.
struct CodeText {
    int code;
    std::string_view name;
    std::string_view meaning;
    std::vector<std::string_view> causes;
    std::vector<std::string_view> user_steps;
    std::vector<std::string_view> admin_steps;
};

// --- IIS substatus codes ----------------------------------------------------

const std::vector<CodeText> &substatus_texts()
{
    static const std::vector<CodeText> rows = {
        {7, "Client certificate required",
         "The site requires a client certificate, and the browser or client "
         "did not present one during the TLS handshake.",
         {"No client certificate is installed in the browser or in the "
          "operating system's certificate store.",
          "The person dismissed the certificate prompt, or the browser "
          "remembered an earlier \"no certificate\" choice for this site.",
          "The installed certificate was not issued by a CA that the server "
          "lists in its certificate request, so the browser did not offer "
          "it.",
          "A proxy or load balancer in front of the server ends TLS and "
          "does not forward the certificate."},
         {"Install the certificate that was issued to you, together with "
          "its private key (usually a .p12 or .pfx file).",
          "Restart the browser so that it asks again, and select the "
          "certificate when it does.",
          "If you have no certificate for this site, ask its "
          "administrator how to get one."},
         {"Run \"certhelp probe HOST:PORT\" without --cert: it lists the CA "
          "names the server sends in its certificate request. The CA that "
          "issued the users' certificates must be among them "
          "(SSLCACertificateFile or SSLCADNRequestFile).",
          "Check that the virtual host chosen by the SNI name has "
          "\"SSLVerifyClient optional\", so that the server asks for a "
          "certificate at all.",
          "If a proxy ends TLS, configure it to request and forward the "
          "client certificate."}},
        {12, "Mapper denied access",
         "The certificate was verified, but the server's authorization "
         "rules do not allow it here. IIS calls this \"mapper denied "
         "access\": the certificate maps to no account that may open the "
         "page.",
         {"The certificate belongs to a person or system that has no "
          "access to this path.",
          "An authorization rule, such as \"Require expr\" on "
          "SSL_CLIENT_S_DN, does not match the certificate's subject.",
          "The person selected another valid certificate than the one "
          "meant for this site."},
         {"Select the certificate that was issued for this site.",
          "Ask the site's administrator for access, and give them the "
          "certificate's subject and serial number."},
         {"Compare the Require rules of this location with the subject "
          "that \"certhelp check --cert FILE --ca FILE\" prints.",
          "Check the error log for the authorization module's reason "
          "(for example AH01630)."}},
        {13, "Client certificate revoked",
         "The certificate, or a CA certificate in its chain, appears on a "
         "certificate revocation list (CRL) of its issuer. It can no "
         "longer be used.",
         {"The issuer revoked the certificate because it was replaced, "
          "because its key may be compromised, or because the holder left "
          "the organization.",
          "An intermediate CA of the chain was revoked, which revokes every "
          "certificate below it.",
          "The browser still offers an old certificate after a new one was "
          "issued."},
         {"Select the newer certificate if you have one: restart the "
          "browser so that it asks again.",
          "Otherwise ask the organization that issued the certificate for a "
          "new one."},
         {"Confirm with \"certhelp check --cert FILE --ca FILE --crl "
          "FILE\" using the server's CA and CRL files; it shows at which "
          "depth the revoked certificate is.",
          "If the revocation is a mistake, the CA must publish a new CRL. "
          "Reload Apache after replacing the file named by "
          "SSLCARevocationFile or SSLCARevocationPath."}},
        {16, "Client certificate untrusted or invalid",
         "The certificate failed verification for a reason other than "
         "revocation or its validity dates: no CA that the server trusts "
         "vouches for it, it breaks a rule such as its key usage, or the "
         "server could not check whether it is revoked.",
         {"The certificate was issued by a CA that the server does not "
          "trust, or it is self-signed.",
          "An intermediate CA certificate is missing: the client did not "
          "send it and the server does not have it.",
          "The certificate is not meant for client authentication (its "
          "extended key usage lacks clientAuth), or its signature is "
          "damaged.",
          "The server's CRL for the issuer is missing or out of date "
          "(outcome revocation-unknown)."},
         {"Select the certificate that was issued for this site: restart "
          "the browser so that it asks again.",
          "If the problem remains, ask the issuer for a certificate for "
          "client authentication from the CA the site trusts."},
         {"Run \"certhelp check --cert FILE --ca FILE\" with the server's "
          "SSLCACertificateFile to see the OpenSSL error and the depth of "
          "the certificate it concerns.",
          "Add missing intermediate CA certificates to "
          "SSLCACertificateFile, or give them to the users with their "
          "certificate.",
          "For revocation-unknown, install a current CRL from every CA in "
          "the chain and renew the CRLs before their nextUpdate time."}},
        {17, "Client certificate expired or not yet valid",
         "The current time lies outside the certificate's validity period: "
         "after its notAfter date (expired) or before its notBefore date "
         "(not yet valid). The server's clock decides, not the client's.",
         {"The certificate expired and was not renewed.",
          "The certificate was renewed, but the browser still offers the "
          "old one.",
          "A new certificate was issued with a start time in the future, "
          "or the server's clock is wrong."},
         {"Select the renewed certificate if you have one: restart the "
          "browser so that it asks again.",
          "Otherwise ask the organization that issued the certificate for "
          "a new one.",
          "If the certificate is not valid yet, wait until its start "
          "time."},
         {"Check the server's clock (timedatectl).",
          "Run \"certhelp check --cert FILE --ca FILE\" to see the dates, "
          "and add \"--at TIME\" to check another moment.",
          "A CA certificate in the chain can expire too: check the dates "
          "at every depth."}},
    };
    return rows;
}

// --- OpenSSL verify codes ---------------------------------------------------

// Codes with their own texts. Every other code gets a text built from its
// OpenSSL message and its outcome.
const std::vector<CodeText> &verify_code_texts()
{
    static const std::vector<CodeText> rows = {
        {X509_V_OK, "",
         "Verification succeeded: the chain leads to a trusted CA and no "
         "check failed.",
         {},
         {"No action is needed."},
         {"No action is needed."}},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, "",
         "The certificate of the issuer of a certificate in the chain could "
         "not be found, so the chain ends before a trusted CA.",
         {"An intermediate CA certificate is missing from the chain the "
          "client sent and from the server's CA file.",
          "The certificate was issued by a CA the server does not know."},
         {"Ask the issuer for the full chain and install it with your "
          "certificate."},
         {"Add the intermediate CA certificate to SSLCACertificateFile."}},
        {X509_V_ERR_UNABLE_TO_GET_CRL, "",
         "Revocation checking is on, but no CRL from the issuer of a "
         "certificate in the chain was found.",
         {"SSLCARevocationCheck is \"chain\" but the CRL of an intermediate "
          "CA is missing.",
          "The CRL file was not updated after a new CA was added."},
         {"Try again later; the fault is on the server."},
         {"Add the CRL of every CA in the chain to SSLCARevocationFile or "
          "SSLCARevocationPath.",
          "Or check only the leaf with \"SSLCARevocationCheck leaf\", or "
          "accept missing CRLs with the no_crl_for_cert_ok flag."}},
        {X509_V_ERR_CERT_SIGNATURE_FAILURE, "",
         "The signature on a certificate does not match its content and "
         "its issuer's key: the certificate was altered or damaged, or it "
         "claims an issuer that did not sign it.",
         {"The certificate file was damaged or edited.",
          "A different CA with the same name signed it."},
         {"Install a fresh copy of the certificate from its issuer."},
         {"Run \"certhelp check\" to see which depth fails, and compare the "
          "CA certificate in SSLCACertificateFile with the one the issuer "
          "uses."}},
        {X509_V_ERR_CERT_NOT_YET_VALID, "",
         "The certificate's notBefore date lies in the future.",
         {"The certificate was just issued with a start time ahead of the "
          "server's clock.",
          "The server's clock is behind."},
         {"Wait until the certificate's start time, or select another "
          "certificate."},
         {"Check the server's clock, and the notBefore date with "
          "\"certhelp check\"."}},
        {X509_V_ERR_CERT_HAS_EXPIRED, "",
         "The certificate's notAfter date has passed.",
         {"The certificate was not renewed in time.",
          "A renewed certificate exists but the browser still offers the "
          "old one.",
          "A CA certificate of the chain expired (see the depth)."},
         {"Select your renewed certificate, or ask the issuer for a new "
          "one."},
         {"Check the dates at every depth with \"certhelp check\".",
          "If a CA certificate expired, install its renewed certificate in "
          "SSLCACertificateFile."}},
        {X509_V_ERR_CRL_NOT_YET_VALID, "",
         "The CRL's lastUpdate time lies in the future, so it cannot be "
         "used yet.",
         {"The server's clock is behind, or the CA issued the CRL with a "
          "wrong time."},
         {"Try again later; the fault is on the server."},
         {"Check the server's clock and the CRL's lastUpdate time "
          "(openssl crl -noout -lastupdate -in FILE)."}},
        {X509_V_ERR_CRL_HAS_EXPIRED, "",
         "The CRL's nextUpdate time has passed, so it can no longer show "
         "whether a certificate is revoked. The certificate itself may be "
         "fine.",
         {"The CRL file on the server was not refreshed."},
         {"Try again later; the fault is on the server."},
         {"Download the current CRL from the CA, replace the file, and "
          "reload Apache; automate this before nextUpdate."}},
        {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "",
         "The certificate is self-signed and is not one of the server's "
         "trusted certificates.",
         {"The certificate was made with a tool's default settings "
          "instead of being issued by the organization's CA."},
         {"Use the certificate issued by the site's CA."},
         {"Issue certificates from the CA in SSLCACertificateFile; do not "
          "add users' self-signed certificates as CAs."}},
        {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "",
         "The chain ends in a self-signed root CA that the server does not "
         "trust.",
         {"The certificate comes from another organization's CA, or from a "
          "test CA."},
         {"Use the certificate issued by the site's CA."},
         {"If that root CA should be trusted, add it to "
          "SSLCACertificateFile."}},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "",
         "No trusted certificate of the issuer was found: the chain cannot "
         "be completed up to a CA the server trusts.",
         {"The certificate was issued by a CA the server does not trust.",
          "An intermediate CA certificate is missing: the client did not "
          "send it and the server's CA file lacks it."},
         {"Select the certificate issued for this site, or install the "
          "intermediate CA certificate with your certificate."},
         {"Add the intermediate CA certificate to SSLCACertificateFile, "
          "and check the chain with \"certhelp check --chain FILE\"."}},
        {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, "",
         "The chain holds only the certificate itself, and its issuer is "
         "not among the trusted certificates, so its signature cannot be "
         "checked.",
         {"The certificate was issued by a CA the server does not trust, "
          "or by an intermediate CA whose certificate is missing."},
         {"Select the certificate issued for this site."},
         {"Add the issuing CA, or the intermediate, to "
          "SSLCACertificateFile."}},
        {X509_V_ERR_CERT_CHAIN_TOO_LONG, "",
         "The chain has more CA certificates than the server allows.",
         {"SSLVerifyDepth is lower than the number of CAs between the "
          "certificate and the root CA."},
         {"Contact the site's administrator."},
         {"Raise SSLVerifyDepth to the length of the chain (mod_ssl's "
          "default is 1, which allows one intermediate CA)."}},
        {X509_V_ERR_CERT_REVOKED, "",
         "The certificate at this depth appears on its issuer's CRL.",
         {"The issuer revoked the certificate (replaced, compromised, or "
          "its holder left).",
          "At depth 1 or more, an intermediate CA was revoked."},
         {"Select a newer certificate, or ask the issuer for a new one."},
         {"If the revocation is a mistake, the CA must publish a new CRL."}},
        {X509_V_ERR_INVALID_PURPOSE, "",
         "The certificate may not be used for TLS client authentication: "
         "its extended key usage lacks clientAuth, or its key usage or "
         "Netscape certificate type forbids it.",
         {"A server certificate or an e-mail certificate was installed as "
          "a client certificate."},
         {"Ask the issuer for a certificate for client authentication."},
         {"Issue client certificates with extendedKeyUsage = clientAuth."}},
        {X509_V_ERR_CERT_UNTRUSTED, "",
         "The root CA of the chain is not trusted for client "
         "authentication.",
         {"The CA certificate carries trust settings that exclude "
          "clientAuth."},
         {"Contact the site's administrator."},
         {"Check the trust settings of the CA in SSLCACertificateFile "
          "(openssl x509 -noout -text -in FILE shows \"Trusted Uses\")."}},
        {X509_V_ERR_CERT_REJECTED, "",
         "The root CA of the chain is marked to reject client "
         "authentication.",
         {"The CA certificate carries trust settings that reject "
          "clientAuth."},
         {"Contact the site's administrator."},
         {"Check the \"Rejected Uses\" of the CA in "
          "SSLCACertificateFile."}},
        {X509_V_ERR_APPLICATION_VERIFICATION, "",
         "A check made by the application failed. mod_ssl uses this code "
         "when an OCSP responder reports the status \"unknown\", cannot be "
         "reached or sends an unusable response.",
         {"The OCSP responder is down or unreachable from the server.",
          "OCSP could not run because the issuer was not verified."},
         {"Try again later; the fault is on the server."},
         {"Check the OCSP responder (SSLOCSPDefaultResponder, "
          "SSLOCSPResponderTimeout) and the mod_ssl error log lines."}},
        {X509_V_ERR_INVALID_CA, "",
         "A certificate in the issuer's place of the chain is not a valid "
         "CA certificate: its basic constraints or key usage forbid "
         "signing certificates.",
         {"A leaf certificate was put in the chain as if it were a CA."},
         {"Install the correct intermediate CA certificate."},
         {"Check the chain with \"certhelp check --chain FILE\"; every CA "
          "needs basicConstraints CA:TRUE."}},
    };
    return rows;
}

// Steps for the administrator of any verify code without its own text.
std::vector<std::string_view> generic_admin_steps(Outcome outcome)
{
    if (outcome == Outcome::untrusted) {
        return {"Run \"certhelp check --cert FILE --ca FILE\" with the "
                "server's SSLCACertificateFile to see which certificate of "
                "the chain has no trusted issuer."};
    }
    if (outcome == Outcome::revocation_unknown) {
        return {"Check that SSLCARevocationFile or SSLCARevocationPath "
                "holds a current CRL from every CA in the chain."};
    }
    return {"Run \"certhelp check --cert FILE --ca FILE\" to see which "
            "certificate of the chain breaks the rule, and have the CA "
            "issue one that meets it."};
}

// --- TLS alerts -------------------------------------------------------------

// Alerts of RFC 5246 and RFC 8446 that a client can receive from a server,
// with the certificate-related ones in full.
const std::vector<CodeText> &alert_texts()
{
    static const std::vector<CodeText> rows = {
        {0, "close_notify",
         "The peer closed the TLS connection normally. This is not an "
         "error.",
         {},
         {"No action is needed."},
         {"No action is needed."}},
        {10, "unexpected_message",
         "The peer received a TLS message it did not expect at that point "
         "of the protocol.",
         {"A bug in one of the TLS implementations, or something in the "
          "network that alters traffic."},
         {"Try another browser or client."},
         {"Check for proxies or middleboxes between client and server."}},
        {20, "bad_record_mac",
         "A TLS record failed its integrity check.",
         {"Data was altered on the way, or a TLS implementation is "
          "faulty."},
         {"Try again, or from another network."},
         {"Check for middleboxes that alter TLS traffic."}},
        {40, "handshake_failure",
         "The handshake could not be completed with the offered "
         "parameters. An OpenSSL server also sends it under TLS 1.2 when "
         "it requires a client certificate and the client sent none.",
         {"SSLVerifyClient require, TLS 1.2, and no client certificate.",
          "mod_ssl's OCSP check failed (verify code 50).",
          "Client and server share no protocol version or cipher suite."},
         {"Install and select your client certificate."},
         {"Use \"SSLVerifyClient optional\" with \"CertHelp On\", so that a "
          "missing certificate gets a 403.7 page instead of this alert.",
          "Compare SSLProtocol and SSLCipherSuite with what the client "
          "offers."}},
        {42, "bad_certificate",
         "The server rejected the client certificate. OpenSSL sends this "
         "alert for failures without an alert of their own, such as a "
         "certificate that is not yet valid, a damaged signature encoding "
         "or a weak key.",
         {"The certificate is not yet valid (verify code 9).",
          "The certificate or a CRL has a malformed field, or the key or "
          "digest is too weak for the server's security level."},
         {"Select another certificate, or ask the issuer for a new one."},
         {"Run \"certhelp check --cert FILE --ca FILE\" to find the "
          "verify code.",
          "With \"CertHelpSoftFail On\" and \"CertHelp On\", the person "
          "gets a 403.16 or 403.17 page instead of this alert."}},
        {43, "unsupported_certificate",
         "The server does not accept this kind of certificate. OpenSSL "
         "sends it when the certificate may not be used for client "
         "authentication (verify code 26).",
         {"The certificate's extended key usage lacks clientAuth, for "
          "example a server certificate used as a client certificate."},
         {"Ask the issuer for a certificate for client authentication."},
         {"Issue client certificates with extendedKeyUsage = clientAuth.",
          "With \"CertHelpSoftFail On\" and \"CertHelp On\", the person "
          "gets a 403.16 page instead of this alert."}},
        {44, "certificate_revoked",
         "The server found the client certificate, or a CA of its chain, "
         "on a certificate revocation list (verify code 23).",
         {"The issuer revoked the certificate or an intermediate CA."},
         {"Select a newer certificate, or ask the issuer for a new one."},
         {"Confirm with \"certhelp check --crl FILE\".",
          "With \"CertHelpSoftFail On\" and \"CertHelp On\", the person "
          "gets a 403.13 page instead of this alert."}},
        {45, "certificate_expired",
         "The client certificate, or a CA certificate of its chain, has "
         "expired (verify code 10). OpenSSL also sends it for an expired "
         "CRL (verify code 12), but mod_ssl changes that case to "
         "certificate_unknown (46).",
         {"The certificate was not renewed, or the browser offers the old "
          "one."},
         {"Select your renewed certificate, or ask the issuer for a new "
          "one."},
         {"Check the dates with \"certhelp check\".",
          "With \"CertHelpSoftFail On\" and \"CertHelp On\", the person "
          "gets a 403.17 page instead of this alert."}},
        {46, "certificate_unknown",
         "The server rejected the client certificate for a reason without "
         "a more specific alert. mod_ssl sends it for an expired CRL "
         "(verify code 12), and OpenSSL for most verify codes that have no "
         "alert of their own.",
         {"The server's CRL has expired.",
          "The certificate breaks a rule such as its key usage or a name "
          "constraint."},
         {"Try again later, or select another certificate."},
         {"Look up the verify code in the server's error log (mod_ssl's "
          "line \"Certificate Verification: Error (N)\") and run "
          "\"certhelp explain verify:N\".",
          "Refresh the CRLs if they have expired."}},
        {47, "illegal_parameter",
         "A field in a handshake message was out of range or inconsistent "
         "with other fields.",
         {"A TLS implementation bug, or an unusual client configuration."},
         {"Try another browser or client."},
         {"Check the server's error log for the handshake error."}},
        {48, "unknown_ca",
         "The server could not build a chain from the client certificate "
         "to a CA it trusts (verify codes 2, 18 to 22, 25, 79). OpenSSL "
         "also sends it when revocation checking finds no CRL for a "
         "certificate (verify codes 3 and 33).",
         {"The certificate was issued by a CA the server does not trust, "
          "or it is self-signed.",
          "An intermediate CA certificate is missing.",
          "With CRL checking on, the CRL of one CA in the chain is "
          "missing."},
         {"Select the certificate issued for this site, or install the "
          "intermediate CA certificate with it."},
         {"Run \"certhelp check --cert FILE --ca FILE\" to see whether the "
          "chain or a CRL is the problem.",
          "With \"CertHelpSoftFail On\" and \"CertHelp On\", the person "
          "gets a 403.16 page instead of this alert."}},
        {49, "access_denied",
         "The certificate was valid, but the peer's access control refused "
         "to continue the handshake.",
         {"The server's TLS layer applies access rules to certificates."},
         {"Ask the site's administrator for access."},
         {"Check the access rules applied during the handshake."}},
        {50, "decode_error",
         "A handshake message could not be decoded, for example a "
         "malformed certificate.",
         {"A damaged certificate file, or a TLS implementation bug."},
         {"Install a fresh copy of the certificate."},
         {"Check the server's error log for the handshake error."}},
        {51, "decrypt_error",
         "A signature check failed: the signature of a certificate (verify "
         "code 7) or of a CRL (verify code 8) does not match, or the "
         "client's handshake signature (CertificateVerify) is wrong.",
         {"The certificate was altered or damaged, or a different CA with "
          "the same name signed it.",
          "The private key does not belong to the certificate."},
         {"Install a fresh copy of the certificate and its private key."},
         {"Run \"certhelp check\" to see which depth has the bad "
          "signature.",
          "With \"CertHelpSoftFail On\" and \"CertHelp On\", the person "
          "gets a 403.16 page instead of this alert."}},
        {70, "protocol_version",
         "Client and server support no common TLS version.",
         {"The server allows only TLS 1.3 and the client only TLS 1.2, or "
          "the other way round."},
         {"Update the browser or client."},
         {"Compare SSLProtocol with the versions the clients support."}},
        {71, "insufficient_security",
         "The server requires stronger cipher suites than the client "
         "offers.",
         {"An old client, or a restrictive SSLCipherSuite."},
         {"Update the browser or client."},
         {"Compare SSLCipherSuite with what the clients offer."}},
        {80, "internal_error",
         "The peer hit an error of its own that has nothing to do with the "
         "other side, such as a memory allocation failure. OpenSSL sends "
         "it for verify codes 1, 17, 69 and 70.",
         {"A server-side failure during certificate verification."},
         {"Try again later."},
         {"Check the server's error log at the time of the alert."}},
        {86, "inappropriate_fallback",
         "The client retried with a lower TLS version than both sides "
         "support, which looks like a downgrade attack.",
         {"A client that retries failed handshakes with older versions."},
         {"Try again, or update the client."},
         {"Usually no action is needed on the server."}},
        {90, "user_canceled",
         "The peer cancelled the handshake.",
         {"The person cancelled a prompt, such as the certificate "
          "selection."},
         {"Try again and select a certificate when asked."},
         {"No action is needed."}},
        {109, "missing_extension",
         "A TLS 1.3 handshake message lacks an extension that is "
         "mandatory.",
         {"A TLS implementation bug or an old TLS 1.3 draft client."},
         {"Update the browser or client."},
         {"Check the server's error log for the handshake error."}},
        {110, "unsupported_extension",
         "A handshake message contained an extension that was not allowed "
         "there.",
         {"A TLS implementation bug."},
         {"Update the browser or client."},
         {"Check the server's error log for the handshake error."}},
        {112, "unrecognized_name",
         "The server has no virtual host for the name the client sent "
         "with SNI.",
         {"The client sent a host name that no ServerName or ServerAlias "
          "covers."},
         {"Check the address you typed."},
         {"Add the name to a virtual host, or check SSLStrictSNIVHostCheck."}},
        {116, "certificate_required",
         "The server requires a client certificate and the client sent "
         "none. TLS 1.3 uses this alert where TLS 1.2 uses "
         "handshake_failure (40).",
         {"SSLVerifyClient require, and no certificate installed or "
          "selected."},
         {"Install and select your client certificate."},
         {"Use \"SSLVerifyClient optional\" with \"CertHelp On\", so that a "
          "missing certificate gets a 403.7 page instead of this alert."}},
        {120, "no_application_protocol",
         "Client and server share no application protocol in ALPN.",
         {"The client offers only protocols that Protocols does not "
          "list."},
         {"Update the browser or client."},
         {"Check the Protocols directive (h2, http/1.1)."}},
    };
    return rows;
}

// --- helpers ----------------------------------------------------------------

const CodeText *find_row(const std::vector<CodeText> &rows, int code)
{
    for (const CodeText &row : rows) {
        if (row.code == code) {
            return &row;
        }
    }
    return nullptr;
}

std::vector<std::string> to_strings(const std::vector<std::string_view> &list)
{
    return std::vector<std::string>(list.begin(), list.end());
}

Explanation explanation_from_row(CodeKind kind, std::string code,
                                 std::string name, const CodeText &row)
{
    Explanation explanation;
    explanation.kind = kind;
    explanation.code = std::move(code);
    explanation.name = std::move(name);
    explanation.meaning = std::string(row.meaning);
    explanation.causes = to_strings(row.causes);
    explanation.user_steps = to_strings(row.user_steps);
    explanation.admin_steps = to_strings(row.admin_steps);
    return explanation;
}

// Returns "N name" for a known alert, "N" otherwise.
std::string alert_label(int alert)
{
    std::string label = std::to_string(alert);
    std::string_view name = alert_name(alert);
    if (!name.empty()) {
        label += ' ';
        label += name;
    }
    return label;
}

// Joins numbers as "1, 2, 3".
std::string join_numbers(const std::vector<int> &numbers)
{
    std::string text;
    for (int number : numbers) {
        if (!text.empty()) {
            text += ", ";
        }
        text += std::to_string(number);
    }
    return text;
}

// Verify codes whose outcome is `outcome`, in ascending order.
std::vector<int> codes_with_outcome(Outcome outcome)
{
    std::vector<int> codes;
    for (int code = 1; code <= kHighestVerifyCode; ++code) {
        if (classify_verify_code(code) == outcome) {
            codes.push_back(code);
        }
    }
    return codes;
}

// Lists of verify codes longer than this are summarized in `related`.
constexpr std::size_t kMaxListedCodes = 16;

char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Lower-cases and turns spaces and hyphens into underscores, so that
// "Certificate Expired" matches "certificate_expired".
std::string normalize_name(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        out += (c == ' ' || c == '-') ? '_' : ascii_lower(c);
    }
    return out;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (ascii_lower(text[i]) != ascii_lower(prefix[i])) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text)
{
    constexpr std::string_view space = " \t\r\n";
    std::size_t begin = text.find_first_not_of(space);
    if (begin == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(space);
    return text.substr(begin, end - begin + 1);
}

// Parses a decimal number of at most 9 digits without sign or space.
std::optional<int> parse_number(std::string_view text)
{
    if (text.empty() || text.size() > 9) {
        return std::nullopt;
    }
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<int> find_verify_code_by_name(std::string_view text)
{
    std::string wanted = normalize_name(text);
    for (const CodeName &row : kCodeNames) {
        std::string full = normalize_name(row.name);
        constexpr std::string_view prefix = "x509_v_err_";
        std::string shortened =
            full.compare(0, prefix.size(), prefix) == 0
                ? full.substr(prefix.size())
                : full;
        if (wanted == full || wanted == shortened) {
            return row.code;
        }
    }
    return std::nullopt;
}

std::optional<int> find_alert_by_name(std::string_view text)
{
    std::string wanted = normalize_name(text);
    for (const CodeText &row : alert_texts()) {
        if (wanted == row.name) {
            return row.code;
        }
    }
    return std::nullopt;
}

std::string known_substatus_list()
{
    std::string text;
    for (const CodeText &row : substatus_texts()) {
        if (!text.empty()) {
            text += ", ";
        }
        text += "403." + std::to_string(row.code);
    }
    return text;
}

std::string known_alert_list()
{
    std::vector<int> numbers;
    for (const CodeText &row : alert_texts()) {
        numbers.push_back(row.code);
    }
    return join_numbers(numbers);
}

ExplainResult single(std::optional<Explanation> explanation,
                     std::string error)
{
    ExplainResult result;
    if (explanation) {
        result.explanations.push_back(std::move(*explanation));
    } else {
        result.error = std::move(error);
    }
    return result;
}

ExplainResult explain_prefixed_verify(std::string_view value)
{
    std::optional<int> code = parse_number(value);
    if (!code) {
        code = find_verify_code_by_name(value);
    }
    std::string error = "\"" + std::string(value)
                        + "\" is not an OpenSSL verify code; expected a "
                          "number from 0 to "
                        + std::to_string(kHighestVerifyCode)
                        + " or a name such as CERT_HAS_EXPIRED";
    return single(code ? explain_verify_code(*code) : std::nullopt, error);
}

ExplainResult explain_prefixed_alert(std::string_view value)
{
    std::optional<int> alert = parse_number(value);
    if (!alert) {
        alert = find_alert_by_name(value);
    }
    std::string error = "\"" + std::string(value)
                        + "\" is not a TLS alert that certhelp knows; known "
                          "alerts: "
                        + known_alert_list();
    return single(alert ? explain_alert(*alert) : std::nullopt, error);
}

ExplainResult explain_substatus_text(std::string_view text)
{
    std::optional<int> number = parse_number(text.substr(4));
    std::string error = "\"" + std::string(text)
                        + "\" is not a client-certificate substatus; "
                          "known: "
                        + known_substatus_list();
    return single(number ? explain_substatus(*number) : std::nullopt, error);
}

ExplainResult explain_bare_number(std::string_view text, int number)
{
    ExplainResult result;
    if (std::optional<Explanation> verify = explain_verify_code(number)) {
        result.explanations.push_back(std::move(*verify));
    }
    if (std::optional<Explanation> alert = explain_alert(number)) {
        result.explanations.push_back(std::move(*alert));
    }
    if (!result.explanations.empty()) {
        return result;
    }
    if (number == 403) {
        result.error = "403 is the HTTP status; give the substatus, one of "
                       + known_substatus_list();
        return result;
    }
    result.error = std::string(text)
                   + " is neither an OpenSSL verify code (0 to "
                   + std::to_string(kHighestVerifyCode)
                   + ") nor a TLS alert that certhelp knows ("
                   + known_alert_list() + ")";
    return result;
}

ExplainResult explain_name(std::string_view text)
{
    ExplainResult result;
    if (std::optional<Outcome> outcome = parse_outcome(text)) {
        int substatus = outcome_info(*outcome).substatus;
        if (std::optional<Explanation> explanation =
                explain_substatus(substatus)) {
            result.explanations.push_back(std::move(*explanation));
        }
    }
    if (std::optional<int> code = find_verify_code_by_name(text)) {
        if (std::optional<Explanation> explanation =
                explain_verify_code(*code)) {
            result.explanations.push_back(std::move(*explanation));
        }
    }
    if (std::optional<int> alert = find_alert_by_name(text)) {
        if (std::optional<Explanation> explanation = explain_alert(*alert)) {
            result.explanations.push_back(std::move(*explanation));
        }
    }
    if (result.explanations.empty()) {
        result.error = "\"" + std::string(text)
                       + "\" is not a known code; write a substatus such as "
                         "403.17, a verify code such as verify:10, or a TLS "
                         "alert such as alert:45";
    }
    return result;
}

}  // namespace

// --- public functions -------------------------------------------------------

std::string_view code_kind_name(CodeKind kind)
{
    switch (kind) {
    case CodeKind::verify_code:
        return "OpenSSL verify code";
    case CodeKind::tls_alert:
        return "TLS alert";
    case CodeKind::substatus:
        break;
    }
    return "IIS substatus";
}

std::optional<Explanation> explain_substatus(int substatus)
{
    const CodeText *row = find_row(substatus_texts(), substatus);
    if (row == nullptr) {
        return std::nullopt;
    }

    std::string code = "403." + std::to_string(substatus);
    Explanation explanation = explanation_from_row(
        CodeKind::substatus, code, std::string(row->name), *row);

    std::set<int> alerts;
    for (Outcome outcome : outcomes_with_substatus(substatus)) {
        const OutcomeInfo &info = outcome_info(outcome);
        std::string line = "CertHelp outcome " + std::string(info.name)
                           + ": " + std::string(info.title);
        std::vector<int> codes = codes_with_outcome(outcome);
        if (codes.size() == 1) {
            line += " (verify code " + join_numbers(codes) + ")";
        } else if (!codes.empty() && codes.size() <= kMaxListedCodes) {
            line += " (verify codes " + join_numbers(codes) + ")";
        } else if (!codes.empty()) {
            line += " (" + std::to_string(codes.size())
                    + " verify codes; see \"certhelp explain verify:N\")";
        }
        explanation.related.push_back(line);
        for (int verify_code : codes) {
            if (std::optional<int> alert = alert_for_verify_code(verify_code)) {
                alerts.insert(*alert);
            }
        }
    }
    if (substatus == 7) {
        // A missing certificate is no verify code: the alerts are those of
        // "SSLVerifyClient require".
        alerts = {40, 116};
    }
    if (!alerts.empty()) {
        std::string line = "TLS alerts for the same failures without "
                           "CertHelp:";
        for (int alert : alerts) {
            line += ' ';
            line += alert_label(alert);
            line += ',';
        }
        line.pop_back();
        explanation.related.push_back(line);
    }
    return explanation;
}

std::optional<Explanation> explain_verify_code(int code)
{
    if (code < 0 || code > kHighestVerifyCode) {
        return std::nullopt;
    }

    Outcome outcome = classify_verify_code(code);
    const OutcomeInfo &info = outcome_info(outcome);
    std::string text = verify_code_text(code);

    Explanation explanation;
    if (const CodeText *row = find_row(verify_code_texts(), code)) {
        explanation = explanation_from_row(CodeKind::verify_code, "", "",
                                           *row);
        explanation.meaning = "OpenSSL: \"" + text + "\". "
                              + explanation.meaning;
    } else {
        explanation.kind = CodeKind::verify_code;
        explanation.meaning = "OpenSSL: \"" + text + "\". CertHelp counts "
                              "it as " + std::string(info.name) + ": "
                              + std::string(info.explanation);
        explanation.user_steps = {std::string(info.remedy)};
        explanation.admin_steps = to_strings(generic_admin_steps(outcome));
    }
    explanation.code = std::to_string(code);
    explanation.name = std::string(verify_code_name(code));

    std::string outcome_line = "CertHelp outcome: " + std::string(info.name);
    if (!info.substatus_text.empty()) {
        outcome_line += ", substatus " + std::string(info.substatus_text);
    }
    explanation.related.push_back(outcome_line);
    if (std::optional<int> alert = alert_for_verify_code(code)) {
        explanation.related.push_back(
            "TLS alert from mod_ssl without soft-fail: "
            + alert_label(*alert));
    }
    return explanation;
}

std::optional<Explanation> explain_alert(int alert)
{
    const CodeText *row = find_row(alert_texts(), alert);
    if (row == nullptr) {
        return std::nullopt;
    }

    Explanation explanation =
        explanation_from_row(CodeKind::tls_alert, std::to_string(alert),
                             std::string(row->name), *row);
    std::vector<int> codes = verify_codes_for_alert(alert);
    if (!codes.empty() && codes.size() <= kMaxListedCodes) {
        explanation.related.push_back(
            "Verify codes that mod_ssl reports with this alert: "
            + join_numbers(codes));
    } else if (!codes.empty()) {
        explanation.related.push_back(
            "Verify codes that mod_ssl reports with this alert: "
            + std::to_string(codes.size())
            + " codes without an alert of their own, among them "
            + join_numbers(std::vector<int>(codes.begin(),
                                            codes.begin() + 8))
            + "; see \"certhelp explain verify:N\"");
    }
    return explanation;
}

ExplainResult explain_code(std::string_view input)
{
    std::string_view text = trim(input);
    if (text.empty()) {
        return single(std::nullopt,
                      "no code given; write a substatus such as 403.17, a "
                      "verify code such as verify:10, or a TLS alert such "
                      "as alert:45");
    }

    constexpr std::string_view verify_prefix = "verify:";
    constexpr std::string_view alert_prefix = "alert:";
    if (starts_with_ignoring_case(text, verify_prefix)) {
        return explain_prefixed_verify(
            trim(text.substr(verify_prefix.size())));
    }
    if (starts_with_ignoring_case(text, alert_prefix)) {
        return explain_prefixed_alert(trim(text.substr(alert_prefix.size())));
    }
    if (text.substr(0, 4) == "403.") {
        return explain_substatus_text(text);
    }
    if (std::optional<int> number = parse_number(text)) {
        return explain_bare_number(text, *number);
    }
    return explain_name(text);
}

std::string_view verify_code_name(int code)
{
    if (code < 0 || code > kHighestVerifyCode) {
        return {};
    }
    return kCodeNames[static_cast<std::size_t>(code)].name;
}

std::string_view alert_name(int alert)
{
    const CodeText *row = find_row(alert_texts(), alert);
    return row != nullptr ? row->name : std::string_view();
}

std::optional<int> alert_for_verify_code(int code)
{
    switch (code) {
    case X509_V_OK:
        return std::nullopt;

    // mod_ssl's verify callback replaces this code before OpenSSL picks the
    // alert, because the certificate itself may not have expired.
    case X509_V_ERR_CRL_HAS_EXPIRED:
        return 46;

    case X509_V_ERR_APPLICATION_VERIFICATION:
        return 40;

    case X509_V_ERR_UNSPECIFIED:
    case X509_V_ERR_OUT_OF_MEM:
    case X509_V_ERR_INVALID_CALL:
    case X509_V_ERR_STORE_LOOKUP:
        return 80;

    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_INVALID_CA:
        return 48;

    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_DANE_NO_MATCH:
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_CA_MD_TOO_WEAK:
    case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS:
        return 42;

    case X509_V_ERR_CERT_HAS_EXPIRED:
        return 45;

    case X509_V_ERR_CERT_REVOKED:
        return 44;

    case X509_V_ERR_INVALID_PURPOSE:
        return 43;

    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
        return 51;

    default:
        break;
    }
    return 46;
}

std::vector<int> verify_codes_for_alert(int alert)
{
    std::vector<int> codes;
    for (int code = 0; code <= kHighestVerifyCode; ++code) {
        if (alert_for_verify_code(code) == alert) {
            codes.push_back(code);
        }
    }
    return codes;
}

}  // namespace certhelp
