"""Configuration: rejected directive values, startup warnings, merging
across server, virtual host, <Directory>, <Location> and .htaccess."""

import pytest

import apache
from conftest import Clients
from outcomes import OUTCOMES

OUTCOME_CHOICES = [name for name in OUTCOMES]
SUBSTATUS_CHOICES = ["403.7", "403.12", "403.13", "403.16", "403.17"]
ERRORDOCUMENT_CHOICES = OUTCOME_CHOICES + SUBSTATUS_CHOICES + ["default"]


def config_test(factory, default_conf="", server_conf=""):
    server = factory.new(default_conf=default_conf, server_conf=server_conf)
    server.write_config()
    return server.config_test()


def test_valid_config_accepted(apache_factory):
    code, output = config_test(
        apache_factory,
        server_conf="CertHelp Off\nCertHelpSoftFail On\n",
        default_conf=(
            "CertHelp On\n"
            "CertHelpSoftFail Off\n"
            "CertHelpErrorDocument missing /help/page.html\n"
            "CertHelpErrorDocument 403.17 \"dates\"\n"
            "CertHelpErrorDocument default https://help.invalid/x?a=b\n"
            "<Location /x>\n"
            "    CertHelp Off\n"
            "    CertHelpErrorDocument not-yet-valid /help/page.html\n"
            "    CertHelpErrorDocument revocation-unknown default\n"
            "    CertHelpErrorDocument denied \"ask the helpdesk\"\n"
            "    CertHelpErrorDocument 403.12 /help/denied.html\n"
            "    CertHelpDisclosure minimal\n"
            "    CertHelpTemplate default\n"
            "    CertHelpExpiryWarning 14 X-Days-Left\n"
            "</Location>\n"))
    assert code == 0, output
    assert "Syntax OK" in output


@pytest.mark.parametrize("line, value, choices", [
    ("CertHelp Maybe", "Maybe", ["On", "Off"]),
    ("CertHelpSoftFail Sometimes", "Sometimes", ["On", "Off"]),
    ("CertHelpErrorDocument bogus /help/page.html", "bogus",
     ERRORDOCUMENT_CHOICES),
    ("CertHelpErrorDocument success /help/page.html", "success",
     ERRORDOCUMENT_CHOICES),
    ("CertHelpErrorDocument 403.99 /help/page.html", "403.99",
     ERRORDOCUMENT_CHOICES),
    ("CertHelpErrorDocument 403.8 /help/page.html", "403.8",
     ERRORDOCUMENT_CHOICES),
    ("CertHelpDisclosure everything", "everything", ["details", "minimal"]),
    ("CertHelpExpiryWarning soon", "soon", ["1", "3650", "Off"]),
    ("CertHelpExpiryWarning 0", "0", ["1", "3650", "Off"]),
    ("CertHelpExpiryWarning 30 Bad:Header", "Bad:Header", []),
    ("CertHelpTemplate /nonexistent/page.html", "/nonexistent/page.html",
     []),
], ids=["certhelp", "softfail", "errordoc-name", "errordoc-success",
        "errordoc-403.99", "errordoc-403.8", "disclosure", "expiry-word",
        "expiry-zero", "expiry-header", "template-missing"])
def test_bad_value_rejected(apache_factory, line, value, choices):
    code, output = config_test(apache_factory, default_conf=line + "\n")
    assert code != 0, output
    directive = line.split()[0]
    assert directive in output
    assert value in output
    for choice in choices:
        assert choice in output, f"{choice!r} not listed in: {output}"


@pytest.mark.parametrize("target", [
    "ftp://help.invalid/certs",
    "https://help.invalid/certs#part",
    "https://user@help.invalid/certs",
    "https:///certs",
])
def test_bad_redirect_target_rejected(apache_factory, target):
    code, output = config_test(
        apache_factory,
        default_conf=f"CertHelpErrorDocument missing {target}\n")
    assert code != 0, output
    assert "CertHelpErrorDocument" in output
    assert target in output


@pytest.mark.parametrize("text, reason", [
    ("<p>{{unknown_name}}</p>", "unknown_name"),
    ("<p>{{title</p>", "{{"),
])
def test_bad_template_rejected(apache_factory, text, reason):
    server = apache_factory.new(default_conf="CertHelpTemplate conf/bad.html\n")
    server.write_config()
    (server.root / "conf" / "bad.html").write_text(text)
    code, output = server.config_test()
    assert code != 0, output
    assert "CertHelpTemplate" in output
    assert "bad.html" in output
    assert reason in output, output


def test_errordocument_needs_two_args(apache_factory):
    code, output = config_test(apache_factory,
                               default_conf="CertHelpErrorDocument missing\n")
    assert code != 0, output
    assert "CertHelpErrorDocument" in output


def test_softfail_not_allowed_in_location(apache_factory):
    code, output = config_test(
        apache_factory,
        default_conf="<Location /x>\n    CertHelpSoftFail Off\n</Location>\n")
    assert code != 0, output
    assert "CertHelpSoftFail" in output


# --- startup warnings --------------------------------------------------------

VERIFY_CONFLICTS = [
    apache.Vhost("a.test", "SSLVerifyClient none\nCertHelp On\n"),
    apache.Vhost("b.test", "SSLVerifyClient require\nCertHelp On\n"),
]


def test_verify_client_warnings(apache_factory):
    server = apache_factory.new(vhosts=VERIFY_CONFLICTS,
                                expected_log=[r"CH00003", r"CH00004"])
    with server:
        lines = server.error_lines()

    # httpd runs the post-config hooks once per configuration pass, and
    # "-k start" reads the configuration twice, so a warning may repeat.
    none_lines = [l for l in lines if "CH00003" in l]
    require_lines = [l for l in lines if "CH00004" in l]
    assert none_lines, lines
    assert require_lines, lines
    for line in none_lines:
        assert "[certhelp:warn]" in line
        assert "a.test" in line
        assert "SSLVerifyClient" in line
    for line in require_lines:
        assert "[certhelp:warn]" in line
        assert "b.test" in line
        assert "SSLVerifyClient" in line

    # Without a whitelist the harness flags both warnings.
    flagged = apache.find_unexpected_lines(lines, [])
    assert none_lines[0] in flagged
    assert require_lines[0] in flagged


def test_verify_client_warning_fails_startup_check(apache_factory):
    server = apache_factory.new(vhosts=VERIFY_CONFLICTS[:1])
    with pytest.raises(apache.ApacheError, match="CH00003"):
        server.start()
    assert server.pid is None


def test_optional_no_warning(apache_factory):
    server = apache_factory.new(
        vhosts=[apache.Vhost("a.test", "CertHelp On\n")])
    with server:
        lines = server.error_lines()
        assert [l for l in lines if "CH00003" in l or "CH00004" in l] == []


# --- merging -----------------------------------------------------------------

@pytest.fixture(scope="module")
def scopes(apache_factory, pki):
    server = apache_factory.new(
        server_conf="CertHelp On\n",
        default_conf="""\
            <Location /public>
                CertHelp Off
            </Location>
            """,
        vhosts=[
            apache.Vhost("a.test", """\
                CertHelp Off
                <Location /protected>
                    CertHelp On
                </Location>
                <Location /protected/open>
                    CertHelp Off
                </Location>
                """),
        ])
    docroot = server.docroot
    server.vhosts.append(apache.Vhost("b.test", f"""\
        <Directory {docroot}/open>
            CertHelp Off
        </Directory>
        <Directory {docroot}/public>
            CertHelp Off
        </Directory>
        <Location /public>
            CertHelp On
        </Location>
        """))
    with server:
        yield Clients(server, pki)


@pytest.mark.parametrize("sni, path, status", [
    (None, "/secret.txt", 403),
    (None, "/public/secret.txt", 200),
    ("a.test", "/secret.txt", 200),
    ("a.test", "/protected/secret.txt", 403),
    ("a.test", "/protected/open/secret.txt", 200),
    ("b.test", "/secret.txt", 403),
    ("b.test", "/open/secret.txt", 200),
    ("b.test", "/public/secret.txt", 403),
], ids=["server-on-inherited", "location-off", "vhost-off", "location-on",
        "nested-location-off", "b-inherits-on", "directory-off",
        "location-beats-directory"])
def test_innermost_wins(scopes, sni, path, status):
    response = scopes.tls(None).get(path, sni=sni)
    assert response.status == status, response.describe()
    if status == 403:
        assert response.title() == OUTCOMES["missing"].page_title
    else:
        assert response.text == apache.SECRET_TEXT


# --- .htaccess ---------------------------------------------------------------

HTACCESS_FILES = {
    "ht/.htaccess": "CertHelp On\n",
    "ht/secret.txt": apache.SECRET_TEXT,
    "ht/off/.htaccess": "CertHelp Off\n",
    "ht/off/secret.txt": apache.SECRET_TEXT,
    "htlimit/.htaccess": "CertHelp On\n",
    "htlimit/secret.txt": apache.SECRET_TEXT,
    "htnone/.htaccess": "CertHelp On\n",
    "htnone/secret.txt": apache.SECRET_TEXT,
}


@pytest.fixture(scope="module")
def htaccess(apache_factory, pki):
    server = apache_factory.new(files=HTACCESS_FILES)
    server.server_conf = f"""\
        <Directory {server.docroot}/ht>
            AllowOverride AuthConfig
        </Directory>
        <Directory {server.docroot}/htlimit>
            AllowOverride Limit
        </Directory>
        """
    with server:
        yield Clients(server, pki)


def test_htaccess_on(htaccess):
    response = htaccess.tls(None).get("/ht/secret.txt")
    assert response.status == 403, response.describe()
    assert response.title() == OUTCOMES["missing"].page_title


def test_htaccess_on_valid_cert(htaccess):
    response = htaccess.tls("valid").get("/ht/secret.txt")
    assert response.status == 200, response.describe()
    assert response.text == apache.SECRET_TEXT


def test_htaccess_nested_off(htaccess):
    response = htaccess.tls(None).get("/ht/off/secret.txt")
    assert response.status == 200, response.describe()


def test_htaccess_ignored_without_override(htaccess):
    response = htaccess.tls(None).get("/htnone/secret.txt")
    assert response.status == 200, response.describe()


@pytest.mark.expected_log(r"CertHelp not allowed here")
def test_htaccess_needs_authconfig(htaccess):
    mark = htaccess.server.log_mark()
    response = htaccess.tls(None).get("/htlimit/secret.txt")
    assert response.status == 500, response.describe()
    lines = htaccess.server.wait_for_log(r"CertHelp not allowed here",
                                         since=mark)
    assert lines, htaccess.server.error_lines(mark)
