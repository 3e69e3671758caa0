"""TLS clients for the tests: Python's ssl module with http.client, curl,
and openssl s_client. All of them connect to 127.0.0.1 only and give up
after REQUEST_TIMEOUT seconds.
"""

import dataclasses
import http.client
import json
import re
import socket
import ssl
import subprocess
import tempfile
from pathlib import Path

REQUEST_TIMEOUT = 10

TLS_VERSIONS = {
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}

_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclasses.dataclass
class Response:
    """One HTTP response: status, headers in arrival order, body."""

    status: int
    headers: list
    body: bytes
    http_version: str = "1.1"

    def header(self, name):
        """Return the last value of header `name` (any case), or None."""
        values = self.header_values(name)
        return values[-1] if values else None

    def header_values(self, name):
        """Return every value of header `name` (any case)."""
        wanted = name.lower()
        return [v for k, v in self.headers if k.lower() == wanted]

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def title(self):
        """Return the text of the HTML <title>, or None."""
        match = _TITLE_RE.search(self.text)
        return match.group(1).strip() if match else None

    def media_type(self):
        """Return the Content-Type without parameters, lower case."""
        value = self.header("Content-Type") or ""
        return value.split(";")[0].strip().lower()

    def describe(self):
        """Return the status, headers and the start of the body, for
        assertion messages."""
        head = "\n".join(f"{k}: {v}" for k, v in self.headers)
        return (f"HTTP/{self.http_version} {self.status}\n{head}\n\n"
                f"{self.text[:600]}")


# --- Python ssl client -------------------------------------------------------

class _HttpsConnection(http.client.HTTPSConnection):
    """HTTPSConnection that controls SNI and the session to resume."""

    def __init__(self, port, context, sni, session):
        super().__init__("127.0.0.1", port, context=context,
                         timeout=REQUEST_TIMEOUT)
        self._sni = sni
        self._session = session

    def connect(self):
        sock = socket.create_connection((self.host, self.port),
                                        self.timeout)
        # Python sends no SNI when server_hostname is an IP address.
        self.sock = self._context.wrap_socket(
            sock, server_hostname=self._sni or "127.0.0.1",
            session=self._session)


@dataclasses.dataclass
class Exchange:
    """Result of one TLS connection: the responses received before any
    failure, the failure text (a TLS alert, a reset) and session facts."""

    responses: list
    error: str = None
    tls_version: str = None
    session: object = None
    session_reused: bool = False

    @property
    def response(self):
        """The first response; fails the test when there is none."""
        assert self.responses, f"no response; connection failed: {self.error}"
        return self.responses[0]


class TlsClient:
    """HTTP/1.1 over TLS with Python's ssl module, pinned to one TLS version.

    One SSLContext is kept for the client's lifetime because a session can
    only be resumed with the context that created it.
    """

    def __init__(self, port, ca_file, cert=None, tls="1.3", tickets=True):
        self.port = port
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = TLS_VERSIONS[tls]
        context.maximum_version = TLS_VERSIONS[tls]
        context.load_verify_locations(str(ca_file))
        context.set_alpn_protocols(["http/1.1"])
        if cert is not None:
            context.load_cert_chain(str(cert.cert_path), str(cert.key_path))
        if not tickets:
            # Without the ticket extension a TLS 1.2 server falls back to
            # its session cache (session IDs).
            context.options |= ssl.OP_NO_TICKET
        self.context = context

    def exchange(self, paths, *, sni=None, host=None, headers=None,
                 method="GET", session=None):
        """Send a request for each of `paths` on one keep-alive connection.

        `host` is the Host header name (default: `sni`, else 127.0.0.1).
        A TLS alert or a closed connection ends the exchange; its text is
        in Exchange.error and the responses received so far are kept.
        """
        if isinstance(paths, str):
            paths = [paths]
        host_name = host or sni or "127.0.0.1"
        request_headers = {"Host": f"{host_name}:{self.port}"}
        request_headers.update(headers or {})
        connection = _HttpsConnection(self.port, self.context, sni, session)
        result = Exchange(responses=[])
        try:
            connection.connect()
            tls_socket = connection.sock
            result.tls_version = tls_socket.version()
            result.session_reused = tls_socket.session_reused
            for path in paths:
                connection.request(method, path, headers=request_headers)
                reply = connection.getresponse()
                # A TLS 1.3 ticket arrives after the handshake, and the
                # socket closes once a "Connection: close" body is read,
                # so the session is taken in between.
                result.session = tls_socket.session
                body = reply.read()
                result.responses.append(Response(
                    status=reply.status,
                    headers=list(reply.getheaders()),
                    body=body,
                    http_version="1.1" if reply.version == 11 else "1.0"))
        except (ssl.SSLError, OSError, http.client.HTTPException) as error:
            result.error = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        return result

    def get(self, path, **kwargs):
        """Request one path and return its Response; a failed connection
        fails the test."""
        result = self.exchange([path], **kwargs)
        assert result.error is None, (
            f"request for {path} failed: {result.error}")
        return result.responses[0]


# --- curl --------------------------------------------------------------------

@dataclasses.dataclass
class CurlResult:
    """curl's exit code and stderr, and the response when there was one."""

    returncode: int
    stderr: str
    response: Response = None


def _parse_header_dump(text):
    """Parse curl's --dump-header output, keeping the last response."""
    blocks = [b for b in re.split(r"\r?\n\r?\n", text) if b.strip()]
    if not blocks:
        return None, []
    lines = blocks[-1].splitlines()
    status_line = lines[0].split()
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return status_line, headers


def curl(port, path, *, ca_file, cert=None, host=None, http2=False,
         headers=None, method=None):
    """Run curl for https://<host>:<port><path>, resolving `host` to
    127.0.0.1 and sending it as SNI.

    `http2` selects --http2 (ALPN h2) instead of --http1.1.
    """
    host = host or "127.0.0.1"
    command = [
        "curl", "--silent", "--show-error", "--max-time",
        str(REQUEST_TIMEOUT), "--cacert", str(ca_file),
        "--http2" if http2 else "--http1.1",
    ]
    if host != "127.0.0.1":
        command += ["--resolve", f"{host}:{port}:127.0.0.1"]
    if cert is not None:
        command += ["--cert", str(cert.cert_path), "--key",
                    str(cert.key_path)]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    if method == "HEAD":
        command += ["--head"]
    elif method is not None:
        command += ["--request", method]

    with tempfile.TemporaryDirectory() as scratch:
        header_file = Path(scratch) / "headers"
        body_file = Path(scratch) / "body"
        command += ["--dump-header", str(header_file), "--output",
                    str(body_file), f"https://{host}:{port}{path}"]
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=REQUEST_TIMEOUT + 5)
        result = CurlResult(done.returncode, done.stderr)
        if header_file.exists():
            status_line, response_headers = _parse_header_dump(
                header_file.read_text(errors="replace"))
            if status_line:
                body = body_file.read_bytes() if body_file.exists() else b""
                if method == "HEAD":
                    body = b""
                result.response = Response(
                    status=int(status_line[1]),
                    headers=response_headers,
                    body=body,
                    http_version=status_line[0].split("/")[1])
        return result


# --- openssl s_client --------------------------------------------------------

@dataclasses.dataclass
class SClientResult:
    """Output of openssl s_client and the TLS alert it reported."""

    returncode: int
    output: str
    alert_number: int = None
    alert_text: str = None


_ALERT_NUMBER_RE = re.compile(r"SSL alert number (\d+)")
_ALERT_TEXT_RE = re.compile(r"(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)")


def s_client(port, *, ca_file, cert=None, tls="1.3", sni=None, request=b""):
    """Connect with openssl s_client, send `request` and read until the
    server closes the connection. Returns the output and the alert that
    the server sent, if any."""
    command = [
        "openssl", "s_client", "-connect", f"127.0.0.1:{port}",
        "-tls1_3" if tls == "1.3" else "-tls1_2", "-CAfile", str(ca_file),
        "-ign_eof",
    ]
    command += ["-servername", sni] if sni else ["-noservername"]
    if cert is not None:
        command += ["-cert", str(cert.cert_path), "-key", str(cert.key_path)]
    done = subprocess.run(command, input=request, capture_output=True,
                          timeout=REQUEST_TIMEOUT)
    output = (done.stdout + done.stderr).decode("utf-8", errors="replace")
    result = SClientResult(done.returncode, output)
    number = _ALERT_NUMBER_RE.search(output)
    if number:
        result.alert_number = int(number.group(1))
    text = _ALERT_TEXT_RE.search(output)
    if text:
        result.alert_text = text.group(1).strip()
    return result
