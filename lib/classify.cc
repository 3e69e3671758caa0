// Classification of OpenSSL verify results into outcomes.
#include "certhelp/classify.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <cstddef>
#include <unordered_map>

namespace certhelp {

namespace {

struct CodeRow {
    int code;
    Outcome outcome;
};

// Every verify code of OpenSSL 3.0 (openssl/x509_vfy.h), one row per code
// and indexed by code. The rules behind the choices:
// - untrusted: no path to a trust anchor could be built or the anchor
//   refuses the chain (unknown issuer, self-signed, chain too long).
// - revocation_unknown: the revocation status could not be established
//   because a CRL or OCSP response was missing, stale or unusable. The
//   certificate itself may be fine, and the fault lies with the server's
//   revocation data.
// - invalid: the certificate or chain breaks a rule (signature, purpose,
//   key usage, constraints, policy, malformed fields), plus internal
//   errors, so that anything unexpected fails closed.
constexpr std::array<CodeRow, 95> kCodeTable = {{
    {X509_V_OK, Outcome::success},
    {X509_V_ERR_UNSPECIFIED, Outcome::invalid},
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, Outcome::untrusted},
    {X509_V_ERR_UNABLE_TO_GET_CRL, Outcome::revocation_unknown},
    {X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, Outcome::invalid},
    // The CRL's signature cannot be checked, so the CRL cannot be used.
    {X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE, Outcome::revocation_unknown},
    // The issuer's key is unreadable, so no signature in the chain can be
    // checked: the chain is broken, not merely unknown.
    {X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, Outcome::invalid},
    {X509_V_ERR_CERT_SIGNATURE_FAILURE, Outcome::invalid},
    {X509_V_ERR_CRL_SIGNATURE_FAILURE, Outcome::revocation_unknown},
    {X509_V_ERR_CERT_NOT_YET_VALID, Outcome::not_yet_valid},
    {X509_V_ERR_CERT_HAS_EXPIRED, Outcome::expired},
    // A stale or future CRL cannot show whether the certificate is revoked.
    // The certificate's own validity is not in question, so not `expired`.
    {X509_V_ERR_CRL_NOT_YET_VALID, Outcome::revocation_unknown},
    {X509_V_ERR_CRL_HAS_EXPIRED, Outcome::revocation_unknown},
    {X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, Outcome::invalid},
    {X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, Outcome::invalid},
    {X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD, Outcome::revocation_unknown},
    {X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD, Outcome::revocation_unknown},
    // A server-side failure, mapped to `invalid` to fail closed.
    {X509_V_ERR_OUT_OF_MEM, Outcome::invalid},
    {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, Outcome::untrusted},
    {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, Outcome::untrusted},
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, Outcome::untrusted},
    // Reported for a single certificate whose issuer is not in the store.
    {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, Outcome::untrusted},
    // mod_ssl also sets this when the chain exceeds SSLVerifyDepth, so
    // the trust anchor lies beyond the allowed depth.
    {X509_V_ERR_CERT_CHAIN_TOO_LONG, Outcome::untrusted},
    {X509_V_ERR_CERT_REVOKED, Outcome::revoked},
    {X509_V_ERR_NO_ISSUER_PUBLIC_KEY, Outcome::invalid},
    // pathLenConstraint of a CA in the chain is violated.
    {X509_V_ERR_PATH_LENGTH_EXCEEDED, Outcome::invalid},
    {X509_V_ERR_INVALID_PURPOSE, Outcome::invalid},
    {X509_V_ERR_CERT_UNTRUSTED, Outcome::untrusted},
    // The trust anchor is explicitly marked to reject this purpose.
    {X509_V_ERR_CERT_REJECTED, Outcome::untrusted},
    // Codes 29 to 31 describe why a candidate issuer was skipped. When one
    // is reported, no matching issuer was found.
    {X509_V_ERR_SUBJECT_ISSUER_MISMATCH, Outcome::untrusted},
    {X509_V_ERR_AKID_SKID_MISMATCH, Outcome::untrusted},
    {X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH, Outcome::untrusted},
    {X509_V_ERR_KEYUSAGE_NO_CERTSIGN, Outcome::invalid},
    {X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER, Outcome::revocation_unknown},
    {X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, Outcome::invalid},
    // The CRL's issuer may not sign CRLs, so the CRL cannot be used.
    {X509_V_ERR_KEYUSAGE_NO_CRL_SIGN, Outcome::revocation_unknown},
    {X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION,
     Outcome::revocation_unknown},
    {X509_V_ERR_INVALID_NON_CA, Outcome::invalid},
    {X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED, Outcome::invalid},
    {X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE, Outcome::invalid},
    {X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED, Outcome::invalid},
    {X509_V_ERR_INVALID_EXTENSION, Outcome::invalid},
    {X509_V_ERR_INVALID_POLICY_EXTENSION, Outcome::invalid},
    {X509_V_ERR_NO_EXPLICIT_POLICY, Outcome::invalid},
    // No CRL covering this certificate's scope was found.
    {X509_V_ERR_DIFFERENT_CRL_SCOPE, Outcome::revocation_unknown},
    {X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE, Outcome::invalid},
    {X509_V_ERR_UNNESTED_RESOURCE, Outcome::invalid},
    {X509_V_ERR_PERMITTED_VIOLATION, Outcome::invalid},
    {X509_V_ERR_EXCLUDED_VIOLATION, Outcome::invalid},
    {X509_V_ERR_SUBTREE_MINMAX, Outcome::invalid},
    // mod_ssl 2.4 (modssl_verify_ocsp) sets this code when an OCSP
    // responder returns the status "unknown", cannot be reached or sends an
    // unusable response, and when OCSP cannot run because the issuer is
    // unverified.
    {X509_V_ERR_APPLICATION_VERIFICATION, Outcome::revocation_unknown},
    {X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, Outcome::invalid},
    {X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, Outcome::invalid},
    {X509_V_ERR_UNSUPPORTED_NAME_SYNTAX, Outcome::invalid},
    {X509_V_ERR_CRL_PATH_VALIDATION_ERROR, Outcome::revocation_unknown},
    // Chain building went round in a circle without reaching an anchor.
    {X509_V_ERR_PATH_LOOP, Outcome::untrusted},
    {X509_V_ERR_SUITE_B_INVALID_VERSION, Outcome::invalid},
    {X509_V_ERR_SUITE_B_INVALID_ALGORITHM, Outcome::invalid},
    {X509_V_ERR_SUITE_B_INVALID_CURVE, Outcome::invalid},
    {X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM, Outcome::invalid},
    {X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED, Outcome::invalid},
    {X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256, Outcome::invalid},
    {X509_V_ERR_HOSTNAME_MISMATCH, Outcome::invalid},
    {X509_V_ERR_EMAIL_MISMATCH, Outcome::invalid},
    {X509_V_ERR_IP_ADDRESS_MISMATCH, Outcome::invalid},
    // DANE replaces the trust anchors, so no matching record means that
    // nothing vouches for the certificate.
    {X509_V_ERR_DANE_NO_MATCH, Outcome::untrusted},
    {X509_V_ERR_EE_KEY_TOO_SMALL, Outcome::invalid},
    {X509_V_ERR_CA_KEY_TOO_SMALL, Outcome::invalid},
    {X509_V_ERR_CA_MD_TOO_WEAK, Outcome::invalid},
    // Internal errors of the verification context, mapped to `invalid` to
    // fail closed.
    {X509_V_ERR_INVALID_CALL, Outcome::invalid},
    {X509_V_ERR_STORE_LOOKUP, Outcome::invalid},
    {X509_V_ERR_NO_VALID_SCTS, Outcome::invalid},
    {X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION, Outcome::invalid},
    {X509_V_ERR_OCSP_VERIFY_NEEDED, Outcome::revocation_unknown},
    {X509_V_ERR_OCSP_VERIFY_FAILED, Outcome::revocation_unknown},
    {X509_V_ERR_OCSP_CERT_UNKNOWN, Outcome::revocation_unknown},
    {X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM, Outcome::invalid},
    {X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH, Outcome::invalid},
    {X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY, Outcome::invalid},
    {X509_V_ERR_INVALID_CA, Outcome::invalid},
    // Codes 80 to 94 come from the strict checks (X509_V_FLAG_X509_STRICT)
    // on extensions and names.
    {X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, Outcome::invalid},
    {X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, Outcome::invalid},
    {X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, Outcome::invalid},
    {X509_V_ERR_ISSUER_NAME_EMPTY, Outcome::invalid},
    {X509_V_ERR_SUBJECT_NAME_EMPTY, Outcome::invalid},
    {X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, Outcome::invalid},
    {X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, Outcome::invalid},
    {X509_V_ERR_EMPTY_SUBJECT_ALT_NAME, Outcome::invalid},
    {X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, Outcome::invalid},
    {X509_V_ERR_CA_BCONS_NOT_CRITICAL, Outcome::invalid},
    {X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, Outcome::invalid},
    {X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, Outcome::invalid},
    {X509_V_ERR_CA_CERT_MISSING_KEY_USAGE, Outcome::invalid},
    {X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3, Outcome::invalid},
    {X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, Outcome::invalid},
}};

constexpr bool rows_indexed_by_code()
{
    for (std::size_t i = 0; i < kCodeTable.size(); ++i) {
        if (kCodeTable[i].code != static_cast<int>(i)) {
            return false;
        }
    }
    return true;
}

static_assert(rows_indexed_by_code(),
              "kCodeTable must have one row per code, in code order");

// Rank of each outcome, indexed by Outcome. Denied, missing and success
// never come from a chain error, because denied and success need a verified
// certificate and missing needs none. They rank after every failure so that
// they can never hide one, in the order denied, missing, success.
constexpr std::array<int, 9> kRanks = {
    8,  // success
    7,  // missing
    3,  // expired
    4,  // not_yet_valid
    0,  // revoked
    1,  // untrusted
    2,  // invalid
    5,  // revocation_unknown
    6,  // denied
};

static_assert(kRanks.size() == static_cast<std::size_t>(Outcome::denied) + 1,
              "kRanks must have one rank per Outcome");

// Outcome of one recorded chain error. A row in the error list means that
// verification reported a failure, so a code of X509_V_OK there counts as
// `invalid` and can never make a failed chain look successful.
Outcome classify_chain_error(const VerifyError &error)
{
    if (error.code == X509_V_OK) {
        return Outcome::invalid;
    }
    return classify_verify_code(error.code);
}

// Maps OpenSSL's text of every known code back to the code, built from
// OpenSSL's own strings on first use.
const std::unordered_map<std::string, int> &codes_by_text()
{
    static const std::unordered_map<std::string, int> table = [] {
        std::unordered_map<std::string, int> map;
        for (const CodeRow &row : kCodeTable) {
            map.emplace(X509_verify_cert_error_string(row.code), row.code);
        }
        return map;
    }();
    return table;
}

}  // namespace

Outcome classify_verify_code(int code)
{
    if (code < 0 || static_cast<std::size_t>(code) >= kCodeTable.size()) {
        return Outcome::invalid;
    }
    return kCodeTable[static_cast<std::size_t>(code)].outcome;
}

Outcome classify_verify_string(std::string_view ssl_client_verify)
{
    constexpr std::string_view failed_prefix = "FAILED:";

    if (ssl_client_verify == "NONE") {
        return Outcome::missing;
    }
    if (ssl_client_verify == "SUCCESS") {
        return Outcome::success;
    }
    if (ssl_client_verify == "GENEROUS") {
        return Outcome::untrusted;
    }
    if (ssl_client_verify.substr(0, failed_prefix.size()) != failed_prefix) {
        return Outcome::invalid;
    }

    std::string reason(ssl_client_verify.substr(failed_prefix.size()));
    const auto &table = codes_by_text();
    auto found = table.find(reason);
    if (found == table.end()) {
        return Outcome::invalid;
    }

    // "FAILED:ok" is not a success: mod_ssl only writes FAILED after a
    // failure, so the reason text cannot be trusted to undo that.
    Outcome outcome = classify_verify_code(found->second);
    if (outcome == Outcome::success) {
        return Outcome::invalid;
    }
    return outcome;
}

int precedence_rank(Outcome outcome)
{
    auto index = static_cast<std::size_t>(outcome);
    if (index >= kRanks.size()) {
        return precedence_rank(Outcome::invalid);
    }
    return kRanks[index];
}

Outcome pick_outcome(const std::vector<VerifyError> &errors)
{
    const VerifyError *primary = primary_error(errors);
    if (primary == nullptr) {
        return Outcome::success;
    }
    return classify_chain_error(*primary);
}

const VerifyError *primary_error(const std::vector<VerifyError> &errors)
{
    // "Chain order" is depth order: the leaf (depth 0) comes before its
    // issuers. Among errors of equal rank and depth the first recorded
    // one wins.
    const VerifyError *best = nullptr;
    int best_rank = 0;
    for (const VerifyError &error : errors) {
        int rank = precedence_rank(classify_chain_error(error));
        bool better = best == nullptr || rank < best_rank
                      || (rank == best_rank && error.depth < best->depth);
        if (better) {
            best = &error;
            best_rank = rank;
        }
    }
    return best;
}

std::string verify_code_text(int code)
{
    return X509_verify_cert_error_string(code);
}

}  // namespace certhelp
