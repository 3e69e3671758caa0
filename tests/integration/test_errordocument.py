"""CertHelpErrorDocument: local URL-paths (static, SSI, CGI), absolute
redirects and messages, chosen by outcome, by 403.N or by default."""

import urllib.parse

import pytest

from conftest import Clients
from outcomes import FAILING_CERTS, OUTCOMES

HELP_URL = "https://help.invalid/certs"
MESSAGE = "Ask the helpdesk for a certificate"

# The targets live below /help, where CertHelp is off, except /loop.
DEFAULT_CONF = f"""\
<Location /help>
    CertHelp Off
</Location>
<Location /form-static>
    CertHelp On
    CertHelpErrorDocument missing /help/page.html
</Location>
<Location /form-ssi>
    CertHelp On
    CertHelpErrorDocument missing /help/outcome.shtml
</Location>
<Location /form-cgi>
    CertHelp On
    CertHelpErrorDocument missing /help/env.cgi
</Location>
<Location /form-redirect>
    CertHelp On
    CertHelpErrorDocument missing {HELP_URL}
</Location>
<Location /form-redirect-query>
    CertHelp On
    CertHelpErrorDocument missing "{HELP_URL}?lang=en&next=%2Fa%20b"
</Location>
<Location /form-message>
    CertHelp On
    CertHelpErrorDocument missing "{MESSAGE}"
</Location>
<Location /by-outcome>
    CertHelp On
    CertHelpErrorDocument missing "page for missing"
    CertHelpErrorDocument expired "page for expired"
    CertHelpErrorDocument not-yet-valid "page for not-yet-valid"
    CertHelpErrorDocument revoked "page for revoked"
    CertHelpErrorDocument untrusted "page for untrusted"
    CertHelpErrorDocument invalid "page for invalid"
    CertHelpErrorDocument revocation-unknown "page for revocation-unknown"
</Location>
<Location /by-substatus>
    CertHelp On
    CertHelpErrorDocument 403.7 /help/outcome.shtml
    CertHelpErrorDocument 403.16 {HELP_URL}
    CertHelpErrorDocument 403.17 "certificate dates"
</Location>
<Location /by-default>
    CertHelp On
    CertHelpErrorDocument default /help/outcome.shtml
</Location>
<Location /redirect-all>
    CertHelp On
    CertHelpErrorDocument default {HELP_URL}
</Location>
<Location /precedence>
    CertHelp On
    CertHelpErrorDocument expired /help/env.cgi
    CertHelpErrorDocument 403.17 "certificate dates"
    CertHelpErrorDocument default {HELP_URL}
</Location>
<Location /loop>
    CertHelp On
    CertHelpErrorDocument missing /loop/help.html
</Location>
"""

LOOP_HELP = "loop help page\n"

FILES = {
    f"{name}/secret.txt": "secret content\n"
    for name in ("form-static", "form-ssi", "form-cgi", "form-redirect",
                 "form-redirect-query", "form-message", "by-outcome",
                 "by-substatus", "by-default", "redirect-all", "precedence",
                 "loop")
}
FILES["loop/help.html"] = LOOP_HELP


@pytest.fixture(scope="module")
def docs(apache_factory, pki):
    server = apache_factory.new(default_conf=DEFAULT_CONF, files=FILES)
    with server:
        yield Clients(server, pki)


def get(docs, path, cert=None, tls="1.3"):
    return docs.tls(cert, tls=tls).get(path)


def check_ssi_outcome(response, outcome):
    expected = OUTCOMES[outcome]
    assert response.status == 403, response.describe()
    assert f"outcome={expected.outcome}\n" in response.text, (
        response.describe())
    assert f"substatus={expected.substatus}\n" in response.text, (
        response.describe())
    assert "secret content" not in response.text


def check_redirect(response, outcome, base=HELP_URL, base_query=None):
    expected = OUTCOMES[outcome]
    assert response.status == 302, response.describe()
    location = response.header("Location")
    assert location is not None, response.describe()
    query = f"outcome={expected.outcome}&substatus={expected.substatus}"
    if base_query:
        query = f"{base_query}&{query}"
    assert location == f"{base}?{query}", location


# --- forms -------------------------------------------------------------------

def test_static_target(docs):
    response = get(docs, "/form-static/secret.txt")
    assert response.status == 403, response.describe()
    assert "help page" in response.text
    assert "secret content" not in response.text


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_ssi_target_sees_variables(docs, tls):
    response = get(docs, "/form-ssi/secret.txt", tls=tls)
    check_ssi_outcome(response, "missing")


def test_cgi_target_sees_variables(docs):
    response = get(docs, "/form-cgi/secret.txt")
    assert response.status == 403, response.describe()
    assert "cgi outcome=missing\n" in response.text, response.describe()
    assert "cgi substatus=403.7\n" in response.text, response.describe()


def test_redirect_target(docs):
    response = get(docs, "/form-redirect/secret.txt")
    check_redirect(response, "missing")


def test_redirect_keeps_query(docs):
    response = get(docs, "/form-redirect-query/secret.txt")
    check_redirect(response, "missing",
                   base_query="lang=en&next=%2Fa%20b")
    query = urllib.parse.urlsplit(response.header("Location")).query
    assert urllib.parse.parse_qs(query) == {
        "lang": ["en"], "next": ["/a b"], "outcome": ["missing"],
        "substatus": ["403.7"]}


def test_redirect_over_http2(docs):
    result = docs.curl("/form-redirect/secret.txt", http2=True)
    assert result.response is not None, result.stderr
    assert result.response.http_version == "2"
    check_redirect(result.response, "missing")


def test_message_target(docs):
    response = get(docs, "/form-message/secret.txt")
    assert response.status == 403, response.describe()
    assert response.text.strip() == MESSAGE


def test_valid_cert_not_redirected(docs):
    response = get(docs, "/form-redirect/secret.txt", cert="valid")
    assert response.status == 200, response.describe()
    assert response.text == "secret content\n"


# --- selection ---------------------------------------------------------------

@pytest.mark.parametrize("cert", [None, *FAILING_CERTS],
                         ids=["missing", *FAILING_CERTS])
def test_by_outcome(docs, cert):
    outcome = FAILING_CERTS[cert] if cert else "missing"
    response = get(docs, "/by-outcome/secret.txt", cert=cert)
    assert response.status == 403, response.describe()
    assert response.text.strip() == f"page for {outcome}"


@pytest.mark.parametrize("cert, outcome", [
    ("unknown_issuer", "untrusted"),
    ("wrong_eku", "invalid"),
])
def test_by_substatus_redirect(docs, cert, outcome):
    response = get(docs, "/by-substatus/secret.txt", cert=cert)
    check_redirect(response, outcome)


@pytest.mark.parametrize("cert", ["expired", "not_yet_valid"])
def test_by_substatus_message(docs, cert):
    response = get(docs, "/by-substatus/secret.txt", cert=cert)
    assert response.status == 403, response.describe()
    assert response.text.strip() == "certificate dates"


def test_by_substatus_local(docs):
    response = get(docs, "/by-substatus/secret.txt")
    check_ssi_outcome(response, "missing")


@pytest.mark.parametrize("cert", [None, "expired", "self_signed",
                                  "bad_signature"])
def test_by_default(docs, cert):
    outcome = FAILING_CERTS[cert] if cert else "missing"
    response = get(docs, "/by-default/secret.txt", cert=cert)
    check_ssi_outcome(response, outcome)


def test_outcome_beats_substatus(docs):
    response = get(docs, "/precedence/secret.txt", cert="expired")
    assert response.status == 403, response.describe()
    assert "cgi outcome=expired\n" in response.text, response.describe()


def test_substatus_beats_default(docs):
    response = get(docs, "/precedence/secret.txt", cert="not_yet_valid")
    assert response.status == 403, response.describe()
    assert response.text.strip() == "certificate dates"


@pytest.mark.parametrize("cert, outcome", [
    (None, "missing"),
    ("unknown_issuer", "untrusted"),
])
def test_default_when_nothing_else(docs, cert, outcome):
    response = get(docs, "/precedence/secret.txt", cert=cert)
    check_redirect(response, outcome)


@pytest.mark.parametrize("cert", [None, *FAILING_CERTS],
                         ids=["missing", *FAILING_CERTS])
def test_redirect_query_per_outcome(docs, cert):
    outcome = FAILING_CERTS[cert] if cert else "missing"
    response = get(docs, "/redirect-all/secret.txt", cert=cert)
    check_redirect(response, outcome)


def test_target_under_certhelp_on_no_loop(docs):
    mark = docs.server.log_mark()
    response = get(docs, "/loop/secret.txt")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    served_target = response.text == LOOP_HELP
    builtin_page = response.title() == OUTCOMES["missing"].page_title
    assert served_target or builtin_page, response.describe()
    recursion = docs.server.wait_for_log(r"AH00124|internal redirect",
                                         since=mark, timeout=0.5)
    assert recursion == []
