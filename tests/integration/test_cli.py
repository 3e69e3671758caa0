"""The certhelp command: "check" on every kind of test certificate,
"explain" for each kind of code, "probe" against a real Apache, and the
errors for bad input.

The binary comes from CERTHELP_CLI, which "make check" sets; without it,
tools/certhelp next to the module's build directory is used.
"""

import datetime
import os
import re
import socket
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import apache
from outcomes import FAILING_CERTS, OUTCOMES

# Seconds a single certhelp run may take; probes use --timeout below this.
RUN_TIMEOUT = 30

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3

# Failing certificates with the first verify code OpenSSL reports for them
# against the test root CA without CRLs.
FIRST_ERROR = {
    "expired": 10,
    "not_yet_valid": 9,
    "unknown_issuer": 20,
    "self_signed": 18,
    "leaf_without_intermediate": 20,
    "wrong_eku": 26,
    "bad_signature": 7,
}
assert set(FIRST_ERROR) == set(FAILING_CERTS)


@pytest.fixture(scope="session")
def cli():
    """Path of the certhelp binary."""
    path = os.environ.get("CERTHELP_CLI")
    if not path:
        module = os.environ.get("CERTHELP_MODULE", "")
        # .../mod_certhelp/.libs/mod_certhelp.so -> .../tools/certhelp
        path = str(Path(module).resolve().parents[2] / "tools" / "certhelp")
    if not os.access(path, os.X_OK):
        pytest.fail(f"certhelp not found or not executable at {path}; build "
                    "it with make or set CERTHELP_CLI", pytrace=False)
    return path


class Run:
    """Result of one certhelp run."""

    def __init__(self, args, completed):
        self.args = args
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    def field(self, label):
        """Return the value after "label:" at the start of a line, or None."""
        match = re.search(rf"^{re.escape(label)}:\s+(.*)$", self.stdout,
                          re.MULTILINE)
        return match.group(1).strip() if match else None

    def errors(self):
        """Return the (depth, code) pairs of "check", in reported order."""
        return [(int(d), int(c)) for d, c in re.findall(
            r"^\s+\d+\. depth (\d+): error (\d+) ", self.stdout,
            re.MULTILINE)]

    def describe(self):
        return (f"certhelp {' '.join(self.args)}\nexit {self.returncode}\n"
                f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}")


def run(cli, *args):
    args = [str(a) for a in args]
    completed = subprocess.run([cli, *args], capture_output=True, text=True,
                               errors="replace", timeout=RUN_TIMEOUT)
    return Run(args, completed)


def check_cert(cli, pki, name, *extra):
    """Run "certhelp check" for client certificate `name` against the test
    root CA."""
    return run(cli, "check", "--cert", pki.client(name).cert_path,
               "--ca", pki.root.cert_path, *extra)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


# --- check: every kind of certificate ----------------------------------------

@pytest.mark.parametrize("name", ["valid", "chain"])
def test_check_valid(cli, pki, name):
    result = check_cert(cli, pki, name)
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith("Verified: "), result.describe()
    assert result.field("Outcome") == "success"
    assert result.field("Substatus") == "none"
    assert result.errors() == []
    cert = pki.client(name)
    assert cert.subject_cn in result.stdout
    assert cert.serial_hex in result.stdout


@pytest.mark.parametrize("name", list(FAILING_CERTS))
def test_check_failing(cli, pki, name):
    result = check_cert(cli, pki, name)
    expected = OUTCOMES[FAILING_CERTS[name]]
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.stdout.startswith("Verification failed: ")
    assert result.field("Outcome") == expected.outcome, result.describe()
    assert result.field("Substatus") == (
        f"{expected.substatus} {expected.title}")
    assert result.errors()[0] == (0, FIRST_ERROR[name]), result.describe()
    assert re.search(r"\(outcome [a-z-]+, primary\)", result.stdout)
    cert = pki.client(name)
    assert cert.subject_cn in result.stdout
    assert cert.serial_hex in result.stdout
    assert iso(cert.not_after) in result.stdout
    assert f"certhelp explain {expected.substatus}" in result.stdout


def test_check_revoked_with_crl(cli, pki):
    result = check_cert(cli, pki, "revoked", "--crl", pki.crl_chain_path)
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "revoked"
    assert result.field("Substatus").startswith("403.13 ")
    assert result.errors() == [(0, 23)]
    assert result.field("TLS alert").startswith("44 certificate_revoked")


def test_check_revoked_without_crl(cli, pki):
    result = check_cert(cli, pki, "revoked")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.field("Revocation") == "not checked (no --crl)"


def test_check_revoked_intermediate(cli, pki):
    result = check_cert(cli, pki, "via_revoked_intermediate", "--crl",
                        pki.crl_chain_path)
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "revoked"
    assert (1, 23) in result.errors()
    assert "CertHelp Test Revoked Intermediate CA" in result.stdout


def test_check_missing_intermediate_crl(cli, pki):
    result = check_cert(cli, pki, "chain", "--crl", pki.crl_root_path)
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "revocation-unknown"
    assert (0, 3) in result.errors()


def test_check_valid_with_crl(cli, pki):
    result = check_cert(cli, pki, "chain", "--crl", pki.crl_chain_path)
    assert result.returncode == EXIT_OK, result.describe()
    assert result.field("Revocation").startswith("3 CRL(s)")


def test_check_chain_option(cli, pki):
    without = check_cert(cli, pki, "leaf_without_intermediate")
    assert without.returncode == EXIT_REJECTED
    result = check_cert(cli, pki, "leaf_without_intermediate", "--chain",
                        pki.intermediate.cert_path)
    assert result.returncode == EXIT_OK, result.describe()
    assert result.field("Outcome") == "success"
    assert "CertHelp Test Intermediate CA" in result.stdout
    assert "depth 2" in result.stdout


def test_check_every_error_recorded(cli, pki):
    """An expired certificate from an unknown CA: every error is listed,
    and precedence picks untrusted over expired."""
    result = check_cert(cli, pki, "expired_unknown_issuer")
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "untrusted"
    errors = result.errors()
    assert (0, 20) in errors
    assert (0, 10) in errors
    assert re.search(r"error 20 \S+ \"[^\"]+\" \(outcome untrusted, "
                     r"primary\)", result.stdout), result.describe()
    assert re.search(r"error 10 \S+ \"[^\"]+\" \(outcome expired\)",
                     result.stdout), result.describe()


def test_check_der_input(cli, pki, tmp_path):
    pem = pki.client("valid").cert_path.read_bytes()
    der_path = tmp_path / "valid.der"
    der_path.write_bytes(x509.load_pem_x509_certificate(pem).public_bytes(
        serialization.Encoding.DER))
    result = run(cli, "check", "--cert", der_path, "--ca",
                 pki.root.cert_path)
    assert result.returncode == EXIT_OK, result.describe()


def test_check_hostile_subject_escaped(cli, pki):
    result = check_cert(cli, pki, "hostile_expired")
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert "Mallory" in result.stdout
    assert "\r" not in result.stdout
    assert "\x1b" not in result.stdout
    for line in result.stdout.splitlines():
        assert not line.startswith("Injected"), line


# --- check --at --------------------------------------------------------------

def test_check_at_future_expired(cli, pki):
    moment = now() + datetime.timedelta(days=60)
    result = check_cert(cli, pki, "valid", "--at", iso(moment))
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "expired"
    assert result.field("Checked at") == f"{iso(moment)} (--at)"
    # The root CA has expired by then too.
    assert (0, 10) in result.errors()
    assert (1, 10) in result.errors()


def test_check_at_past_epoch(cli, pki):
    moment = now() - datetime.timedelta(days=10)
    result = check_cert(cli, pki, "valid", "--at",
                        str(int(moment.timestamp())))
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "not-yet-valid"
    assert (0, 9) in result.errors()
    assert result.field("Checked at") == f"{iso(moment)} (--at)"


def test_check_at_makes_future_cert_valid(cli, pki):
    now_result = check_cert(cli, pki, "not_yet_valid")
    assert now_result.returncode == EXIT_REJECTED
    moment = now() + datetime.timedelta(days=2)
    offset = moment.astimezone(
        datetime.timezone(datetime.timedelta(hours=2)))
    result = check_cert(cli, pki, "not_yet_valid", "--at",
                        offset.strftime("%Y-%m-%dT%H:%M:%S+02:00"))
    assert result.returncode == EXIT_OK, result.describe()
    assert result.field("Checked at") == f"{iso(moment)} (--at)"


def test_check_at_expired_crl(cli, pki):
    moment = now() + datetime.timedelta(days=8)
    result = check_cert(cli, pki, "valid", "--crl", pki.crl_chain_path,
                        "--at", iso(moment))
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Outcome") == "revocation-unknown"
    assert (0, 12) in result.errors()


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30",
                                   "2026-01-31T12:00:00", "-5"])
def test_check_at_invalid(cli, pki, value):
    result = check_cert(cli, pki, "valid", "--at", value)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "invalid --at time" in result.stderr
    assert value in result.stderr
    assert result.stdout == ""


# --- check: bad input --------------------------------------------------------

def test_check_missing_file(cli, pki, tmp_path):
    missing = tmp_path / "absent.pem"
    result = run(cli, "check", "--cert", missing, "--ca", pki.root.cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert f'--cert file "{missing}"' in result.stderr
    assert "No such file or directory" in result.stderr


def test_check_not_a_certificate(cli, pki, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("just some text\n")
    result = run(cli, "check", "--cert", text, "--ca", pki.root.cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert f'--cert file "{text}" contains no certificate' in result.stderr


def test_check_key_as_certificate(cli, pki):
    key = pki.client("valid").key_path
    result = run(cli, "check", "--cert", key, "--ca", pki.root.cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "contains no certificate" in result.stderr


def test_check_damaged_pem(cli, pki, tmp_path):
    damaged = tmp_path / "damaged.pem"
    damaged.write_text("-----BEGIN CERTIFICATE-----\nnot base64 !!\n"
                       "-----END CERTIFICATE-----\n")
    result = run(cli, "check", "--cert", damaged, "--ca", pki.root.cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "damaged PEM block" in result.stderr


def test_check_directory(cli, pki, tmp_path):
    result = run(cli, "check", "--cert", tmp_path, "--ca", pki.root.cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "it is a directory" in result.stderr


def test_check_crl_file_without_crl(cli, pki):
    result = check_cert(cli, pki, "valid", "--crl", pki.root.cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "--crl file" in result.stderr
    assert "contains no CRL" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["check", "--ca", "x"], "missing --cert FILE"),
    (["check", "--cert", "x"], "missing --ca FILE"),
    (["check", "--cert"], "option --cert needs a value"),
    (["check", "--cert="], "option --cert has an empty value"),
    (["check", "--bogus"], "unknown option --bogus"),
    (["check", "--cert", "a", "--ca", "b", "extra"],
     'unexpected argument "extra"'),
    (["frobnicate"], 'unknown command "frobnicate"'),
    (["explain"], "missing CODE"),
    (["explain", "403.7", "403.13"], "give one CODE"),
])
def test_usage_errors(cli, args, message):
    result = run(cli, *args)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert message in result.stderr, result.describe()


def test_no_arguments_prints_usage(cli):
    result = run(cli)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "Usage: certhelp COMMAND" in result.stderr


# --- help and man page -------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["check", "--help"],
                                  ["explain", "-h"], ["probe", "--help"]])
def test_help(cli, args):
    result = run(cli, *args)
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith("Usage: certhelp"), result.describe()
    assert "Exit status:" in result.stdout


def test_version(cli):
    result = run(cli, "--version")
    assert result.returncode == EXIT_OK
    assert re.fullmatch(r"certhelp \d+\.\d+\.\d+\n", result.stdout)


def test_man_page_lists_every_option(cli):
    """Every option that a --help text lists is documented in
    certhelp(1)."""
    source = os.environ.get("CERTHELP_SRCDIR",
                            str(Path(__file__).resolve().parents[2]))
    man = (Path(source) / "tools" / "certhelp.1").read_text()
    man_text = man.replace("\\-", "-").replace("\\&", "")
    for command in ("check", "explain", "probe"):
        help_text = run(cli, command, "--help").stdout
        options = set(re.findall(r"(--[a-z0-9.]+)", help_text))
        assert options, help_text
        for option in options:
            assert option in man_text, f"{option} of {command} not in man page"
    for code in ("0", "1", "2", "3", "4"):
        assert re.search(rf"^\.IP {code}$", man, re.MULTILINE), code


# --- explain -----------------------------------------------------------------

@pytest.mark.parametrize("code, name", [
    ("403.7", "Client certificate required"),
    ("403.12", "Mapper denied access"),
    ("403.13", "Client certificate revoked"),
    ("403.16", "Client certificate untrusted or invalid"),
    ("403.17", "Client certificate expired or not yet valid"),
])
def test_explain_substatus(cli, code, name):
    result = run(cli, "explain", code)
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith(f"IIS substatus {code}: {name}\n")
    for section in ("Likely causes:", "What the certificate holder can do:",
                    "What the server administrator can do:"):
        assert section in result.stdout, result.describe()


def test_explain_verify_code(cli):
    result = run(cli, "explain", "verify:10")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith(
        "OpenSSL verify code 10: X509_V_ERR_CERT_HAS_EXPIRED\n")
    assert "certificate has expired" in result.stdout
    assert "CertHelp outcome: expired, substatus 403.17" in result.stdout
    assert "45 certificate_expired" in result.stdout


@pytest.mark.parametrize("alert, name", [
    (40, "handshake_failure"), (42, "bad_certificate"),
    (43, "unsupported_certificate"), (44, "certificate_revoked"),
    (45, "certificate_expired"), (46, "certificate_unknown"),
    (48, "unknown_ca"), (51, "decrypt_error"), (116, "certificate_required"),
])
def test_explain_alert(cli, alert, name):
    result = run(cli, "explain", f"alert:{alert}")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith(f"TLS alert {alert}: {name}\n")
    assert "What the server administrator can do:" in result.stdout


def test_explain_bare_number_both_kinds(cli):
    result = run(cli, "explain", "45")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith("45 has 2 meanings")
    assert "OpenSSL verify code 45: " in result.stdout
    assert "TLS alert 45: certificate_expired" in result.stdout
    assert (result.stdout.index("OpenSSL verify code 45")
            < result.stdout.index("TLS alert 45"))


def test_explain_bare_number_one_kind(cli):
    result = run(cli, "explain", "116")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith("TLS alert 116: certificate_required")
    assert "verify code 116" not in result.stdout


@pytest.mark.parametrize("code, kind", [
    ("unknown CA", "TLS alert 48: unknown_ca"),
    ("CERT_REVOKED", "OpenSSL verify code 23: X509_V_ERR_CERT_REVOKED"),
    ("expired", "IIS substatus 403.17: "),
])
def test_explain_names(cli, code, kind):
    result = run(cli, "explain", code)
    assert result.returncode == EXIT_OK, result.describe()
    assert result.stdout.startswith(kind), result.describe()


@pytest.mark.parametrize("code, message", [
    ("403.5", '"403.5" is not a client-certificate substatus'),
    ("403", "403 is the HTTP status"),
    ("999", "999 is neither an OpenSSL verify code"),
    ("verify:95", '"95" is not an OpenSSL verify code'),
    ("alert:7", '"7" is not a TLS alert that certhelp knows'),
    ("bogus", '"bogus" is not a known code'),
])
def test_explain_unknown(cli, code, message):
    result = run(cli, "explain", code)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert message in result.stderr, result.describe()
    assert result.stdout == ""


# --- probe -------------------------------------------------------------------

PROBE_CONF = """\
<Location /protected>
    CertHelp On
</Location>
<Location /open>
    CertHelp Off
    Header always set CertHelp-Outcome "%{CERTHELP_OUTCOME}e" \
env=CERTHELP_OUTCOME
    Header always set X-CertHelp-Substatus "%{CERTHELP_SUBSTATUS}e" \
env=CERTHELP_SUBSTATUS
</Location>
"""

# b.test keeps mod_ssl's TLS alerts.
PROBE_VHOSTS = [apache.Vhost("b.test", "CertHelp On\nCertHelpSoftFail Off\n")]

PROBE_TIMEOUT = "10"


@pytest.fixture(scope="module")
def probe_server(apache_factory):
    server = apache_factory.new(default_conf=PROBE_CONF, vhosts=PROBE_VHOSTS)
    with server:
        yield server


def probe(cli, server, pki, path, cert=None, *extra):
    args = ["probe", f"127.0.0.1:{server.port}", "--ca", pki.root.cert_path,
            "--path", path, "--timeout", PROBE_TIMEOUT, *extra]
    if cert is not None:
        client = pki.client(cert)
        args += ["--cert", client.cert_path, "--key", client.key_path]
    return run(cli, *args)


@pytest.mark.parametrize("tls", ["--tls1.2", "--tls1.3"])
def test_probe_missing_certificate(cli, probe_server, pki, tls):
    result = probe(cli, probe_server, pki, "/protected/secret.txt", None, tls)
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Status") == "403 Forbidden"
    assert result.field("Outcome") == "missing (problem+json body)"
    assert result.field("Substatus") == "403.7"
    assert result.field("Client cert") == "none (no --cert)"
    assert "CN=CertHelp Test Root CA,O=CertHelp Tests" in result.stdout
    assert result.field("TLS").startswith(
        "TLSv1.2" if tls == "--tls1.2" else "TLSv1.3")


def test_probe_valid_certificate(cli, probe_server, pki):
    result = probe(cli, probe_server, pki, "/protected/secret.txt", "valid")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.field("Status") == "200 OK"
    assert result.field("Client cert").startswith("sent")
    assert result.field("Server").endswith("(verified for 127.0.0.1)")


@pytest.mark.parametrize("tls", ["--tls1.2", "--tls1.3"])
def test_probe_expired_soft_fail(cli, probe_server, pki, tls):
    result = probe(cli, probe_server, pki, "/protected/secret.txt", "expired",
                   tls)
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Status") == "403 Forbidden"
    assert result.field("Outcome") == "expired (problem+json body)"
    assert result.field("Substatus") == "403.17"
    assert result.field("Title") == "Client certificate expired"
    assert "certhelp explain 403.17" in result.stdout


def test_probe_outcome_from_headers(cli, probe_server, pki):
    result = probe(cli, probe_server, pki, "/open/secret.txt", "expired")
    assert result.returncode == EXIT_OK, result.describe()
    assert result.field("Status") == "200 OK"
    assert result.field("Outcome") == "expired (CertHelp-Outcome header)"
    assert result.field("Substatus") == "403.17"


@pytest.mark.parametrize("tls", ["--tls1.2", "--tls1.3"])
def test_probe_alert_soft_fail_off(cli, probe_server, pki, tls):
    result = probe(cli, probe_server, pki, "/secret.txt", "expired", tls,
                   "--servername", "b.test")
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("TLS alert").startswith(
        "45 certificate_expired (OpenSSL: certificate expired), fatal"), (
        result.describe())
    assert "TLS alert 45: certificate_expired" in result.stdout
    assert "Likely causes:" in result.stdout
    assert "secret content" not in result.stdout


@pytest.mark.parametrize("name", list(FAILING_CERTS))
def test_probe_alert_matches_check(cli, probe_server, pki, name):
    """The alert that "check" predicts for mod_ssl without soft-fail is the
    one the server sends."""
    predicted = check_cert(cli, pki, name).field("TLS alert")
    assert predicted, f"check printed no TLS alert for {name}"
    number = predicted.split()[0]
    result = probe(cli, probe_server, pki, "/secret.txt", name,
                   "--servername", "b.test")
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("TLS alert").split()[0] == number, result.describe()


def test_probe_untrusted_server(cli, probe_server, pki):
    result = run(cli, "probe", f"127.0.0.1:{probe_server.port}", "--timeout",
                 PROBE_TIMEOUT)
    assert result.returncode == EXIT_CONNECTION, result.describe()
    assert "the server's certificate failed verification" in result.stderr
    assert "--insecure" in result.stderr


def test_probe_insecure(cli, probe_server):
    result = run(cli, "probe", f"127.0.0.1:{probe_server.port}",
                 "--insecure", "--path", "/protected/secret.txt",
                 "--timeout", PROBE_TIMEOUT)
    assert result.returncode == EXIT_REJECTED, result.describe()
    assert result.field("Server").endswith("(not checked: --insecure)")
    assert result.field("Substatus") == "403.7"


def test_probe_unreachable_port(cli, pki):
    port = apache.free_port()
    result = run(cli, "probe", f"127.0.0.1:{port}", "--ca",
                 pki.root.cert_path, "--timeout", PROBE_TIMEOUT)
    assert result.returncode == EXIT_CONNECTION, result.describe()
    assert f"cannot connect to 127.0.0.1:{port}" in result.stderr
    assert "Connection refused" in result.stderr


def test_probe_timeout(cli, pki):
    """A server that accepts the connection and never sends a byte."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        result = run(cli, "probe", f"127.0.0.1:{port}", "--ca",
                     pki.root.cert_path, "--timeout", "1")
    assert result.returncode == EXIT_CONNECTION, result.describe()
    assert "timed out after 1 s" in result.stderr


def test_probe_key_mismatch(cli, probe_server, pki):
    result = run(cli, "probe", f"127.0.0.1:{probe_server.port}", "--ca",
                 pki.root.cert_path, "--cert", pki.client("valid").cert_path,
                 "--key", pki.client("expired").key_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "does not belong to the client certificate" in result.stderr


def test_probe_cert_without_key(cli, pki):
    result = run(cli, "probe", "127.0.0.1:1", "--ca", pki.root.cert_path,
                 "--cert", pki.client("valid").cert_path)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert "contains no private key; pass --key FILE" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["probe"], "missing HOST:PORT"),
    (["probe", "127.0.0.1"], "the port is missing"),
    (["probe", "127.0.0.1:0"], "from 1 to 65535"),
    (["probe", "127.0.0.1:70000"], "from 1 to 65535"),
    (["probe", "::1:443"], "in brackets"),
    (["probe", "127.0.0.1:443", "--key", "k.pem"], "--key needs --cert"),
    (["probe", "127.0.0.1:443", "--tls1.2", "--tls1.3"], "not both"),
    (["probe", "127.0.0.1:443", "--timeout", "0"], "invalid --timeout"),
    (["probe", "127.0.0.1:443", "--path", "secret.txt"], "invalid --path"),
    (["probe", "127.0.0.1:443", "--servername", "a b"],
     "invalid --servername"),
    (["probe", "127.0.0.1:443", "--insecure", "--ca", "x"], "not both"),
])
def test_probe_usage_errors(cli, args, message):
    result = run(cli, *args)
    assert result.returncode == EXIT_USAGE, result.describe()
    assert message in result.stderr, result.describe()
