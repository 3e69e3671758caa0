"""A real Debian apache2 under test: configuration writer, start and stop,
and readers for its error and access logs.

Each instance lives in its own directory (ServerRoot) and listens on a free
port of 127.0.0.1. The master process runs as root and the children as
www-data, so the directory tree is made world-readable.
"""

import dataclasses
import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import textwrap
import time
from pathlib import Path

MODULE_DIR = Path("/usr/lib/apache2/modules")
MIME_TYPES = Path("/etc/mime.types")

START_TIMEOUT = 15.0
# Seconds to wait for apache2 to exit after "-k stop". Builds with
# sanitizers run their leak check in every exiting child and need more
# (CERTHELP_STOP_TIMEOUT).
STOP_TIMEOUT = float(os.environ.get("CERTHELP_STOP_TIMEOUT", "15"))
LOG_WAIT_TIMEOUT = 5.0

# Modules loaded in this order; the MPM comes first. mod_log_config and
# mod_unixd are compiled into Debian's apache2 and are skipped when
# `apache2 -l` lists them.
BASE_MODULES = (
    "authz_core", "authz_host", "authn_core", "access_compat", "ssl",
    "http2", "mime", "dir", "alias", "rewrite", "headers", "include", "cgid",
    "env", "setenvif", "log_config", "socache_shmcb", "unixd",
)
MPMS = ("event", "worker", "prefork")

# Error-log severities that fail a test unless it declares the line as
# expected.
SEVERE_LEVELS = ("warn", "error", "crit", "alert", "emerg")
_LEVEL_RE = re.compile(r"^\[[^\]]*\] \[(?:[\w-]*:)?(\w+)\]")

# Access-log format: one key=value field per item, so that tests can read
# the module's variables. Absent values are logged as "-".
ACCESS_LOG_FORMAT = (
    'client=%a vhost=%v proto=%{SSL_PROTOCOL}x http=%H method=%m '
    'uri="%U%q" status=%>s outcome=%{CERTHELP_OUTCOME}e '
    'substatus=%{CERTHELP_SUBSTATUS}e verify="%{SSL_CLIENT_VERIFY}x"'
)
_ACCESS_FIELD_RE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')

# Files of every document root. The SSI and CGI pages print the variables
# that mod_ssl and mod_certhelp set.
SECRET_TEXT = "secret content\n"
VERIFY_SHTML = (
    'verify=<!--#echo var="SSL_CLIENT_VERIFY" -->\n'
    'expr=<!--#if expr="%{SSL_CLIENT_VERIFY} == \'SUCCESS\'" -->SUCCESS'
    '<!--#else -->NOT-SUCCESS<!--#endif -->\n'
    'outcome=<!--#echo var="CERTHELP_OUTCOME" -->\n'
    'substatus=<!--#echo var="CERTHELP_SUBSTATUS" -->\n'
)
ENV_CGI = textwrap.dedent("""\
    #!/bin/sh
    printf 'Content-Type: text/plain\\r\\n\\r\\n'
    printf 'cgi outcome=%s\\n' "${CERTHELP_OUTCOME-unset}"
    printf 'cgi substatus=%s\\n' "${CERTHELP_SUBSTATUS-unset}"
    printf 'cgi verify=%s\\n' "${SSL_CLIENT_VERIFY-unset}"
    """)
HELP_HTML = "<!DOCTYPE html>\n<title>Help</title>\n<p>help page</p>\n"

# Directories that get secret.txt, verify.shtml and env.cgi; tests attach
# CertHelp settings to them with <Location>.
CONTENT_DIRS = ("", "protected", "protected/open", "open", "public")


class ApacheError(Exception):
    """The server failed to start or stop."""


@functools.lru_cache(maxsize=None)
def compiled_in_modules(apache2):
    """Return the names of the modules compiled into `apache2`, such as
    "log_config"."""
    output = subprocess.run([apache2, "-l"], capture_output=True, text=True,
                            timeout=10, check=True).stdout
    return {m.group(1) for m in re.finditer(r"mod_(\w+)\.c", output)}


def free_port():
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_unexpected_lines(lines, expected_patterns):
    """Return the error-log lines at warn level or above that match none of
    `expected_patterns` (regular expressions, searched anywhere)."""
    compiled = [re.compile(p) for p in expected_patterns]
    unexpected = []
    for line in lines:
        match = _LEVEL_RE.match(line)
        if not match or match.group(1) not in SEVERE_LEVELS:
            continue
        if any(p.search(line) for p in compiled):
            continue
        unexpected.append(line)
    return unexpected


def parse_access_line(line):
    """Split one access-log line of ACCESS_LOG_FORMAT into a dict; quoted
    values lose their quotes."""
    fields = {}
    for match in _ACCESS_FIELD_RE.finditer(line):
        value = match.group(2)
        if value.startswith('"'):
            value = value[1:-1]
        fields[match.group(1)] = value
    return fields


@dataclasses.dataclass
class Vhost:
    """A name-based virtual host on the instance's port.

    `conf` is appended after the standard SSL settings, so it can override
    them (the last SSLVerifyClient wins).
    """

    name: str
    conf: str = ""


class Apache:
    """One apache2 instance with its own ServerRoot and port."""

    # Running instances, for the error-log check after each test.
    live = []

    def __init__(self, root, pki, *, apache2, module=None, mpm="event",
                 vhosts=None, default_conf="", server_conf="",
                 log_level=None, files=None, expected_log=(),
                 http2=True):
        """Describe an instance; nothing is written before write_config().

        `module` is the path of mod_certhelp.so, or None for plain Apache.
        `log_level` is the LogLevel argument; the default is info, with
        trace1 for mod_certhelp's per-request decisions.
        `default_conf` goes into the default virtual host (no SNI, or an
        unknown name), `server_conf` into the main server, `vhosts` lists
        further name-based virtual hosts. `files` maps paths below the
        document root to their text. `expected_log` lists regular
        expressions of warn-or-worse error-log lines this instance is
        allowed to write at any time.
        """
        if mpm not in MPMS:
            raise ValueError(f"unknown MPM {mpm!r}; expected one of {MPMS}")
        self.root = Path(root)
        self.pki = pki
        self.apache2 = apache2
        self.module = module
        self.mpm = mpm
        self.vhosts = list(vhosts or [])
        self.default_conf = default_conf
        self.server_conf = server_conf
        if log_level is None:
            log_level = "info certhelp:trace1" if module else "info"
        self.log_level = log_level
        self.files = dict(files or {})
        self.expected_log = list(expected_log)
        self.http2 = http2
        self.port = free_port()
        self.pid = None

        self.conf_path = self.root / "conf" / "httpd.conf"
        self.docroot = self.root / "htdocs"
        self.logs = self.root / "logs"
        self.error_log = self.logs / "error.log"
        self.access_log = self.logs / "access.log"
        self.pid_file = self.root / "run" / "httpd.pid"
        self._checked_offset = 0

    # --- configuration --------------------------------------------------

    def _load_module_lines(self):
        builtin = compiled_in_modules(self.apache2)
        names = [f"mpm_{self.mpm}"] + list(BASE_MODULES)
        if not self.http2:
            names.remove("http2")
        lines = []
        for name in names:
            if name in builtin:
                continue
            lines.append(
                f"LoadModule {name}_module {MODULE_DIR}/mod_{name}.so")
        if self.module:
            lines.append(f"LoadModule certhelp_module {self.module}")
        return "\n".join(lines)

    def _ssl_settings(self, server_name):
        pki = self.pki
        return textwrap.dedent(f"""\
            SSLEngine on
            SSLCertificateFile {pki.server_cert_path}
            SSLCertificateKeyFile {pki.server_key_path}
            SSLCACertificateFile {pki.root.cert_path}
            SSLVerifyClient optional
            SSLVerifyDepth 3
            SSLOptions +StdEnvVars
            Header always set X-Vhost "{server_name}"
            Header always set X-Outcome "%{{CERTHELP_OUTCOME}}e" \
env=CERTHELP_OUTCOME
            Header always set X-Substatus "%{{CERTHELP_SUBSTATUS}}e" \
env=CERTHELP_SUBSTATUS
            Header always set X-Verify "%{{SSL_CLIENT_VERIFY}}s"
            """)

    def _vhost_block(self, server_name, conf):
        body = self._ssl_settings(server_name) + textwrap.dedent(conf)
        return (f"<VirtualHost 127.0.0.1:{self.port}>\n"
                f"ServerName {server_name}\n"
                f"{textwrap.indent(body, '    ')}"
                f"</VirtualHost>\n")

    def config_text(self):
        """Return the full httpd.conf text."""
        protocols = "h2 http/1.1" if self.http2 else "http/1.1"
        log_format = ACCESS_LOG_FORMAT.replace('"', '\\"')
        session_cache = self.root / "run" / "ssl_scache"
        blocks = [
            textwrap.dedent(f"""\
                ServerRoot {self.root}
                ServerName localhost
                Listen 127.0.0.1:{self.port}
                PidFile {self.pid_file}
                DefaultRuntimeDir {self.root / "run"}
                User www-data
                Group www-data
                """),
            self._load_module_lines() + "\n",
            textwrap.dedent(f"""\
                ErrorLog {self.error_log}
                LogLevel {self.log_level}
                LogFormat "{log_format}" certhelp
                CustomLog {self.access_log} certhelp
                ScriptSock {self.root / "run" / "cgid.sock"}
                TypesConfig {MIME_TYPES}
                AddType text/html .shtml
                AddOutputFilter INCLUDES .shtml
                AddHandler cgi-script .cgi
                DirectoryIndex index.html
                Protocols {protocols}
                SSLProtocol -all +TLSv1.2 +TLSv1.3
                SSLSessionCache shmcb:{session_cache}(512000)
                SSLSessionCacheTimeout 300
                KeepAliveTimeout 10
                Timeout 20
                DocumentRoot {self.docroot}
                <Directory />
                    AllowOverride None
                    Require all denied
                </Directory>
                <Directory {self.docroot}>
                    Options +Includes +ExecCGI
                    AllowOverride None
                    Require all granted
                </Directory>
                """),
            textwrap.dedent(self.server_conf) + "\n",
            self._vhost_block("localhost", self.default_conf),
        ]
        for vhost in self.vhosts:
            blocks.append(self._vhost_block(vhost.name, vhost.conf))
        return "\n".join(blocks)

    def _write_docroot(self):
        for directory in CONTENT_DIRS:
            base = self.docroot / directory
            base.mkdir(parents=True, exist_ok=True)
            (base / "secret.txt").write_text(SECRET_TEXT)
            (base / "verify.shtml").write_text(VERIFY_SHTML)
            (base / "env.cgi").write_text(ENV_CGI)
        help_dir = self.docroot / "help"
        help_dir.mkdir(exist_ok=True)
        (help_dir / "page.html").write_text(HELP_HTML)
        (help_dir / "outcome.shtml").write_text(VERIFY_SHTML)
        (help_dir / "env.cgi").write_text(ENV_CGI)
        for relative, text in self.files.items():
            path = self.docroot / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def write_config(self):
        """Write httpd.conf and the document root."""
        for sub in ("conf", "logs", "run", "htdocs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._write_docroot()
        self.conf_path.write_text(self.config_text())

        # The children run as www-data and need to read the document root
        # and run the CGI scripts.
        for path in [self.root, *self.root.rglob("*")]:
            if path.is_dir() or path.suffix == ".cgi":
                path.chmod(0o755)
            else:
                path.chmod(0o644)
        self.root.parent.chmod(0o755)

    # --- process control -------------------------------------------------

    def _command(self, *args):
        return [self.apache2, "-d", str(self.root), "-f",
                str(self.conf_path), *args]

    def config_test(self):
        """Run `apache2 -t` on the written configuration and return its exit
        code and combined output."""
        result = subprocess.run(self._command("-t"), capture_output=True,
                                text=True, timeout=30)
        return result.returncode, result.stdout + result.stderr

    def start(self):
        """Write the configuration, start the server and wait until its port
        accepts connections. Warn-or-worse startup lines that
        `expected_log` does not cover raise ApacheError."""
        self.write_config()
        result = subprocess.run(self._command("-k", "start"),
                                capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise ApacheError(
                f"apache2 -k start exited with {result.returncode}:\n"
                f"{result.stdout}{result.stderr}\n{self.error_log_text()}")

        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.pid is None and self.pid_file.exists():
                text = self.pid_file.read_text().strip()
                self.pid = int(text) if text else None
            if self.pid is not None and self._port_open():
                break
            if time.monotonic() > deadline:
                self._kill()
                raise ApacheError(
                    f"apache2 did not listen on port {self.port} within "
                    f"{START_TIMEOUT} s:\n{self.error_log_text()}")
            time.sleep(0.05)
        Apache.live.append(self)

        unexpected = self.check_error_log()
        if unexpected:
            self.stop(check=False)
            raise ApacheError("unexpected error-log lines at startup:\n"
                              + "\n".join(unexpected))
        return self

    def _port_open(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port),
                                          timeout=1):
                return True
        except OSError:
            return False

    def _running(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _kill(self):
        """Kill the master and its children. The master of `-k start` runs
        setsid(), so its process group contains exactly this instance.
        Killing the master alone would leave its children running."""
        if self.pid is None or not self._running():
            return
        try:
            same_group = os.getpgid(self.pid) == self.pid
        except ProcessLookupError:
            return
        if same_group:
            os.killpg(self.pid, signal.SIGKILL)
        else:
            os.kill(self.pid, signal.SIGKILL)

    def graceful(self):
        """Run `apache2 -k graceful` and return the CompletedProcess."""
        return subprocess.run(self._command("-k", "graceful"),
                              capture_output=True, text=True, timeout=30)

    def stop(self, check=True):
        """Stop the server and wait for the master process to exit. With
        `check`, warn-or-worse lines logged since the last check raise
        ApacheError."""
        if self.pid is None:
            return
        subprocess.run(self._command("-k", "stop"), capture_output=True,
                       timeout=30)
        deadline = time.monotonic() + STOP_TIMEOUT
        while self._running():
            if time.monotonic() > deadline:
                self._kill()
                raise ApacheError(
                    f"apache2 (pid {self.pid}) did not stop within "
                    f"{STOP_TIMEOUT} s and was killed")
            time.sleep(0.05)
        self.pid = None
        if self in Apache.live:
            Apache.live.remove(self)
        if check:
            unexpected = self.check_error_log()
            if unexpected:
                raise ApacheError("unexpected error-log lines at shutdown:\n"
                                  + "\n".join(unexpected))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop(check=exc_info[0] is None)

    # --- logs ------------------------------------------------------------

    def url(self, path, host=None):
        """Return the https URL of `path` for `host` (default 127.0.0.1)."""
        return f"https://{host or '127.0.0.1'}:{self.port}{path}"

    def error_log_text(self):
        """Return the whole error log, or "" before it exists."""
        try:
            return self.error_log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_mark(self):
        """Return the current end of the error log, for `since`."""
        try:
            return self.error_log.stat().st_size
        except FileNotFoundError:
            return 0

    def error_lines(self, since=0):
        """Return the error-log lines written after offset `since`."""
        try:
            with open(self.error_log, "rb") as log:
                log.seek(since)
                data = log.read()
        except FileNotFoundError:
            return []
        return data.decode("utf-8", errors="replace").splitlines()

    def wait_for_log(self, pattern, since=0, count=1,
                     timeout=LOG_WAIT_TIMEOUT):
        """Wait until at least `count` error-log lines after `since` match
        `pattern` and return all matching lines (possibly fewer after
        the timeout)."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            found = [l for l in self.error_lines(since) if regex.search(l)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def check_error_log(self, extra_patterns=()):
        """Return the warn-or-worse lines written since the previous check
        that neither `expected_log` nor `extra_patterns` cover, and move
        the check point to the end of the log."""
        end = self.log_mark()
        lines = self.error_lines(self._checked_offset)
        self._checked_offset = end
        return find_unexpected_lines(
            lines, self.expected_log + list(extra_patterns))

    def access_entries(self):
        """Return every access-log line parsed by parse_access_line."""
        try:
            text = self.access_log.read_text(errors="replace")
        except FileNotFoundError:
            return []
        return [parse_access_line(line) for line in text.splitlines()]

    def wait_for_access(self, token, timeout=LOG_WAIT_TIMEOUT):
        """Wait for the access-log entry whose URI contains `token` and
        return it; None after the timeout. httpd writes the entry after
        the response, so it may lag behind the client."""
        deadline = time.monotonic() + timeout
        while True:
            for entry in self.access_entries():
                if token in entry.get("uri", ""):
                    return entry
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)


def remove_tree(path):
    """Delete an instance directory, ignoring files that are gone."""
    shutil.rmtree(path, ignore_errors=True)
