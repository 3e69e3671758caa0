"""Attacks on soft-failed connections, on the module's log lines and on its
configuration. Each test checks a behaviour that the documentation
promises."""

import os
import re
import time

import pytest

import apache
from conftest import Clients

TLS_VERSIONS = ["1.2", "1.3"]
FORGED_CERTS = ["expired", "self_signed"]

# A path that CertHelp opens and that mod_ssl's legacy SSLRequire guards.
# docs/migration.md lists SSLRequire under "Rules you can keep" and says
# that a soft-failed certificate is never granted.
SSLREQUIRE_CONF = """\
<Location /open>
    CertHelp Off
</Location>
<Location /open/sslrequire>
    SSLRequire %{SSL_CLIENT_VERIFY} eq "SUCCESS"
</Location>
"""

SSLREQUIRE_FILES = {"open/sslrequire/secret.txt": apache.SECRET_TEXT}

# mod_ssl logs every SSLRequire denial at error level.
SSLREQUIRE_DENIED_LOG = r"SSL requirement expression not fulfilled"


@pytest.fixture(scope="module")
def sslrequire(apache_factory, pki):
    server = apache_factory.new(default_conf=SSLREQUIRE_CONF,
                                files=SSLREQUIRE_FILES,
                                expected_log=[SSLREQUIRE_DENIED_LOG])
    with server:
        yield Clients(server, pki)


@pytest.mark.parametrize("tls", TLS_VERSIONS)
@pytest.mark.parametrize("cert", FORGED_CERTS)
def test_sslrequire_denies_failed_cert(sslrequire, cert, tls):
    # On TLS 1.2, mod_ssl's access checker resets the verify result to
    # X509_V_OK and evaluates SSLRequire in the same hook, before
    # CertHelp's checker puts the failure back.
    result = sslrequire.tls(cert, tls=tls).exchange(
        ["/open/sslrequire/secret.txt", "/open/sslrequire/secret.txt"])
    assert len(result.responses) == 2, result.error
    for response in result.responses:
        assert response.status == 403, response.describe()
        assert "secret content" not in response.text


@pytest.mark.parametrize("tls", TLS_VERSIONS)
def test_sslrequire_grants_valid_cert(sslrequire, tls):
    response = sslrequire.tls("valid", tls=tls).get(
        "/open/sslrequire/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


# --- mod_cache's quick handler -----------------------------------------------

CACHE_CONF = f"""\
LoadModule cache_module {apache.MODULE_DIR}/mod_cache.so
LoadModule cache_socache_module {apache.MODULE_DIR}/mod_cache_socache.so
CacheSocache shmcb
CacheEnable socache /
CacheDefaultExpire 600
CacheHeader on
"""


@pytest.fixture(scope="module")
def cached(apache_factory, pki):
    server = apache_factory.new(server_conf=CACHE_CONF,
                                default_conf="CertHelp On\n")
    with server:
        # An old Last-Modified makes the entity fresh for mod_cache's
        # heuristic, so that the second request is a quick-handler hit.
        year_ago = time.time() - 365 * 86400
        os.utime(server.docroot / "secret.txt", (year_ago, year_ago))
        yield Clients(server, pki)


@pytest.mark.parametrize("cert", FORGED_CERTS)
def test_cache_hit_not_served_to_failed(cached, cert):
    # docs/security.md: every request on a soft-failed connection is
    # decided before content. mod_cache's quick handler runs before the
    # access phase, so a cached entity needs the same decision.
    first = cached.tls("valid").get("/secret.txt")
    assert first.status == 200, first.describe()
    second = cached.tls("valid").get("/secret.txt")
    assert "HIT" in (second.header("X-Cache") or ""), second.describe()

    response = cached.tls(cert).get("/secret.txt")
    assert response.status == 403, response.describe()
    assert "secret content" not in response.text


# --- log field framing -------------------------------------------------------

# Regular expression for a quoted field of a CH00002 line, read with
# backslash escapes.
_QUOTED = r'"((?:[^"\\]|\\.)*)"'


@pytest.fixture(scope="module")
def logged(apache_factory, pki):
    server = apache_factory.new(default_conf="CertHelp On\n")
    with server:
        yield Clients(server, pki)


def test_log_subject_quote_stays_in_field(logged):
    # The hostile subject contains a double quote. docs/log-tags.md: a
    # double quote becomes \" so that the subject stays one field.
    # httpd's error log escapes backslashes again, so the file has \\"
    # and the quote ends the field early.
    mark = logged.server.log_mark()
    logged.tls("hostile_expired").exchange("/secret.txt")
    lines = logged.server.wait_for_log(r"CH00002", since=mark)
    assert len(lines) == 1, lines
    match = re.search(r"subject " + _QUOTED + r" issuer " + _QUOTED,
                      lines[0])
    assert match is not None, lines[0]
    assert "Mallory" in match.group(1)
    assert "CertHelp Test Root CA" in match.group(2)


def test_log_sni_quote_stays_in_field(logged):
    mark = logged.server.log_mark()
    result = logged.s_client(cert="expired", sni='x"y',
                             request=b"GET / HTTP/1.1\r\nHost: localhost\r\n"
                                     b"Connection: close\r\n\r\n")
    assert "HTTP/1.1 403" in result.output, result.output
    lines = logged.server.wait_for_log(r"CH00002", since=mark)
    assert len(lines) == 1, lines
    match = re.search(r"SNI " + _QUOTED + r", vhost ", lines[0])
    assert match is not None, lines[0]
    assert "y" in match.group(1)


# --- configuration -----------------------------------------------------------

@pytest.mark.parametrize("section", ["Limit POST", "LimitExcept GET"])
def test_certhelp_in_limit_rejected(apache_factory, section):
    # httpd applies a non-access directive inside <Limit> to every method,
    # so "<Limit POST> CertHelp Off" would open GET too.
    name = section.split()[0]
    server = apache_factory.new(default_conf=(
        f"CertHelp On\n<Location /open>\n<{section}>\n    CertHelp Off\n"
        f"</{name}>\n</Location>\n"))
    server.write_config()
    code, output = server.config_test()
    assert code != 0, output
    assert "CertHelp" in output


# --- Satisfy Any -------------------------------------------------------------

SATISFY_ANY_CONF = """\
CertHelp On
<Location /open>
    Satisfy Any
    Require all granted
</Location>
"""


def test_satisfy_any_denial_logged_once(apache_factory, pki):
    # docs/log-tags.md: one CH00001 line per denied request. Under
    # "Satisfy Any" the access checker and the fixups backstop both deny.
    server = apache_factory.new(default_conf=SATISFY_ANY_CONF)
    with server:
        mark = server.log_mark()
        response = Clients(server, pki).tls("expired").get("/open/secret.txt")
        assert response.status == 403, response.describe()
        assert "secret content" not in response.text
        server.wait_for_log(r"CH00001", since=mark, count=2, timeout=2)
        lines = [line for line in server.error_lines(mark)
                 if "CH00001" in line]
        assert len(lines) == 1, lines
