"""Apache instances for the benchmarks and the soak test.

Three setups with identical TLS settings, each in its own apache2 on its
own port of 127.0.0.1:

- baseline: mod_ssl with "SSLVerifyClient optional" and no check at all;
- rewrite: the classic RewriteCond %{SSL:SSL_CLIENT_VERIFY} !^SUCCESS$
  plus a RewriteRule to a help page;
- certhelp: mod_certhelp with "CertHelp On".

The classes reuse the integration tests' PKI (tests/integration/pki.py) and
process control (tests/integration/apache.py); only the configuration text
differs. It is leaner than the tests': no access log, no mod_headers lines
and no SSLOptions +StdEnvVars, which would add the same cost to every setup
and hide the module's share of it.
"""

import os
import sys
import tempfile
import textwrap
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))

import apache  # noqa: E402  (the path is set just above)
import pki as pki_module  # noqa: E402

SETUPS = ("baseline", "rewrite", "certhelp")

# The help page of the rewrite setup; apache.py writes it into every
# document root.
HELP_PATH = "/help/page.html"
# The protected file that every workload requests (15 bytes).
CONTENT_PATH = "/secret.txt"

# Lines that distinguish the setups; everything else is identical.
SETUP_CONF = {
    "baseline": "",
    "rewrite": textwrap.dedent(f"""\
        RewriteEngine On
        RewriteCond %{{SSL:SSL_CLIENT_VERIFY}} !^SUCCESS$
        RewriteCond %{{REQUEST_URI}} !^/help/
        RewriteRule ^ {HELP_PATH} [PT,L]
        """),
    "certhelp": "CertHelp On\n",
}

# Modules of every setup, after the MPM; compiled-in ones are skipped.
MODULES = ("authz_core", "ssl", "http2", "mime", "rewrite",
           "socache_shmcb", "log_config", "unixd")


class BenchApache(apache.Apache):
    """An apache.Apache whose httpd.conf is one benchmark setup.

    `extra_conf` goes into the virtual host after the setup's lines, and
    `server_conf` into the main server. Two children serve requests, with
    `threads` worker threads each.
    """

    def __init__(self, root, pki, setup, *, apache2, module=None,
                 extra_conf="", server_conf="", expected_log=(),
                 threads=64):
        if setup not in SETUPS:
            raise ValueError(f"unknown setup {setup!r}; expected one of "
                             f"{SETUPS}")
        if setup == "certhelp" and not module:
            raise ValueError("the certhelp setup needs the module path")
        super().__init__(root, pki, apache2=apache2,
                         module=module if setup == "certhelp" else None,
                         log_level="warn", expected_log=expected_log)
        self.setup = setup
        self.threads = threads
        self.extra_conf = extra_conf
        self.bench_server_conf = server_conf

    def _module_lines(self):
        builtin = apache.compiled_in_modules(self.apache2)
        lines = []
        for name in ("mpm_event",) + MODULES:
            if name not in builtin:
                lines.append(f"LoadModule {name}_module "
                             f"{apache.MODULE_DIR}/mod_{name}.so")
        if self.module:
            lines.append(f"LoadModule certhelp_module {self.module}")
        return "\n".join(lines) + "\n"

    def config_text(self):
        """Return httpd.conf for this setup."""
        pki = self.pki
        run = self.root / "run"
        vhost_body = textwrap.dedent(f"""\
            SSLEngine on
            SSLCertificateFile {pki.server_cert_path}
            SSLCertificateKeyFile {pki.server_key_path}
            SSLCACertificateFile {pki.root.cert_path}
            SSLVerifyClient optional
            SSLVerifyDepth 3
            """) + SETUP_CONF[self.setup] + textwrap.dedent(self.extra_conf)
        # The process layout is fixed so that children live for the whole
        # run: the memory and leak checks compare the same processes.
        # ServerLimit leaves room for the old generation of a graceful
        # restart, while MaxRequestWorkers / ThreadsPerChild keeps two
        # serving children.
        return "\n".join([
            textwrap.dedent(f"""\
                ServerRoot {self.root}
                ServerName localhost
                Listen 127.0.0.1:{self.port}
                PidFile {self.pid_file}
                DefaultRuntimeDir {run}
                User www-data
                Group www-data
                """),
            self._module_lines(),
            textwrap.dedent(f"""\
                ErrorLog {self.error_log}
                LogLevel warn
                TypesConfig {apache.MIME_TYPES}
                Protocols h2 http/1.1
                SSLProtocol -all +TLSv1.2 +TLSv1.3
                SSLSessionCache shmcb:{run / "ssl_scache"}(512000)
                SSLSessionCacheTimeout 300
                KeepAlive On
                MaxKeepAliveRequests 0
                KeepAliveTimeout 10
                Timeout 20
                StartServers 2
                ServerLimit 4
                ThreadsPerChild {self.threads}
                MaxRequestWorkers {2 * self.threads}
                MinSpareThreads 1
                MaxSpareThreads {2 * self.threads}
                MaxConnectionsPerChild 0
                DocumentRoot {self.docroot}
                <Directory />
                    AllowOverride None
                    Require all denied
                </Directory>
                <Directory {self.docroot}>
                    Options None
                    AllowOverride None
                    Require all granted
                </Directory>
                """),
            textwrap.dedent(self.bench_server_conf),
            f"<VirtualHost 127.0.0.1:{self.port}>\n"
            f"    ServerName localhost\n"
            f"{textwrap.indent(vhost_body, '    ')}"
            f"</VirtualHost>\n",
        ])

    def child_pids(self):
        """Return the pids of the master's child processes, sorted."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                exe = os.readlink(entry / "exe")
            except OSError:
                continue
            # The command name may contain spaces, so split after ")".
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) != self.pid or "apache2" not in exe:
                continue
            pids.append(int(entry.name))
        return sorted(pids)


def new_work_dir(prefix):
    """Create a temporary directory that www-data can read."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def create_pki(work_dir):
    """Create the integration tests' PKI in `work_dir`/pki, plus one PEM
    file per client certificate with the certificate and then its key,
    which is the layout "ab -E" reads."""
    pki = pki_module.create_pki(work_dir / "pki")
    for client in pki.clients.values():
        combined = pki.directory / f"client-{client.name}.combined.pem"
        combined.write_bytes(client.cert_path.read_bytes()
                             + client.key_path.read_bytes())
        combined.chmod(0o600)
    return pki


def combined_pem(pki, name):
    """Return the path of the certificate-and-key file of client `name`."""
    return pki.directory / f"client-{name}.combined.pem"
