"""Checks of the harness itself against plain Apache (no mod_certhelp).

They also record the behaviour that mod_certhelp changes: with
SSLVerifyClient optional, mod_ssl alone aborts the handshake of a
certificate that fails verification.
"""

import os
import time
from pathlib import Path

import pytest

import apache
from conftest import Clients


@pytest.fixture(scope="module")
def plain(plain_apache_factory, pki):
    server = plain_apache_factory.new()
    with server:
        yield Clients(server, pki)


def test_valid_cert_gets_content(plain):
    response = plain.tls("valid", tls="1.3").get("/protected/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT
    assert response.header("X-Verify") == "SUCCESS"


def test_no_cert_gets_content(plain):
    response = plain.tls(None, tls="1.2").get("/protected/secret.txt")
    assert response.status == 200, response.describe()
    assert response.header("X-Verify") == "NONE"


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_expired_cert_aborted(plain, tls):
    result = plain.tls("expired", tls=tls).exchange("/protected/secret.txt")
    assert result.responses == []
    assert "CERTIFICATE_EXPIRED" in (result.error or ""), result.error


def test_expired_cert_alert_in_s_client(plain):
    result = plain.s_client(
        "expired", tls="1.3",
        request=b"GET / HTTP/1.1\r\nHost: localhost\r\n"
                b"Connection: close\r\n\r\n")
    assert result.alert_number == 45, result.output
    assert result.alert_text == "certificate expired", result.output


@pytest.fixture(scope="module")
def plain_no_ca(plain_apache_factory, pki):
    server = plain_apache_factory.new(
        default_conf="SSLVerifyClient optional_no_ca\n")
    with server:
        yield Clients(server, pki)


@pytest.mark.parametrize("cert", ["self_signed", "unknown_issuer"])
def test_no_ca_served_as_failed(plain_no_ca, cert):
    # mod_ssl 2.4 lets the CA errors through but keeps OpenSSL's verify
    # result, so SSL_CLIENT_VERIFY reads FAILED:<reason>, not GENEROUS.
    response = plain_no_ca.tls(cert).get("/verify.shtml")
    assert response.status == 200, response.describe()
    assert response.header("X-Verify").startswith("FAILED:")
    assert "expr=NOT-SUCCESS\n" in response.text


def test_curl_http2_valid_cert(plain):
    result = plain.curl("/protected/secret.txt", cert="chain", http2=True,
                        host="a.test")
    assert result.response is not None, result.stderr
    assert result.response.http_version == "2"
    assert result.response.status == 200
    assert result.response.text == apache.SECRET_TEXT


def test_access_log_fields(plain):
    plain.tls("valid").get("/public/secret.txt?token=harness1")
    entry = plain.server.wait_for_access("token=harness1")
    assert entry is not None
    assert entry["status"] == "200"
    assert entry["verify"] == "SUCCESS"
    assert entry["outcome"] == "-"


def test_unexpected_warning_detected(plain):
    lines = [
        "[Thu Dec 04 10:00:00.000000 2025] [ssl:warn] [pid 1] AH01909: x",
        "[Thu Dec 04 10:00:00.000000 2025] [core:info] [pid 1] AH00000: y",
        "[Thu Dec 04 10:00:00.000000 2025] [:error] [pid 1] CH00099: z",
    ]
    assert apache.find_unexpected_lines(lines, []) == [lines[0], lines[2]]
    assert apache.find_unexpected_lines(lines, [r"AH01909"]) == [lines[2]]


def group_members(pgid):
    """Return the pids whose process group is `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    members.append(int(entry.name))
            except ProcessLookupError:
                pass
    return members


def test_kill_leaves_no_children(plain_apache_factory):
    server = plain_apache_factory.new().start()
    pid = server.pid
    assert len(group_members(pid)) > 1, "no children to check"
    server._kill()
    deadline = time.monotonic() + 10
    while group_members(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_members(pid) == [], "children survived the kill"
    server.pid = None
    apache.Apache.live.remove(server)
