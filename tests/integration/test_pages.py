"""Specific pages: certificate details and disclosure, the accepted CA
list, languages, templates, the 403.12 answer for a verified certificate
that authorization refuses, and the expiry warning."""

import os
import re
import time
from pathlib import Path

import pytest

import apache
from conftest import Clients
from outcomes import ACCEPT_JSON, ACCEPT_TEXT, check_outcome_html

TEMPLATE = """\
<!DOCTYPE html>
<html lang="{{lang}}"><head><title>{{substatus}} {{title}}</title></head>
<body><p id="custom">custom page for {{outcome}}</p>
<p id="subject">{{subject}}</p>{{details}}{{advice}}</body></html>
"""

DEFAULT_CONF = """\
<Location /protected>
    CertHelp On
</Location>
<Location /minimal>
    CertHelp On
    CertHelpDisclosure minimal
</Location>
<Location /templated>
    CertHelp On
    CertHelpTemplate conf/page.html
</Location>
<Location /templated/default>
    CertHelpTemplate default
</Location>
<Location /members>
    CertHelp On
    Require expr %{SSL_CLIENT_S_DN_CN} == 'nobody'
</Location>
<Location /members-doc>
    CertHelp On
    CertHelpErrorDocument denied /help/denied.shtml
    Require expr %{SSL_CLIENT_S_DN_CN} == 'nobody'
</Location>
<Location /warned>
    CertHelp On
    CertHelpExpiryWarning 15 X-Cert-Days-Left
    Header always set X-Env-Days "%{CERTHELP_EXPIRES_IN_DAYS}e"
</Location>
<Location /warned/default-header>
    CertHelpExpiryWarning 15
</Location>
"""

FILES = {
    "warned/secret.txt": apache.SECRET_TEXT,
    "warned/default-header/secret.txt": apache.SECRET_TEXT,
    "help/denied.shtml":
        "denied page: <!--#echo var=\"CERTHELP_OUTCOME\" --> "
        "<!--#echo var=\"CERTHELP_SUBSTATUS\" -->\n",
}


# A host whose certificate request names another CA: its pages list that
# CA, not the default host's.
OTHER_CAS_CONF = """\
SSLCADNRequestFile {ca_file}
<Location /protected>
    CertHelp On
</Location>
"""


@pytest.fixture(scope="module")
def pages(apache_factory, pki):
    vhosts = [apache.Vhost("b.test", OTHER_CAS_CONF.format(
        ca_file=pki.untrusted_root.cert_path))]
    server = apache_factory.new(default_conf=DEFAULT_CONF, vhosts=vhosts,
                                files=FILES)
    server.write_config()
    (server.root / "conf" / "page.html").write_text(TEMPLATE)
    with server:
        yield Clients(server, pki)


# --- details and disclosure --------------------------------------------------

def test_expired_page_shows_details(pages, pki):
    response = pages.tls("expired").get("/protected/secret.txt")
    check_outcome_html(response, "expired")
    expired = pki.client("expired")
    assert expired.serial_hex in response.text.upper().replace(":", ""), (
        response.text)
    assert "CertHelp client expired" in response.text
    assert re.search(r"1 day|day ago|days ago", response.text), response.text


def test_expired_json_has_certificate(pages):
    response = pages.tls("expired").get(
        "/protected/secret.txt", headers={"Accept": ACCEPT_JSON})
    problem = response.json()
    assert "CertHelp client expired" in problem["certificate"]["subject"]
    assert problem["certificate"]["issuer"]
    assert problem["certificate"]["not_after"]


def test_missing_page_lists_accepted_cas(pages):
    response = pages.tls().get("/protected/secret.txt",
                               headers={"Accept": ACCEPT_JSON})
    problem = response.json()
    assert any("CertHelp Test Root CA" in name
               for name in problem["accepted_cas"]), problem


def test_missing_html_lists_accepted_cas(pages):
    for _ in range(2):
        response = pages.tls().get("/protected/secret.txt")
        check_outcome_html(response, "missing")
        assert "CertHelp Test Root CA" in response.text, response.text
        assert "CertHelp Untrusted Root CA" not in response.text


def test_accepted_cas_per_vhost(pages):
    response = pages.tls().get("/protected/secret.txt",
                               sni="b.test",
                               headers={"Accept": ACCEPT_JSON})
    assert response.header("X-Vhost") == "b.test", (
        response.describe())
    names = response.json()["accepted_cas"]
    assert any("CertHelp Untrusted Root CA" in name for name in names), names
    assert not any("CertHelp Test Root CA" in name for name in names), names


def test_minimal_hides_names(pages):
    for accept in ("text/html", ACCEPT_JSON, ACCEPT_TEXT):
        response = pages.tls("expired").get(
            "/minimal/secret.txt", headers={"Accept": accept})
        assert response.status == 403, response.describe()
        assert "CertHelp client expired" not in response.text
        assert "CertHelp Test Root CA" not in response.text


def test_minimal_missing_hides_cas(pages):
    response = pages.tls().get("/minimal/secret.txt",
                               headers={"Accept": ACCEPT_JSON})
    assert response.status == 403, response.describe()
    assert "CertHelp Test Root CA" not in response.text


def test_hostile_subject_escaped_once(pages):
    response = pages.tls("hostile_expired").get("/protected/secret.txt")
    assert response.status == 403, response.describe()
    assert "<script" not in response.text.lower()
    assert "&amp;lt;" not in response.text


# --- languages ---------------------------------------------------------------

@pytest.mark.parametrize("header,lang", [
    ("de-CH, en;q=0.5", "de"),
    ("fr;q=0.9, de;q=0.1", "fr"),
    ("xx-YY", "en"),
    ("", "en"),
])
def test_accept_language_selects_page(pages, header, lang):
    response = pages.tls().get("/protected/secret.txt",
                               headers={"Accept-Language": header})
    assert response.status == 403, response.describe()
    assert f'<html lang="{lang}"' in response.text, response.text[:200]
    vary = ",".join(response.header_values("Vary")).lower()
    assert "accept-language" in vary, response.describe()


def test_german_title_differs(pages):
    english = pages.tls().get("/protected/secret.txt")
    german = pages.tls().get("/protected/secret.txt",
                             headers={"Accept-Language": "de"})
    assert english.title() != german.title()
    assert german.title().startswith("403.7 ")


# --- templates ---------------------------------------------------------------

def test_template_used(pages):
    response = pages.tls("expired").get("/templated/secret.txt")
    assert response.status == 403, response.describe()
    assert '<p id="custom">custom page for expired</p>' in response.text
    assert response.title() == "403.17 Client certificate expired"


def test_template_default_restores_builtin(pages):
    response = pages.tls("expired").get("/templated/default/secret.txt")
    check_outcome_html(response, "expired")
    assert 'id="custom"' not in response.text


def test_template_not_used_for_json(pages):
    response = pages.tls("expired").get(
        "/templated/secret.txt", headers={"Accept": ACCEPT_JSON})
    assert response.json()["outcome"] == "expired"


# --- 403.12 ------------------------------------------------------------------

@pytest.mark.expected_log(r"AH01630: client denied by server configuration")
def test_authz_refusal_gives_403_12(pages):
    response = pages.tls("valid").get("/members/secret.txt")
    check_outcome_html(response, "denied")
    assert "secret content" not in response.text


@pytest.mark.expected_log(r"AH01630: client denied by server configuration")
def test_authz_refusal_json(pages):
    response = pages.tls("valid").get("/members/secret.txt",
                                      headers={"Accept": ACCEPT_JSON})
    problem = response.json()
    assert problem["outcome"] == "denied"
    assert problem["substatus"] == "403.12"


@pytest.mark.expected_log(r"AH01630: client denied by server configuration")
def test_authz_refusal_error_document(pages):
    response = pages.tls("valid").get("/members-doc/secret.txt")
    assert response.status == 403, response.describe()
    assert "denied page: denied 403.12" in response.text, response.text


@pytest.mark.expected_log(r"AH01630: client denied by server configuration")
def test_authz_refusal_logged(pages):
    mark = pages.server.log_mark()
    response = pages.tls("valid").get("/members/secret.txt")
    assert response.status == 403
    pages.server.wait_for_log(r"CH00008: .*outcome denied \(403\.12\)",
                              since=mark)


def test_unverified_still_gets_its_outcome(pages):
    response = pages.tls("expired").get("/members/secret.txt")
    check_outcome_html(response, "expired")


# --- expiry warning ----------------------------------------------------------

def test_expiry_warning_header(pages):
    response = pages.tls("expiring_soon").get("/warned/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT
    assert response.header("X-Cert-Days-Left") == "10", response.describe()
    assert response.header("X-Env-Days") == "10", response.describe()


def test_expiry_warning_default_header(pages):
    response = pages.tls("expiring_soon").get(
        "/warned/default-header/secret.txt")
    assert response.status == 200, response.describe()
    assert response.header("CertHelp-Expires-In-Days") == "10", (
        response.describe())


def test_expiry_warning_quiet_for_long_validity(pages):
    response = pages.tls("valid").get("/warned/secret.txt")
    assert response.status == 200, response.describe()
    assert response.header("X-Cert-Days-Left") is None, response.describe()


# --- the shipped W3C log format ---------------------------------------------

@pytest.fixture(scope="module")
def w3c(apache_factory, pki):
    conf = Path(os.environ.get("CERTHELP_SRCDIR", Path(__file__).parents[2]))
    server = apache_factory.new(
        server_conf=(f"Include {conf / 'conf' / 'certhelp.conf'}\n"
                     "CustomLog logs/w3c.log certhelp_w3c\n"),
        default_conf="CertHelp On\n")
    with server:
        yield Clients(server, pki)


def w3c_lines(server, count):
    path = server.root / "logs" / "w3c.log"
    for _ in range(50):
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.1)
    raise AssertionError(f"expected {count} lines in {path}")


def test_w3c_log_fields(w3c):
    assert w3c.tls().get("/secret.txt").status == 403
    assert w3c.tls("valid").get("/secret.txt").status == 200
    denied, allowed = (line.split(" ") for line in w3c_lines(w3c.server, 2))
    # date time s-ip cs-method cs-uri-stem s-port c-ip sc-status
    # sc-substatus sc-win32-status time-taken
    assert len(denied) == 11, denied
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", denied[0]), denied
    assert denied[3:5] == ["GET", "/secret.txt"], denied
    assert denied[7:10] == ["403", "7", "0"], denied
    assert allowed[7:10] == ["200", "0", "0"], allowed
