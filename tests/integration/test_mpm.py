"""Short smoke test of mod_certhelp under the worker and prefork MPMs (the
other tests use event)."""

import pytest

import apache
from conftest import Clients
from outcomes import ACCEPT_JSON, check_outcome_html, check_outcome_json

DEFAULT_CONF = """\
<Location /protected>
    CertHelp On
</Location>
"""


@pytest.fixture(scope="module", params=["worker", "prefork"])
def mpm(request, apache_factory, pki):
    # mod_http2 does not support prefork and warns at startup, so prefork
    # runs without it and curl falls back to HTTP/1.1.
    server = apache_factory.new(mpm=request.param,
                                http2=request.param != "prefork",
                                default_conf=DEFAULT_CONF)
    with server:
        yield Clients(server, pki)


def test_missing_cert(mpm):
    check_outcome_html(mpm.tls(None).get("/protected/secret.txt"),
                       "missing")


def test_valid_cert(mpm):
    response = mpm.tls("valid", tls="1.2").get("/protected/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_expired_cert(mpm, tls):
    result = mpm.tls("expired", tls=tls).exchange(
        ["/protected/secret.txt", "/public/secret.txt"],
        headers={"Accept": ACCEPT_JSON})
    assert result.error is None, result.error
    check_outcome_json(result.responses[0], "expired")
    assert result.responses[1].status == 403
    assert "secret content" not in result.responses[1].text


def test_curl_http2(mpm):
    result = mpm.curl("/protected/secret.txt", cert="unknown_issuer",
                      http2=True, headers={"Accept": ACCEPT_JSON})
    assert result.response is not None, result.stderr
    if mpm.server.mpm != "prefork":
        assert result.response.http_version == "2"
    check_outcome_json(result.response, "untrusted")
