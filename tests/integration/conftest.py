"""Fixtures shared by the integration tests.

Environment:
  CERTHELP_MODULE   path of the built mod_certhelp.so (required by tests
                    that load the module)
  APACHE2           apache2 binary (default /usr/sbin/apache2)
  CERTHELP_KEEP     set to 1 to keep the temporary directories for
                    debugging; their path is printed at the end
"""

import os
import tempfile
from pathlib import Path

import pytest

import apache
import pki as pki_module
from clients import TlsClient, curl, s_client


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "expected_log(*patterns): regular expressions of warn-or-worse "
        "error-log lines that the test is expected to cause")


def pytest_sessionfinish(session, exitstatus):
    """Stop servers that a failed fixture teardown left running."""
    for instance in list(apache.Apache.live):
        instance.stop(check=False)


@pytest.fixture(scope="session")
def work_dir():
    """Directory of this run's PKI and server roots, readable by
    www-data."""
    path = Path(tempfile.mkdtemp(prefix="certhelp-it-"))
    path.chmod(0o755)
    yield path
    if os.environ.get("CERTHELP_KEEP") == "1":
        print(f"\nkept integration test files in {path}")
    else:
        apache.remove_tree(path)


@pytest.fixture(scope="session")
def pki(work_dir):
    return pki_module.create_pki(work_dir / "pki")


@pytest.fixture(scope="session")
def apache2_binary():
    path = os.environ.get("APACHE2") or "/usr/sbin/apache2"
    if not os.access(path, os.X_OK):
        pytest.exit(f"apache2 binary not found or not executable: {path} "
                    "(apt-get install apache2, or set APACHE2)", returncode=2)
    return path


@pytest.fixture(scope="session")
def module_path():
    path = os.environ.get("CERTHELP_MODULE")
    if not path:
        pytest.exit("CERTHELP_MODULE is not set; run the tests through "
                    "tests/integration/run or make check", returncode=2)
    if not os.path.isfile(path):
        pytest.exit(f"mod_certhelp not found at {path}; build it with make",
                    returncode=2)
    return os.path.abspath(path)


class ApacheFactory:
    """Creates Apache instances in numbered directories of the work
    directory."""

    count = 0

    def __init__(self, work_dir, pki, apache2, module):
        self.work_dir = work_dir
        self.pki = pki
        self.apache2 = apache2
        self.module = module

    def new(self, *, with_module=True, **kwargs):
        """Return an unstarted instance; kwargs go to apache.Apache."""
        # One sequence for every factory of the run: two factories share
        # the work directory, and a reused server root would carry another
        # test's error log.
        ApacheFactory.count += 1
        root = self.work_dir / f"httpd-{ApacheFactory.count:03d}"
        return apache.Apache(
            root, self.pki, apache2=self.apache2,
            module=self.module if with_module else None, **kwargs)


@pytest.fixture(scope="session")
def plain_apache_factory(work_dir, pki, apache2_binary):
    """Factory for instances without mod_certhelp."""
    return ApacheFactory(work_dir, pki, apache2_binary, None)


@pytest.fixture(scope="session")
def apache_factory(work_dir, pki, apache2_binary, module_path):
    """Factory for instances that load mod_certhelp."""
    return ApacheFactory(work_dir, pki, apache2_binary, module_path)


@pytest.fixture(autouse=True)
def error_log_check(request):
    """Fail a test that leaves warn-or-worse lines in the error log of any
    running server, unless an expected_log marker covers them."""
    yield
    patterns = []
    for marker in request.node.iter_markers("expected_log"):
        patterns.extend(marker.args)
    problems = []
    for instance in list(apache.Apache.live):
        for line in instance.check_error_log(patterns):
            problems.append(f"{instance.root.name}: {line}")
    if problems:
        pytest.fail("unexpected error-log lines:\n" + "\n".join(problems),
                    pytrace=False)


class Clients:
    """Client helpers bound to one server and the test CA."""

    def __init__(self, server, pki):
        self.server = server
        self.pki = pki

    def tls(self, cert=None, tls="1.3", tickets=True):
        """Return a TlsClient; `cert` is a client certificate name."""
        return TlsClient(self.server.port, self.pki.root.cert_path,
                         cert=self._cert(cert), tls=tls, tickets=tickets)

    def curl(self, path, cert=None, **kwargs):
        return curl(self.server.port, path, ca_file=self.pki.root.cert_path,
                    cert=self._cert(cert), **kwargs)

    def s_client(self, cert=None, **kwargs):
        return s_client(self.server.port, ca_file=self.pki.root.cert_path,
                        cert=self._cert(cert), **kwargs)

    def _cert(self, name):
        return None if name is None else self.pki.client(name)
