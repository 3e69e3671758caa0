"""CertHelp On, Off and unset on locations: the 403.7 response in each
format, content for valid certificates, variables, headers and logs."""

import json

import pytest

import apache
from conftest import Clients
from outcomes import (ACCEPT_JSON, ACCEPT_TEXT, JSON_MEDIA_TYPES, OUTCOMES,
                      check_outcome_html, check_outcome_json)

MISSING = OUTCOMES["missing"]

DEFAULT_CONF = """\
<Location /protected>
    CertHelp On
</Location>
<Location /protected/open>
    CertHelp Off
</Location>
"""


@pytest.fixture(scope="module")
def basic(apache_factory, pki):
    server = apache_factory.new(default_conf=DEFAULT_CONF)
    with server:
        yield Clients(server, pki)


def check_no_store_vary(response):
    assert response.header("Cache-Control") == "no-store", (
        response.describe())
    vary = [v.strip().lower()
            for v in ",".join(response.header_values("Vary")).split(",")]
    assert "accept" in vary, response.describe()


# --- no certificate on CertHelp On -------------------------------------------

@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_missing_cert_html(basic, tls):
    response = basic.tls(None, tls=tls).get("/protected/secret.txt")
    check_outcome_html(response, "missing")
    assert response.title() == "403.7 Client certificate required"
    assert "secret content" not in response.text
    check_no_store_vary(response)


@pytest.mark.parametrize("accept", [ACCEPT_JSON, "application/json"])
def test_missing_cert_json(basic, accept):
    response = basic.tls(None).get("/protected/secret.txt",
                                   headers={"Accept": accept})
    check_outcome_json(response, "missing")
    problem = response.json()
    assert problem["title"] == MISSING.title
    check_no_store_vary(response)


def test_missing_cert_text(basic):
    response = basic.tls(None).get("/protected/secret.txt",
                                   headers={"Accept": ACCEPT_TEXT})
    assert response.status == 403
    assert response.media_type() == "text/plain", response.describe()
    assert response.text.splitlines()[0] == MISSING.page_title
    check_no_store_vary(response)


@pytest.mark.parametrize("accept, media_types", [
    ("text/html;q=0.2, text/plain", ("text/plain",)),
    ("text/plain;q=0.5, application/problem+json", JSON_MEDIA_TYPES),
    ("image/png", ("text/html",)),
    ("*/*", ("text/html",)),
])
def test_accept_negotiation(basic, accept, media_types):
    response = basic.tls(None).get("/protected/secret.txt",
                                   headers={"Accept": accept})
    assert response.status == 403
    assert response.media_type() in media_types, response.describe()


def test_head_missing_cert(basic):
    response = basic.tls(None).get("/protected/secret.txt", method="HEAD")
    assert response.status == 403
    assert response.body == b""
    assert response.media_type() == "text/html", response.describe()
    check_no_store_vary(response)


def test_handler_not_run(basic):
    response = basic.tls(None).get("/protected/env.cgi")
    check_outcome_html(response, "missing")
    assert "cgi outcome" not in response.text


def test_hostile_path_escaped(basic):
    path = '/protected/<script>alert(1)</script>"\'&%3Cb%3E'
    html = basic.tls(None).get(path)
    check_outcome_html(html, "missing")
    assert "<script>alert(1)</script>" not in html.text
    assert "<b>" not in html.text

    problem = basic.tls(None).get(path, headers={"Accept": ACCEPT_JSON})
    check_outcome_json(problem, "missing")


# --- valid certificates, Off and unset ---------------------------------------

@pytest.mark.parametrize("tls", ["1.2", "1.3"])
@pytest.mark.parametrize("cert", ["valid", "chain"])
def test_valid_cert_content(basic, tls, cert):
    response = basic.tls(cert, tls=tls).get("/protected/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT
    assert response.header("X-Outcome") == "success"
    assert response.header("X-Substatus") is None


def test_hostile_subject_content(basic):
    response = basic.tls("hostile").get("/protected/secret.txt?t=hostile")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT
    entry = basic.server.wait_for_access("t=hostile")
    assert entry is not None
    assert entry["outcome"] == "success"


def test_off_location_served(basic):
    response = basic.tls(None).get("/protected/open/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


def test_unset_location_unchanged(basic):
    response = basic.tls(None).get("/public/secret.txt?t=unset")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT
    assert response.header("X-Outcome") is None
    assert response.header("X-Verify") == "NONE"
    entry = basic.server.wait_for_access("t=unset")
    assert entry is not None
    assert entry["outcome"] == "-"
    assert entry["substatus"] == "-"


# --- HTTP/2 and curl ---------------------------------------------------------

@pytest.mark.parametrize("http2", [False, True], ids=["http1.1", "http2"])
def test_curl_missing_cert(basic, http2):
    result = basic.curl("/protected/secret.txt", http2=http2)
    response = result.response
    assert response is not None, result.stderr
    assert response.http_version == ("2" if http2 else "1.1")
    check_outcome_html(response, "missing")
    check_no_store_vary(response)


def test_http2_missing_cert_json(basic):
    result = basic.curl("/protected/secret.txt", http2=True,
                        headers={"Accept": ACCEPT_JSON})
    assert result.response is not None, result.stderr
    assert result.response.http_version == "2"
    check_outcome_json(result.response, "missing")


def test_http2_head_missing_cert(basic):
    result = basic.curl("/protected/secret.txt", http2=True, method="HEAD")
    assert result.response is not None, result.stderr
    assert result.response.status == 403
    assert result.response.media_type() == "text/html"


@pytest.mark.parametrize("host", ["127.0.0.1", "a.test"])
def test_http2_valid_cert(basic, host):
    result = basic.curl("/protected/secret.txt", cert="valid", http2=True,
                        host=host)
    assert result.response is not None, result.stderr
    assert result.response.http_version == "2"
    assert result.response.status == 200
    assert result.response.text == apache.SECRET_TEXT


# --- variables and logs ------------------------------------------------------

def test_access_log_missing(basic):
    basic.tls(None).get("/protected/secret.txt?t=log-missing")
    entry = basic.server.wait_for_access("t=log-missing")
    assert entry is not None
    assert entry["status"] == "403"
    assert entry["outcome"] == "missing"
    assert entry["substatus"] == "403.7"


def test_access_log_success(basic):
    basic.tls("valid").get("/protected/secret.txt?t=log-success")
    entry = basic.server.wait_for_access("t=log-success")
    assert entry is not None
    assert entry["status"] == "200"
    assert entry["outcome"] == "success"
    assert entry["substatus"] == "-"


def test_headers_missing(basic):
    response = basic.tls(None).get("/protected/secret.txt")
    assert response.header("X-Outcome") == "missing"
    assert response.header("X-Substatus") == "403.7"


def test_ssi_sees_success(basic):
    response = basic.tls("valid").get("/protected/verify.shtml")
    assert response.status == 200, response.describe()
    assert "outcome=success\n" in response.text
    assert "verify=SUCCESS\n" in response.text
    assert "expr=SUCCESS\n" in response.text


def test_denial_logged(basic):
    mark = basic.server.log_mark()
    basic.tls(None).get("/protected/secret.txt")
    lines = basic.server.wait_for_log(r"CH00001", since=mark)
    assert len(lines) == 1, lines
    line = lines[0]
    assert "[certhelp:info]" in line
    assert "127.0.0.1" in line
    assert "localhost" in line
    assert "missing" in line


def test_json_is_single_object(basic):
    response = basic.tls(None).get("/protected/secret.txt",
                                   headers={"Accept": ACCEPT_JSON})
    problem = json.loads(response.body)
    assert isinstance(problem, dict)
    assert set(problem) >= {"type", "title", "status", "detail", "outcome",
                            "substatus"}


def test_denial_log_escapes_uri(basic):
    mark = basic.server.log_mark()
    basic.tls(None).get("/protected/a%0d%0aInjected:%20yes")
    lines = basic.server.wait_for_log(r"CH00001", since=mark)
    assert len(lines) == 1, lines
    assert "Injected" in lines[0]
    for line in basic.server.error_lines(mark):
        assert line.startswith("["), f"log line was split: {line!r}"
