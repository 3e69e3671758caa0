"""Expected outcomes: the contract the tests check mod_certhelp against."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Expected:
    """What CertHelp reports for one outcome."""

    outcome: str
    substatus: str
    title: str

    @property
    def page_title(self):
        """The HTML <title> and the first line of the text/plain body."""
        return f"{self.substatus} {self.title}"


OUTCOMES = {
    e.outcome: e for e in (
        Expected("missing", "403.7", "Client certificate required"),
        Expected("expired", "403.17", "Client certificate expired"),
        Expected("not-yet-valid", "403.17",
                 "Client certificate not yet valid"),
        Expected("revoked", "403.13", "Client certificate revoked"),
        Expected("untrusted", "403.16", "Client certificate not trusted"),
        Expected("invalid", "403.16", "Client certificate invalid"),
        Expected("revocation-unknown", "403.16",
                 "Client certificate status unknown"),
        Expected("denied", "403.12", "Access denied for this certificate"),
    )
}

# Client certificates (names from pki.py) that fail verification on a
# server that trusts the test root and checks no CRL, with their outcome.
FAILING_CERTS = {
    "expired": "expired",
    "not_yet_valid": "not-yet-valid",
    "unknown_issuer": "untrusted",
    "self_signed": "untrusted",
    "leaf_without_intermediate": "untrusted",
    "wrong_eku": "invalid",
    "bad_signature": "invalid",
}

# Accept header values that select each response format.
ACCEPT_JSON = "application/problem+json"
ACCEPT_TEXT = "text/plain"

JSON_MEDIA_TYPES = ("application/problem+json", "application/json")


def expected_for_cert(name):
    """Return the Expected entry for failing certificate `name`."""
    return OUTCOMES[FAILING_CERTS[name]]


def check_outcome_json(response, outcome):
    """Assert that `response` is CertHelp's JSON 403 for `outcome`."""
    expected = OUTCOMES[outcome]
    assert response.status == 403, response.describe()
    assert response.media_type() in JSON_MEDIA_TYPES, response.describe()
    problem = response.json()
    assert problem["status"] == 403, problem
    assert problem["outcome"] == expected.outcome, problem
    assert problem["substatus"] == expected.substatus, problem
    assert problem["title"], problem
    assert problem["type"], problem
    assert problem["detail"], problem


def check_outcome_html(response, outcome):
    """Assert that `response` is CertHelp's HTML 403 for `outcome`."""
    expected = OUTCOMES[outcome]
    assert response.status == 403, response.describe()
    assert response.media_type() == "text/html", response.describe()
    assert response.title() == expected.page_title, response.describe()
