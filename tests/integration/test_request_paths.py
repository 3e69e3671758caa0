"""Less common ways to reach a page.

The cases are core error documents, a 403 before the access phase,
internal redirects, subrequests, renegotiation and post-handshake
authentication, and HTTP/2. Session resumption is checked with OpenSSL's
and curl's clients, then hostile CA names in the certificate request,
merged templates and a graceful restart."""

import re
import subprocess
import time

import pytest

import apache
from clients import REQUEST_TIMEOUT
from conftest import Clients
from outcomes import (ACCEPT_JSON, ACCEPT_TEXT, check_outcome_html,
                      check_outcome_json)

# mod_authz_core logs each refusal at error level.
AUTHZ_LOG = r"AH01630: client denied by server configuration"

# mod_ssl's lines for a renegotiation or post-handshake authentication.
RENEG_LOG = [r"AH02261", r"AH02262", r"AH10129", r"AH10158", r"AH02263",
             r"AH02255", r"AH02225", r"AH02221", r"AH02039",
             r"SSL Library Error", r"AH01964"]

# mod_ssl logs each SSLRequire refusal at error level.
SSLREQUIRE_LOG = r"SSL requirement expression not fulfilled"

# mod_include logs a refused subrequest at error level.
INCLUDE_LOG = r"unable to include"

FAILING_REQUIRE = "Require expr %{SSL_CLIENT_S_DN_CN} == 'nobody'"

DEFAULT_CONF = f"""\
<Location /protected>
    CertHelp On
</Location>
<Location /open>
    CertHelp Off
</Location>
<Location /members>
    CertHelp On
    {FAILING_REQUIRE}
</Location>
<Location /coredoc>
    CertHelp On
    ErrorDocument 403 /help/outcome.shtml
    {FAILING_REQUIRE}
</Location>
<Location /coremsg>
    CertHelp On
    ErrorDocument 403 "core message"
    {FAILING_REQUIRE}
</Location>
<Location /sslrequire>
    CertHelp On
    SSLRequire %{{SSL_CLIENT_S_DN_CN}} eq "nobody"
</Location>
<Location /sslrequire-doc>
    CertHelp On
    CertHelpErrorDocument denied /help/outcome.shtml
    SSLRequire %{{SSL_CLIENT_S_DN_CN}} eq "nobody"
</Location>
<Location /strict>
    SSLVerifyDepth 1
    CertHelp On
    CertHelpErrorDocument denied /help/page.html
</Location>
RewriteEngine On
RewriteRule ^/alias/(.*)$ /members/$1 [PT]
"""

# A virtual host with CertHelp On for every path and a RewriteRule that
# forbids a path in the translate phase, before any access checker runs.
EARLY_VHOST = apache.Vhost("a.test", """\
    CertHelp On
    RewriteEngine On
    RewriteRule ^/early/ - [F]
    """)

# No certificate at the handshake: the per-directory SSLVerifyClient requests
# for one by renegotiation (TLS 1.2) or post-handshake authentication.
RENEG_VHOST = apache.Vhost("b.test", f"""\
    SSLVerifyClient none
    <Location /members>
        SSLVerifyClient require
        CertHelp On
        {FAILING_REQUIRE}
    </Location>
    <Location /members-doc>
        SSLVerifyClient require
        CertHelp On
        CertHelpErrorDocument denied /help/outcome.shtml
        {FAILING_REQUIRE}
    </Location>
    <Location /help>
        CertHelp Off
    </Location>
    """)

FILES = {
    "members/secret.txt": apache.SECRET_TEXT,
    "members/dir/index.html": apache.SECRET_TEXT,
    "members-doc/secret.txt": apache.SECRET_TEXT,
    "coredoc/secret.txt": apache.SECRET_TEXT,
    "coremsg/secret.txt": apache.SECRET_TEXT,
    "early/secret.txt": apache.SECRET_TEXT,
    "sslrequire/secret.txt": apache.SECRET_TEXT,
    "sslrequire-doc/secret.txt": apache.SECRET_TEXT,
    "strict/secret.txt": apache.SECRET_TEXT,
    "protected/dir/index.html": apache.SECRET_TEXT,
    "open/include-protected.shtml":
        'before <!--#include virtual="/protected/secret.txt" --> after\n',
    "open/include-members.shtml":
        'before <!--#include virtual="/members/secret.txt" --> after\n',
    "open/include-public.shtml":
        'before <!--#include virtual="/public/secret.txt" --> after\n',
}


def open_dir_conf(docroot):
    """Per-directory rewrites in /open (CertHelp Off): an internal redirect
    to a protected, an unset and a refused path."""
    return f"""\
<Directory {docroot}/open>
    RewriteEngine On
    RewriteRule ^to-protected/(.*)$ /protected/$1 [PT]
    RewriteRule ^to-public/(.*)$ /public/$1 [PT]
    RewriteRule ^to-members/(.*)$ /members/$1 [PT]
</Directory>
"""


@pytest.fixture(scope="module")
def paths(apache_factory, pki):
    server = apache_factory.new(default_conf=DEFAULT_CONF,
                                vhosts=[EARLY_VHOST, RENEG_VHOST],
                                files=FILES,
                                expected_log=[AUTHZ_LOG, SSLREQUIRE_LOG, INCLUDE_LOG,
                                              *RENEG_LOG])
    server.server_conf = open_dir_conf(server.docroot)
    with server:
        yield Clients(server, pki)


def check_not_403_12(response):
    """A 403 that is neither content nor the 403.12 page."""
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert not (response.title() or "").startswith("403.12"), (
        response.describe())


# --- core ErrorDocument 403 with CertHelp On ---------------------------------

def test_core_errordocument_verified_denied(paths):
    response = paths.tls("valid").get("/coredoc/secret.txt")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert "outcome=denied\n" in response.text, response.text
    assert "substatus=403.12\n" in response.text, response.text


def test_core_errordocument_expired_outcome(paths):
    response = paths.tls("expired").get("/coredoc/secret.txt")
    check_outcome_html(response, "expired")


def test_core_errordocument_message_replaced(paths):
    response = paths.tls("valid").get("/coremsg/secret.txt")
    check_outcome_html(response, "denied")
    assert "core message" not in response.text


# --- SSLRequire -----------------------------------------------------------------

@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_sslrequire_refusal_403_12(paths, tls):
    response = paths.tls("valid", tls=tls).get("/sslrequire/secret.txt")
    check_outcome_html(response, "denied")


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_sslrequire_refusal_local_target(paths, tls):
    response = paths.tls("valid", tls=tls).get("/sslrequire-doc/secret.txt")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert "outcome=denied\n" in response.text, response.describe()


# --- 403 before the access phase ---------------------------------------------

@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_rewrite_forbidden_not_403_12(paths, tls):
    # The 403 comes from the translate phase, before CertHelp's header
    # parser runs, so it stays a plain 403.
    response = paths.tls("valid", tls=tls).get(
        "/early/secret.txt", sni="a.test")
    check_not_403_12(response)


def test_rewrite_forbidden_failed_cert(paths):
    response = paths.tls("expired").get("/early/secret.txt",
                                         sni="a.test")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text


# --- internal redirects and subrequests --------------------------------------

@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_rewrite_pt_to_protected_denied(paths, tls):
    result = paths.tls("expired", tls=tls).exchange(
        ["/open/to-protected/secret.txt", "/open/to-protected/secret.txt"])
    assert result.error is None, result.error
    for response in result.responses:
        check_outcome_html(response, "expired")


def test_rewrite_pt_to_unset_plain(paths):
    response = paths.tls("expired").get("/open/to-public/secret.txt")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert not re.match(r"403\.\d+ ", response.title() or "")


def test_rewrite_pt_to_members_403_12(paths):
    response = paths.tls("valid").get("/open/to-members/secret.txt")
    check_outcome_html(response, "denied")


def test_server_rewrite_pt_403_12(paths):
    response = paths.tls("valid").get("/alias/secret.txt")
    check_outcome_html(response, "denied")


@pytest.mark.parametrize("cert,outcome", [("expired", "expired"),
                                          ("valid", "denied")])
def test_directory_index_denied(paths, cert, outcome):
    path = "/protected/dir/" if outcome == "expired" else "/members/dir/"
    response = paths.tls(cert).get(path)
    check_outcome_html(response, outcome)


@pytest.mark.parametrize("page", ["include-protected", "include-public"])
def test_ssi_include_failed_cert(paths, page):
    result = paths.tls("expired").exchange(
        [f"/open/{page}.shtml", f"/open/{page}.shtml"])
    assert result.error is None, result.error
    for response in result.responses:
        assert response.status == 200, response.describe()
        assert "secret content" not in response.text
        assert "before" in response.text


def test_ssi_include_refused_subrequest(paths):
    response = paths.tls("valid").get("/open/include-members.shtml")
    assert response.status == 200, response.describe()
    assert "secret content" not in response.text
    assert "before" in response.text


# --- HTTP/2 ------------------------------------------------------------------

def test_http2_authz_refusal_json(paths):
    result = paths.curl("/members/secret.txt", cert="valid", http2=True,
                         headers={"Accept": ACCEPT_JSON})
    assert result.response is not None, result.stderr
    assert result.response.http_version == "2"
    check_outcome_json(result.response, "denied")


def test_http2_rewrite_to_protected(paths):
    result = paths.curl("/open/to-protected/secret.txt", cert="expired",
                         http2=True, headers={"Accept": ACCEPT_JSON})
    assert result.response is not None, result.stderr
    check_outcome_json(result.response, "expired")


# --- renegotiation and post-handshake authentication -------------------------

def test_tls12_renegotiated_refusal_403_12(paths):
    response = paths.tls("valid", tls="1.2").get(
        "/members/secret.txt", sni="b.test")
    check_outcome_html(response, "denied")


def test_tls12_renegotiated_refusal_local_target(paths):
    # Same request as above, with a local 403.12 target.
    response = paths.tls("valid", tls="1.2").get(
        "/members-doc/secret.txt", sni="b.test")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert "outcome=denied\n" in response.text, response.describe()


def test_tls13_pha_refusal_403_12(paths):
    client = paths.tls("valid", tls="1.3")
    client.context.post_handshake_auth = True
    response = client.get("/members/secret.txt", sni="b.test")
    check_outcome_html(response, "denied")


def test_tls13_pha_refusal_local_target(paths):
    client = paths.tls("valid", tls="1.3")
    client.context.post_handshake_auth = True
    response = client.get("/members-doc/secret.txt", sni="b.test")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text
    assert "outcome=denied\n" in response.text, response.describe()


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_renegotiation_expired_no_content(paths, tls):
    client = paths.tls("expired", tls=tls)
    client.context.post_handshake_auth = True
    result = client.exchange(["/members/secret.txt"], sni="b.test")
    for response in result.responses:
        check_not_403_12(response)


def test_http2_renegotiation_keeps_reset_with_target(paths, pki):
    # A verified certificate and a local 403.12 target: mod_ssl's 403 for
    # the renegotiation that HTTP/2 cannot do must stay a bare 403, so
    # that mod_http2 sends HTTP_1_1_REQUIRED.
    client = pki.client("valid")
    command = [
        "curl", "--silent", "--show-error", "--verbose", "--http2",
        "--max-time", str(REQUEST_TIMEOUT),
        "--cacert", str(pki.root.cert_path),
        "--cert", str(client.cert_path), "--key", str(client.key_path),
        paths.server.url("/strict/secret.txt"),
    ]
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=REQUEST_TIMEOUT + 5)
    assert "HTTP_1_1_REQUIRED" in result.stderr, result.stderr
    assert "help page" not in result.stdout


# --- resumption with openssl s_client and curl -------------------------------

def s_client_session(clients, tls, cert, session_file, *, reuse):
    """Request /protected/secret.txt with openssl s_client, writing the
    session to `session_file` or offering the one stored there."""
    command = [
        "openssl", "s_client", "-connect",
        f"127.0.0.1:{clients.server.port}",
        "-tls1_3" if tls == "1.3" else "-tls1_2",
        "-CAfile", str(clients.pki.root.cert_path), "-noservername",
        "-ign_eof", "-sess_in" if reuse else "-sess_out", str(session_file),
    ]
    if cert is not None:
        client = clients.pki.client(cert)
        command += ["-cert", str(client.cert_path), "-key",
                    str(client.key_path)]
    request = (b"GET /protected/secret.txt HTTP/1.1\r\nHost: localhost\r\n"
               b"Accept: text/plain\r\nConnection: close\r\n\r\n")
    done = subprocess.run(command, input=request, capture_output=True,
                          timeout=REQUEST_TIMEOUT)
    return (done.stdout + done.stderr).decode("utf-8", errors="replace")


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_s_client_valid_session_reused(paths, tls, tmp_path):
    session = tmp_path / "session.pem"
    first = s_client_session(paths, tls, "valid", session, reuse=False)
    assert "secret content" in first, first
    assert session.exists(), first
    assert session.stat().st_size > 0, first
    second = s_client_session(paths, tls, "valid", session, reuse=True)
    assert re.search(r"^Reused, ", second, re.M), second
    assert "secret content" in second, second


@pytest.mark.parametrize("second_cert,title", [
    (None, "403.7 "), ("expired", "403.17 ")])
@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_s_client_failed_session_not_reused(paths, tls, second_cert, title,
                                            tmp_path):
    session = tmp_path / "session.pem"
    first = s_client_session(paths, tls, "expired", session, reuse=False)
    assert "HTTP/1.1 403" in first, first
    assert "403.17 " in first, first
    assert session.exists(), first
    assert session.stat().st_size > 0, first
    second = s_client_session(paths, tls, second_cert, session, reuse=True)
    assert not re.search(r"^Reused, ", second, re.M), second
    assert re.search(r"^New, ", second, re.M), second
    assert "HTTP/1.1 403" in second, second
    assert title in second, second
    assert "secret content" not in second


@pytest.mark.parametrize("tls", ["1.2", "1.3"])
def test_curl_reuses_failed_session(paths, pki, tls):
    # "Connection: close" makes curl open a new connection for each URL
    # and offer the session of the previous one.
    client = pki.client("expired")
    port = paths.server.port
    command = [
        "curl", "--silent", "--show-error", "--verbose", "--http1.1",
        f"--tlsv{tls}", "--tls-max", tls, "--max-time",
        str(REQUEST_TIMEOUT), "--cacert", str(pki.root.cert_path),
        "--cert", str(client.cert_path), "--key", str(client.key_path),
        "--header", "Connection: close", "--header", "Accept: text/plain",
        "--write-out", "\\nstatus=%{http_code}\\n",
    ]
    urls = ["/protected/secret.txt", "/public/secret.txt",
            "/protected/secret.txt"]
    command += [paths.server.url(path) for path in urls]
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=3 * REQUEST_TIMEOUT)
    assert re.search(r"re-?using session", result.stderr), result.stderr
    assert re.findall(r"^status=(\d+)$", result.stdout, re.M) == [
        "403", "403", "403"], result.stdout
    assert "secret content" not in result.stdout
    assert result.stdout.count("403.17 ") == 2, result.stdout


# --- hostile CA names in the certificate request -----------------------------

@pytest.fixture(scope="module")
def hostile_cas(apache_factory, pki):
    conf = f"""\
SSLCADNRequestFile {pki.client("hostile").cert_path}
<Location /protected>
    CertHelp On
</Location>
"""
    server = apache_factory.new(default_conf=conf)
    with server:
        yield Clients(server, pki)


def test_hostile_ca_name_html(hostile_cas):
    for _ in range(2):
        response = hostile_cas.tls().get("/protected/secret.txt")
        check_outcome_html(response, "missing")
        assert "Mallory" in response.text, response.text
        assert "<script" not in response.text.lower()
        assert "<b>" not in response.text
        assert "&amp;amp;" not in response.text
        assert "CertHelp Test Root CA" not in response.text


def test_hostile_ca_name_json(hostile_cas):
    response = hostile_cas.tls().get("/protected/secret.txt",
                                     headers={"Accept": ACCEPT_JSON})
    names = response.json()["accepted_cas"]
    assert len(names) == 1, names
    assert "Mallory" in names[0]
    assert "\r" not in names[0], names
    assert "\n" not in names[0], names


def test_hostile_ca_name_text(hostile_cas):
    response = hostile_cas.tls().get("/protected/secret.txt",
                                     headers={"Accept": ACCEPT_TEXT})
    assert response.status == 403, response.describe()
    lines = response.text.splitlines()
    assert not any(line.startswith("Injected") for line in lines), (
        response.text)
    assert any("Mallory" in line for line in lines), response.text


# --- templates in merged configurations --------------------------------------

def template_text(marker):
    return (f'<!DOCTYPE html>\n<html lang="{{{{lang}}}}"><head><title>'
            f'{{{{heading}}}}</title></head><body>'
            f'<p id="marker">{marker}</p><p id="subject">{{{{subject}}}}</p>'
            f'<p id="path">{{{{request_path}}}}</p>{{{{accepted_cas}}}}'
            f'</body></html>\n')


TEMPLATE_CONF = """\
CertHelpTemplate conf/vhost.html
<Location /protected>
    CertHelp On
</Location>
<Location /protected/loc>
    CertHelpTemplate conf/location.html
</Location>
<Location /protected/loc/default>
    CertHelpTemplate default
</Location>
<Location /protected/loc/default/again>
    CertHelpTemplate conf/location.html
</Location>
"""

TEMPLATE_FILES = {
    "protected/loc/secret.txt": apache.SECRET_TEXT,
    "protected/loc/default/secret.txt": apache.SECRET_TEXT,
    "protected/loc/default/again/secret.txt": apache.SECRET_TEXT,
}


def start_template_server(apache_factory):
    server = apache_factory.new(default_conf=TEMPLATE_CONF,
                                files=TEMPLATE_FILES)
    server.write_config()
    (server.root / "conf" / "vhost.html").write_text(
        template_text("vhost template"))
    (server.root / "conf" / "location.html").write_text(
        template_text("location template"))
    return server.start()


@pytest.fixture(scope="module")
def templates(apache_factory, pki):
    server = start_template_server(apache_factory)
    yield Clients(server, pki)
    server.stop()


@pytest.mark.parametrize("path,marker", [
    ("/protected/secret.txt", "vhost template"),
    ("/protected/loc/secret.txt", "location template"),
    ("/protected/loc/default/secret.txt", None),
    ("/protected/loc/default/again/secret.txt", "location template"),
])
def test_template_merge(templates, path, marker):
    response = templates.tls("hostile_expired").get(path)
    assert response.status == 403, response.describe()
    assert response.title() == "403.17 Client certificate expired"
    if marker is None:
        check_outcome_html(response, "expired")
        assert 'id="marker"' not in response.text
    else:
        assert f'<p id="marker">{marker}</p>' in response.text, (
            response.text)
    assert "Mallory" in response.text
    assert "<script" not in response.text.lower()
    assert "<b>" not in response.text


def test_template_hostile_path(templates):
    response = templates.tls().get(
        "/protected/loc/%3Cscript%3Ex%3C/script%3E%22%27.txt")
    assert response.status == 403, response.describe()
    assert '<p id="marker">location template</p>' in response.text
    assert "<script" not in response.text.lower()
    assert "CertHelp Test Root CA" in response.text, response.text


# --- graceful restart --------------------------------------------------------

def wait_for_page(clients, path, text, timeout=10.0):
    """Request `path` until the page contains `text`; return the last
    response."""
    deadline = time.monotonic() + timeout
    while True:
        response = clients.tls("expired").get(path)
        if text in response.text or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


@pytest.mark.expected_log(r"AH00493|SIGUSR1")
def test_graceful_rereads_template(apache_factory, pki):
    server = start_template_server(apache_factory)
    try:
        clients = Clients(server, pki)
        before = clients.tls("expired").get("/protected/loc/secret.txt")
        assert "location template" in before.text, before.text
        (server.root / "conf" / "location.html").write_text(
            template_text("reloaded template"))
        restart = server.graceful()
        assert restart.returncode == 0, restart.stderr
        after = wait_for_page(clients, "/protected/loc/secret.txt",
                              "reloaded template")
        assert '<p id="marker">reloaded template</p>' in after.text, (
            after.text)
        assert after.title() == "403.17 Client certificate expired"
        vhost = clients.tls("expired").get("/protected/secret.txt")
        assert '<p id="marker">vhost template</p>' in vhost.text
        missing = clients.tls().get("/protected/secret.txt",
                                    headers={"Accept": ACCEPT_JSON})
        assert any("CertHelp Test Root CA" in name
                   for name in missing.json()["accepted_cas"])
        valid = clients.tls("valid").get("/protected/secret.txt")
        assert valid.status == 200, valid.describe()
    finally:
        server.stop()
