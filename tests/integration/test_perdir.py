"""What mod_ssl keeps for itself: per-directory SSLVerifyClient
(renegotiation on TLS 1.2, post-handshake authentication on TLS 1.3, the
HTTP/2 HTTP_1_1_REQUIRED reset) and failures that mod_ssl detects during
the handshake (SSLVerifyDepth, OCSP). None of them may crash a child or
leak content."""

import subprocess

import pytest

import apache
from clients import REQUEST_TIMEOUT
from conftest import Clients

# The vhost asks for no certificate at the handshake; /reneg asks for one
# later, with a CertHelp error document that must not replace mod_ssl's
# answer.
PERDIR_VHOST = apache.Vhost("a.test", """\
    SSLVerifyClient none
    <Location /reneg>
        SSLVerifyClient require
        CertHelp On
        CertHelpErrorDocument default "certhelp page"
    </Location>
    """)

PERDIR_FILES = {"reneg/secret.txt": apache.SECRET_TEXT}

# mod_ssl's own log lines when a per-directory request has no certificate.
RENEG_LOG = [
    r"AH02261",  # Re-negotiation handshake failed
    r"AH02262",  # Re-negotiation handshake failed: verification
    r"AH10129",
    r"AH10158",  # cannot perform post-handshake authentication
    r"AH02263",  # renegotiation over HTTP/2 is not possible
    r"AH02255",  # renegotiation handshake failed / not supported
    r"AH02225",  # renegotiation for a per-directory verify
    r"AH02221",
    r"AH02039",  # mod_ssl's verify error
    r"SSL Library Error",
    r"AH01964",
]


# mod_ssl logs a refused renegotiation after the response went out, so the
# line can land in the next test's share of the log.
pytestmark = pytest.mark.expected_log(*RENEG_LOG)


@pytest.fixture(scope="module")
def perdir(apache_factory, pki):
    server = apache_factory.new(vhosts=[PERDIR_VHOST], files=PERDIR_FILES)
    with server:
        yield Clients(server, pki)


@pytest.mark.expected_log(*RENEG_LOG)
def test_http2_keeps_http_1_1_required(perdir, pki):
    command = [
        "curl", "--silent", "--show-error", "--verbose", "--http2",
        "--max-time", str(REQUEST_TIMEOUT),
        "--cacert", str(pki.root.cert_path),
        "--resolve", f"a.test:{perdir.server.port}:127.0.0.1",
        f"https://a.test:{perdir.server.port}/reneg/secret.txt",
    ]
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=REQUEST_TIMEOUT + 5)
    assert "HTTP_1_1_REQUIRED" in result.stderr, result.stderr
    assert "certhelp page" not in result.stdout
    assert "secret content" not in result.stdout


@pytest.mark.expected_log(*RENEG_LOG)
def test_tls13_without_pha_gets_mod_ssl_403(perdir):
    response = perdir.tls(tls="1.3").get("/reneg/secret.txt", sni="a.test",
                                         host="a.test")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert "certhelp page" not in response.text


def test_tls13_post_handshake_auth_valid(perdir):
    client = perdir.tls("valid", tls="1.3")
    client.context.post_handshake_auth = True
    response = client.get("/reneg/secret.txt", sni="a.test", host="a.test")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


@pytest.mark.expected_log(*RENEG_LOG)
def test_tls13_post_handshake_auth_expired(perdir):
    client = perdir.tls("expired", tls="1.3")
    client.context.post_handshake_auth = True
    result = client.exchange(["/reneg/secret.txt"], sni="a.test",
                             host="a.test")
    for response in result.responses:
        assert response.status != 200, response.describe()
        assert "secret content" not in response.text


def test_tls12_renegotiation_valid(perdir):
    response = perdir.tls("valid", tls="1.2").get(
        "/reneg/secret.txt", sni="a.test", host="a.test")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


@pytest.mark.expected_log(*RENEG_LOG)
@pytest.mark.parametrize("cert", [None, "expired"])
def test_tls12_renegotiation_refused(perdir, cert):
    result = perdir.tls(cert, tls="1.2").exchange(
        ["/reneg/secret.txt"], sni="a.test", host="a.test")
    for response in result.responses:
        assert response.status == 403, response.describe()
        assert "secret content" not in response.text
    assert perdir.tls("valid", tls="1.2").get(
        "/secret.txt", sni="a.test", host="a.test").status == 200


# --- failures mod_ssl detects in its own verify callback ---------------------

DEPTH_CONF = """\
SSLVerifyDepth 0
CertHelp On
"""

DEPTH_LOG = [r"AH02040", r"AH02039", r"SSL Library Error", r"AH02261"]


@pytest.fixture(scope="module")
def shallow(apache_factory, pki):
    server = apache_factory.new(default_conf=DEPTH_CONF)
    with server:
        yield Clients(server, pki)


@pytest.mark.expected_log(*DEPTH_LOG)
@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_verify_depth_ends_in_alert(shallow, tls):
    result = shallow.tls("chain", tls=tls).exchange(["/secret.txt"])
    assert not any("secret content" in r.text for r in result.responses)
    assert result.error is not None or all(
        r.status == 403 for r in result.responses), result


@pytest.mark.expected_log(*DEPTH_LOG)
def test_verify_depth_server_survives(shallow):
    shallow.tls("chain").exchange(["/secret.txt"])
    response = shallow.tls().get("/secret.txt")
    assert response.status == 403, response.describe()
    crashes = [line for line in shallow.server.error_lines()
               if "exit signal" in line]
    assert crashes == []


OCSP_LOG = [r"AH01\d\d\d", r"AH02\d\d\d", r"AH0343\d", r"SSL Library Error",
            r"OCSP"]


@pytest.fixture(scope="module")
def ocsp(apache_factory, pki):
    # A responder address where nothing listens: every OCSP query fails.
    port = apache.free_port()
    server = apache_factory.new(default_conf=(
        "CertHelp On\n"
        "SSLOCSPEnable leaf\n"
        f"SSLOCSPDefaultResponder http://127.0.0.1:{port}/\n"
        "SSLOCSPOverrideResponder on\n"
        "SSLOCSPResponderTimeout 2\n"))
    with server:
        yield Clients(server, pki)


@pytest.mark.expected_log(*OCSP_LOG)
@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_ocsp_failure_no_content(ocsp, tls):
    result = ocsp.tls("valid", tls=tls).exchange(["/secret.txt"])
    assert not any("secret content" in r.text for r in result.responses)


@pytest.mark.expected_log(*OCSP_LOG)
def test_ocsp_soft_failed_cert_still_answered(ocsp):
    # OpenSSL rejects the expired certificate before mod_ssl would ask the
    # responder, so soft-fail answers it as usual.
    response = ocsp.tls("expired").get("/secret.txt")
    assert response.status == 403, response.describe()
    assert response.title() == "403.17 Client certificate expired"
