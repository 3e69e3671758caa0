#!/usr/bin/env python3
"""Show what a browser gets from mod_certhelp for each kind of client
certificate.

Builds a throwaway PKI and a server root in a temporary directory and
starts Debian's apache2 with mod_ssl, mod_http2 and the built module on a
free port of 127.0.0.1. Then requests the same page without a certificate,
with a valid one and with each kind of failing one.

Each request goes to two virtual hosts. The default one has "CertHelp On".
The other one keeps mod_ssl's own behaviour ("CertHelpSoftFail Off",
CertHelp not set), which is what a plain Apache does.

Run as root (apache2 starts as root and serves as www-data). scripts/demo
builds the module first and then runs this file.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "integration"))
# Leave no __pycache__ behind in the source tree.
sys.dont_write_bytecode = True

import apache  # noqa: E402  (tests/integration, added to the path above)
import pki as pki_module  # noqa: E402
from clients import TlsClient  # noqa: E402

DEFAULT_MODULE = REPO / "mod_certhelp" / ".libs" / "mod_certhelp.so"

# Accept header of a browser: HTML first, anything else at lower quality.
BROWSER_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,"
                  "*/*;q=0.8")

# Name of the virtual host that keeps mod_ssl's own handling (SNI and Host).
PLAIN_HOST = "b.test"

# Password of the PKCS#12 files written for browsers.
P12_PASSWORD = "certhelp"

PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", re.DOTALL)

INDEX_HTML = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
              "<meta charset=\"utf-8\">\n<title>Protected page</title>\n"
              "</head>\n<body>\n<h1>Protected page</h1>\n"
              "<p>Your client certificate was accepted.</p>\n"
              "</body>\n</html>\n")


class Case:
    """One client certificate to try and the response that docs/outcomes.md
    promises for it under CertHelp On."""

    def __init__(self, label, cert, status, outcome, substatus):
        self.label = label
        self.cert = cert  # a name from pki.py, or None for no certificate
        self.status = status
        self.outcome = outcome
        self.substatus = substatus


CASES = [
    Case("no certificate", None, 403, "missing", "403.7"),
    Case("valid", "valid", 200, "success", "-"),
    Case("expired", "expired", 403, "expired", "403.17"),
    Case("not yet valid", "not_yet_valid", 403, "not-yet-valid", "403.17"),
    Case("revoked (CRL)", "revoked", 403, "revoked", "403.13"),
    Case("unknown issuer", "unknown_issuer", 403, "untrusted", "403.16"),
    Case("self-signed", "self_signed", 403, "untrusted", "403.16"),
    Case("wrong EKU (serverAuth)", "wrong_eku", 403, "invalid", "403.16"),
]

# Settings shared by both virtual hosts: the test root's CRL, checked for
# the whole chain, so that the revoked certificate is caught.
REVOCATION_CONF = """\
SSLCARevocationFile {crl}
SSLCARevocationCheck chain
"""


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--module", type=Path, default=DEFAULT_MODULE,
        help="path of the built mod_certhelp.so (default: %(default)s)")
    parser.add_argument(
        "--apache2", default=os.environ.get("APACHE2", "/usr/sbin/apache2"),
        help="apache2 binary (default: %(default)s)")
    parser.add_argument(
        "--keep", action="store_true",
        help="keep the temporary directory after Apache stops")
    return parser.parse_args()


def check_environment(arguments):
    """Return an error message when the demo cannot run, else None."""
    if os.geteuid() != 0:
        return "run the demo as root: apache2 starts as root"
    if not arguments.module.is_file():
        return (f"module not found: {arguments.module}; build it with "
                "scripts/build")
    if not os.access(arguments.apache2, os.X_OK):
        return (f"apache2 not found: {arguments.apache2}; "
                "apt-get install apache2")
    return None


def write_pkcs12_files(pki):
    """Write a PKCS#12 file of every client certificate, for browsers."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    for name, client in pki.clients.items():
        # One PEM block per certificate: the leaf, then any intermediates.
        # (cryptography 38 in Debian 12 cannot load several at once.)
        blocks = PEM_CERTIFICATE.findall(client.cert_path.read_bytes())
        certs = [x509.load_pem_x509_certificate(block) for block in blocks]
        key = serialization.load_pem_private_key(
            client.key_path.read_bytes(), password=None)
        data = pkcs12.serialize_key_and_certificates(
            name=f"CertHelp demo {name}".encode(), key=key, cert=certs[0],
            cas=certs[1:] or None,
            encryption_algorithm=serialization.BestAvailableEncryption(
                P12_PASSWORD.encode()))
        path = client.cert_path.with_suffix(".p12")
        path.write_bytes(data)
        path.chmod(0o600)


def start_server(root, pki, arguments):
    revocation = REVOCATION_CONF.format(crl=pki.crl_root_path)
    server = apache.Apache(
        root, pki, apache2=arguments.apache2, module=str(arguments.module),
        default_conf=revocation + "CertHelp On\n",
        vhosts=[apache.Vhost(PLAIN_HOST,
                             revocation + "CertHelpSoftFail Off\n")],
        files={"index.html": INDEX_HTML})
    return server.start()


def request(server, pki, case, sni, token):
    """Request / the way a browser would and return (status, title,
    error); status is None when the connection failed."""
    cert = pki.client(case.cert) if case.cert else None
    client = TlsClient(server.port, pki.root.cert_path, cert=cert, tls="1.3")
    result = client.exchange([f"/?demo={token}"], sni=sni,
                             headers={"Accept": BROWSER_ACCEPT})
    if not result.responses:
        return None, None, result.error
    response = result.responses[0]
    return response.status, response.title(), result.error


def short_alert(error):
    """Return the TLS alert that an ssl error text names, such as
    "TLS alert certificate_expired", or a short form of the text."""
    if not error:
        return "connection failed"
    match = re.search(r"ALERT_([A-Z_]+)", error)
    if match:
        return "TLS alert " + match.group(1).lower()
    return error.split("] ")[-1][:40]


def run_cases(server, pki):
    """Run every case on both virtual hosts and return the table rows, the
    responses that differ from docs/outcomes.md, and the module's error-log
    lines for the expired certificate."""
    rows = []
    mismatches = []
    log_excerpt = []
    for number, case in enumerate(CASES):
        token = f"certhelp-{number}"
        log_start = server.log_mark()
        status, title, error = request(server, pki, case, None, token)
        if case.cert == "expired":
            log_excerpt = [line for line in server.error_lines(log_start)
                           if "CH000" in line]
        entry = server.wait_for_access(f"demo={token}")
        outcome = entry.get("outcome", "-") if entry else "-"
        substatus = entry.get("substatus", "-") if entry else "-"

        plain_token = f"plain-{number}"
        plain_status, plain_title, plain_error = request(
            server, pki, case, PLAIN_HOST, plain_token)
        if plain_status is None:
            plain = short_alert(plain_error)
        else:
            plain = f"{plain_status} {plain_title or ''}".strip()

        rows.append([case.label, str(status) if status else "no answer",
                     substatus, outcome, title or short_alert(error), plain])
        got = (status, outcome, substatus)
        expected = (case.status, case.outcome, case.substatus)
        if got != expected:
            mismatches.append(f"{case.label}: got status/outcome/substatus "
                              f"{got}, expected {expected}")
    return rows, mismatches, log_excerpt


def print_table(header, rows):
    widths = [max(len(row[i]) for row in [header] + rows)
              for i in range(len(header))]
    for index, row in enumerate([header] + rows):
        print("  ".join(cell.ljust(width)
                        for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def print_log_excerpt(lines):
    print("\nThe error log on the expired certificate (LogLevel info):")
    for line in lines:
        print("  " + line)
    if not lines:
        print("  (no CH000nn lines found)")


def print_manual_steps(server, pki, root):
    ca = pki.root.cert_path
    expired = pki.client("expired")
    base = f"https://127.0.0.1:{server.port}/"
    plain = f"https://{PLAIN_HOST}:{server.port}/"
    names = ", ".join(sorted(pki.clients))
    print(f"""
Try it by hand while Apache runs (server root {root / "httpd"}):

  # No certificate: the 403.7 page. -i shows the headers.
  curl -i --cacert {ca} \\
      {base}

  # An expired certificate over HTTP/2, asking for RFC 9457 JSON:
  curl --http2 --cacert {ca} \\
      --cert {expired.cert_path} \\
      --key {expired.key_path} \\
      -H 'Accept: application/problem+json' {base}

  # The same certificate on the virtual host that keeps mod_ssl's
  # behaviour: the handshake ends with a TLS alert.
  curl --cacert {ca} \\
      --cert {expired.cert_path} \\
      --key {expired.key_path} \\
      --resolve {PLAIN_HOST}:{server.port}:127.0.0.1 {plain}

Other client certificates: client-NAME.pem and client-NAME.key in
{pki.directory}, with NAME one of:
{textwrap.fill(names, width=76, initial_indent="  ", subsequent_indent="  ")}

In a browser on this machine: import {ca} as a trusted
certificate authority, import a client-NAME.p12 file from the same
directory (password "{P12_PASSWORD}"), and open {base}

Error log:  {server.error_log}
Access log: {server.access_log}
Config:     {server.conf_path}""")


def main():
    arguments = parse_arguments()
    problem = check_environment(arguments)
    if problem:
        print(f"demo: {problem}", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="certhelp-demo-"))
    work.chmod(0o755)
    server = None
    try:
        print(f"Creating a test PKI in {work / 'pki'}")
        pki = pki_module.create_pki(work / "pki")
        write_pkcs12_files(pki)

        print("Starting apache2 with mod_ssl, mod_http2 and mod_certhelp")
        server = start_server(work / "httpd", pki, arguments)
        print(f"Listening on https://127.0.0.1:{server.port}/ "
              f"(CertHelp On) and https://{PLAIN_HOST}:{server.port}/ "
              "(plain mod_ssl)\n")

        rows, mismatches, log_excerpt = run_cases(server, pki)
        print("GET / with a browser's Accept header, TLS 1.3:\n")
        print_table(["Certificate", "Status", "Substatus", "Outcome",
                     "Page title", f"Plain mod_ssl ({PLAIN_HOST})"],
                    rows)
        print_log_excerpt(log_excerpt)

        if mismatches:
            print("\nAnswers that differ from docs/outcomes.md:")
            for line in mismatches:
                print("  " + line)
        else:
            print("\nEvery answer matches docs/outcomes.md.")

        print_manual_steps(server, pki, work)
        if sys.stdin.isatty():
            try:
                input("\nPress Enter to stop Apache and delete "
                      f"{work} ... ")
            except EOFError:
                pass
        else:
            print("\nStandard input is not a terminal, so Apache stops now. "
                  "Run scripts/demo from a terminal to keep it running.")
        return 1 if mismatches else 0
    except apache.ApacheError as error:
        print(f"demo: apache2 failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ndemo: interrupted")
        return 130
    finally:
        if server is not None and server.pid is not None:
            server.stop(check=False)
        if arguments.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
