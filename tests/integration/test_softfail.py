"""Soft fail: a certificate that fails verification completes the
handshake, and each request on that connection gets the outcome's response
(CertHelp On), the content (CertHelp Off) or a plain 403 (CertHelp unset)
before any handler runs."""

import re

import pytest

import apache
from conftest import Clients
from outcomes import (ACCEPT_JSON, FAILING_CERTS, OUTCOMES,
                      check_outcome_html, check_outcome_json)

TLS_VERSIONS = ["1.2", "1.3"]

DEFAULT_CONF = """\
<Location /protected>
    CertHelp On
</Location>
<Location /open>
    CertHelp Off
</Location>
<Location /open/require>
    Require ssl-verify-client
</Location>
<Location /public/require>
    Require ssl-verify-client
</Location>
"""

VHOSTS = [
    apache.Vhost("a.test", """\
        CertHelp On
        <Location /open>
            CertHelp Off
        </Location>
        """),
    apache.Vhost("b.test", ""),
]

FILES = {
    "open/require/secret.txt": apache.SECRET_TEXT,
    "public/require/secret.txt": apache.SECRET_TEXT,
}


@pytest.fixture(scope="module")
def soft(apache_factory, pki):
    server = apache_factory.new(default_conf=DEFAULT_CONF, vhosts=VHOSTS,
                                files=FILES)
    with server:
        yield Clients(server, pki)


def check_plain_403(response):
    """A 403 that is neither content nor CertHelp's outcome page."""
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    title = response.title() or ""
    assert not re.match(r"403\.\d+ ", title), response.describe()


# --- outcome per certificate -------------------------------------------------

@pytest.mark.parametrize("tls", TLS_VERSIONS)
@pytest.mark.parametrize("cert", list(FAILING_CERTS))
def test_failing_cert_json(soft, cert, tls):
    result = soft.tls(cert, tls=tls).exchange(
        "/protected/secret.txt", headers={"Accept": ACCEPT_JSON})
    assert result.error is None, result.error
    assert result.tls_version == f"TLSv{tls}"
    check_outcome_json(result.response, FAILING_CERTS[cert])
    assert "secret content" not in result.response.text


@pytest.mark.parametrize("cert", list(FAILING_CERTS))
def test_failing_cert_html(soft, cert):
    response = soft.tls(cert, tls="1.3").get("/protected/secret.txt")
    check_outcome_html(response, FAILING_CERTS[cert])
    assert response.header("X-Outcome") == FAILING_CERTS[cert]
    assert response.header("X-Substatus") == (
        OUTCOMES[FAILING_CERTS[cert]].substatus)


@pytest.mark.parametrize("cert", ["expired", "not_yet_valid",
                                  "unknown_issuer", "wrong_eku"])
def test_failing_cert_http2(soft, cert):
    result = soft.curl("/protected/secret.txt", cert=cert, http2=True,
                       headers={"Accept": ACCEPT_JSON})
    assert result.response is not None, result.stderr
    assert result.response.http_version == "2"
    check_outcome_json(result.response, FAILING_CERTS[cert])


@pytest.mark.parametrize("http2", [False, True], ids=["http1.1", "http2"])
def test_failing_cert_unset_curl(soft, http2):
    result = soft.curl("/public/secret.txt", cert="expired", http2=http2)
    assert result.response is not None, result.stderr
    check_plain_403(result.response)


def test_failing_cert_access_log(soft):
    soft.tls("expired").get("/protected/secret.txt?t=soft-log")
    entry = soft.server.wait_for_access("t=soft-log")
    assert entry is not None
    assert entry["status"] == "403"
    assert entry["outcome"] == "expired"
    assert entry["substatus"] == "403.17"
    assert entry["verify"].startswith("FAILED:"), entry


# --- Off, unset and authorization --------------------------------------------

@pytest.mark.parametrize("tls", TLS_VERSIONS)
def test_off_location_served(soft, tls):
    response = soft.tls("expired", tls=tls).get("/open/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


# mod_ssl's TLS 1.2 access checker resets the verify result on every
# request, so both versions are checked, on a second request too.
@pytest.mark.parametrize("tls", TLS_VERSIONS)
def test_variables_show_failed(soft, tls):
    result = soft.tls("expired", tls=tls).exchange(
        ["/open/verify.shtml", "/open/verify.shtml"])
    assert result.error is None, result.error
    for response in result.responses:
        check_verify_page_failed(response)


def check_verify_page_failed(response):
    assert response.status == 200, response.describe()
    assert response.header("X-Verify").startswith("FAILED:"), (
        response.describe())
    assert re.search(r"^verify=FAILED:.+$", response.text, re.M), (
        response.text)
    assert "expr=NOT-SUCCESS\n" in response.text


def test_cgi_sees_failed(soft):
    response = soft.tls("unknown_issuer").get("/open/env.cgi")
    assert response.status == 200, response.describe()
    assert re.search(r"^cgi verify=FAILED:.+$", response.text, re.M), (
        response.text)


def test_variables_valid_control(soft):
    response = soft.tls("valid").get("/open/verify.shtml")
    assert response.header("X-Verify") == "SUCCESS"
    assert "verify=SUCCESS\n" in response.text
    assert "expr=SUCCESS\n" in response.text


# mod_authz_core logs each denial at error level.
@pytest.mark.expected_log(r"AH01630: client denied by server configuration")
@pytest.mark.parametrize("cert", ["expired", "unknown_issuer", "wrong_eku"])
@pytest.mark.parametrize("tls", TLS_VERSIONS)
def test_require_ssl_verify_client_denied(soft, cert, tls):
    result = soft.tls(cert, tls=tls).exchange(
        ["/open/require/secret.txt", "/open/require/secret.txt"])
    assert result.error is None, result.error
    for response in result.responses:
        assert response.status == 403, response.describe()
        assert "secret content" not in response.text


def test_require_ssl_verify_client_valid(soft):
    response = soft.tls("valid").get("/open/require/secret.txt")
    assert response.status == 200, response.describe()


@pytest.mark.parametrize("tls", TLS_VERSIONS)
@pytest.mark.parametrize("path", ["/public/secret.txt",
                                  "/public/require/secret.txt",
                                  "/secret.txt"])
def test_unset_location_plain_403(soft, tls, path):
    mark = soft.server.log_mark()
    response = soft.tls("expired", tls=tls).get(path)
    check_plain_403(response)
    assert soft.server.wait_for_log(r"CH00005", since=mark), (
        soft.server.error_lines(mark))


def test_unconfigured_vhost_plain_403(soft):
    mark = soft.server.log_mark()
    response = soft.tls("self_signed").get("/secret.txt", sni="b.test")
    check_plain_403(response)
    assert response.header("X-Vhost") == "b.test"
    lines = soft.server.wait_for_log(r"CH00005", since=mark)
    assert len(lines) == 1, lines


def test_unconfigured_vhost_no_cert_served(soft):
    response = soft.tls(None).get("/secret.txt", sni="b.test")
    assert response.status == 200, response.describe()


def test_unconfigured_vhost_valid_served(soft):
    response = soft.tls("valid").get("/secret.txt", sni="b.test")
    assert response.status == 200, response.describe()


# --- SNI and Host naming different virtual hosts -----------------------------

def test_sni_on_host_unset(soft):
    response = soft.tls("expired").get("/secret.txt", sni="a.test",
                                       host="b.test")
    assert response.header("X-Vhost") == "b.test", response.describe()
    check_plain_403(response)


def test_sni_unset_host_on(soft):
    response = soft.tls("expired").get(
        "/secret.txt", sni="b.test", host="a.test",
        headers={"Accept": ACCEPT_JSON})
    assert response.header("X-Vhost") == "a.test", response.describe()
    check_outcome_json(response, "expired")


def test_sni_on_host_off_location(soft):
    response = soft.tls("expired").get("/open/secret.txt", sni="b.test",
                                       host="a.test")
    assert response.header("X-Vhost") == "a.test", response.describe()
    assert response.status == 200, response.describe()


def test_sni_mismatch_valid_cert(soft):
    response = soft.tls("valid").get("/secret.txt", sni="a.test",
                                     host="b.test")
    assert response.header("X-Vhost") == "b.test", response.describe()
    assert response.status == 200, response.describe()


# --- keep-alive --------------------------------------------------------------

@pytest.mark.expected_log(r"AH01630: client denied by server configuration")
@pytest.mark.parametrize("tls", TLS_VERSIONS)
def test_keepalive_failed_cert(soft, tls):
    paths = ["/protected/secret.txt", "/open/secret.txt",
             "/public/secret.txt", "/protected/secret.txt",
             "/open/require/secret.txt"]
    result = soft.tls("expired", tls=tls).exchange(
        paths, headers={"Accept": ACCEPT_JSON})
    assert result.error is None, result.error
    statuses = [r.status for r in result.responses]
    assert statuses == [403, 200, 403, 403, 403]
    check_outcome_json(result.responses[0], "expired")
    check_outcome_json(result.responses[3], "expired")
    assert result.responses[1].text == apache.SECRET_TEXT
    assert "secret content" not in result.responses[2].text
    assert "secret content" not in result.responses[4].text


def test_keepalive_valid_cert(soft):
    result = soft.tls("valid").exchange(["/protected/secret.txt"] * 3)
    assert result.error is None, result.error
    assert [r.status for r in result.responses] == [200, 200, 200]


# --- log lines ---------------------------------------------------------------

def test_connection_logged_once(soft, pki):
    cert = pki.client("expired")
    mark = soft.server.log_mark()
    result = soft.tls("expired").exchange(["/protected/secret.txt"] * 2)
    assert len(result.responses) == 2, result.error
    lines = soft.server.wait_for_log(r"CH00002", since=mark)
    assert len(lines) == 1, lines
    line = lines[0]
    assert "[certhelp:info]" in line
    assert re.search(r"depth\W{0,3}0", line), line
    assert cert.subject_cn in line
    assert cert.issuer_cn in line
    assert cert.serial_hex.lstrip("0") in line
    assert cert.not_after.strftime("%Y-%m-%d") in line
    assert cert.not_before.strftime("%Y-%m-%d") in line
    assert "expired" in line


def test_every_error_logged(soft, pki):
    mark = soft.server.log_mark()
    response = soft.tls("expired_unknown_issuer").get(
        "/protected/secret.txt", headers={"Accept": ACCEPT_JSON})
    # An unknown issuer ranks before an expired date.
    check_outcome_json(response, "untrusted")
    lines = soft.server.wait_for_log(r"CH00002", since=mark)
    assert len(lines) == 1, lines
    assert "certificate has expired" in lines[0]
    assert "unable to get local issuer certificate" in lines[0]
    assert "untrusted" in lines[0]


def test_denial_logged_with_outcome(soft):
    mark = soft.server.log_mark()
    soft.tls("not_yet_valid").get("/protected/secret.txt")
    lines = soft.server.wait_for_log(r"CH00001", since=mark)
    assert len(lines) == 1, lines
    assert "not-yet-valid" in lines[0]
    assert "127.0.0.1" in lines[0]


def test_hostile_subject_escaped_in_log(soft, pki):
    mark = soft.server.log_mark()
    response = soft.tls("hostile_expired").get(
        "/protected/secret.txt", headers={"Accept": ACCEPT_JSON})
    check_outcome_json(response, "expired")
    lines = soft.server.wait_for_log(r"CH00002", since=mark)
    assert len(lines) == 1, lines
    assert "Mallory" in lines[0]
    assert "100%s %n" in lines[0]
    for line in soft.server.error_lines(mark):
        assert line.startswith("["), f"log line was split: {line!r}"
    # The server survived the subject: a new connection still works.
    assert soft.tls("valid").get("/protected/secret.txt").status == 200


# --- CertHelpSoftFail Off ----------------------------------------------------

@pytest.fixture(scope="module")
def strict(apache_factory, pki):
    server = apache_factory.new(
        server_conf="CertHelp On\nCertHelpSoftFail Off\n",
        vhosts=[apache.Vhost("a.test", "CertHelpSoftFail On\n")])
    with server:
        yield Clients(server, pki)


@pytest.mark.parametrize("tls", TLS_VERSIONS)
@pytest.mark.parametrize("cert, alert", [
    ("expired", "CERTIFICATE_EXPIRED"),
    ("unknown_issuer", "UNKNOWN_CA"),
])
def test_softfail_off_aborts(strict, cert, alert, tls):
    result = strict.tls(cert, tls=tls).exchange("/secret.txt")
    assert result.responses == []
    assert alert in (result.error or ""), result.error


def test_softfail_off_alert_number(strict):
    result = strict.s_client(
        "expired", tls="1.2",
        request=b"GET /secret.txt HTTP/1.1\r\nHost: localhost\r\n"
                b"Connection: close\r\n\r\n")
    assert result.alert_number == 45, result.output
    assert "secret content" not in result.output


def test_softfail_off_valid_and_missing(strict):
    assert strict.tls("valid").get("/secret.txt").status == 200
    response = strict.tls(None).get("/secret.txt")
    check_outcome_html(response, "missing")


def test_softfail_on_per_vhost(strict):
    response = strict.tls("expired").get(
        "/secret.txt", sni="a.test", headers={"Accept": ACCEPT_JSON})
    check_outcome_json(response, "expired")


# --- CRL checks --------------------------------------------------------------

@pytest.fixture(scope="module")
def crl(apache_factory, pki):
    server = apache_factory.new(
        server_conf="CertHelp On\n",
        default_conf=f"""\
            SSLCARevocationFile {pki.crl_chain_path}
            SSLCARevocationCheck chain
            """,
        vhosts=[
            apache.Vhost("a.test", f"""\
                SSLCARevocationFile {pki.crl_chain_path}
                SSLCARevocationCheck leaf
                """),
            apache.Vhost("b.test", f"""\
                SSLCARevocationFile {pki.crl_root_path}
                SSLCARevocationCheck chain
                """),
        ])
    with server:
        yield Clients(server, pki)


@pytest.mark.parametrize("sni, cert, outcome", [
    (None, "valid", None),
    (None, "chain", None),
    (None, "revoked", "revoked"),
    (None, "via_revoked_intermediate", "revoked"),
    ("a.test", "valid", None),
    ("a.test", "revoked", "revoked"),
    ("a.test", "via_revoked_intermediate", None),
    ("b.test", "valid", None),
    ("b.test", "chain", "revocation-unknown"),
], ids=["chain-valid", "chain-intermediate", "chain-revoked",
        "chain-revoked-intermediate", "leaf-valid", "leaf-revoked",
        "leaf-revoked-intermediate", "no-crl-valid",
        "no-crl-intermediate"])
def test_crl(crl, sni, cert, outcome):
    response = crl.tls(cert).get("/secret.txt", sni=sni,
                                 headers={"Accept": ACCEPT_JSON})
    if outcome is None:
        assert response.status == 200, response.describe()
        assert response.text == apache.SECRET_TEXT
    else:
        check_outcome_json(response, outcome)


@pytest.mark.parametrize("tls", TLS_VERSIONS)
def test_crl_revoked_tls_versions(crl, tls):
    response = crl.tls("revoked", tls=tls).get("/secret.txt")
    check_outcome_html(response, "revoked")


# --- SSLVerifyClient optional_no_ca ------------------------------------------

@pytest.fixture(scope="module")
def no_ca(apache_factory, pki):
    server = apache_factory.new(default_conf="""\
        SSLVerifyClient optional_no_ca
        <Location /protected>
            CertHelp On
        </Location>
        """)
    with server:
        yield Clients(server, pki)


@pytest.mark.parametrize("cert", ["self_signed", "unknown_issuer"])
def test_no_ca_unset_served(no_ca, cert):
    response = no_ca.tls(cert).get("/public/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT
    # mod_ssl itself reports these as FAILED:<reason> (see test_harness).
    assert response.header("X-Verify").startswith("FAILED:"), (
        response.describe())


@pytest.mark.parametrize("cert", ["self_signed", "unknown_issuer"])
def test_no_ca_on_untrusted(no_ca, cert):
    response = no_ca.tls(cert).get("/protected/secret.txt",
                                   headers={"Accept": ACCEPT_JSON})
    check_outcome_json(response, "untrusted")


def test_no_ca_expired(no_ca):
    response = no_ca.tls("expired").get("/protected/secret.txt",
                                        headers={"Accept": ACCEPT_JSON})
    check_outcome_json(response, "expired")
    check_plain_403(no_ca.tls("expired").get("/public/secret.txt"))


def test_no_ca_valid(no_ca):
    response = no_ca.tls("valid").get("/protected/secret.txt")
    assert response.status == 200, response.describe()
