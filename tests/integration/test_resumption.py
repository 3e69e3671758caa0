"""TLS session resumption: a session of a certificate that failed
verification never comes back as a verified one, and a valid certificate's
session still resumes."""

import pytest

import apache
from conftest import Clients
from outcomes import ACCEPT_JSON, FAILING_CERTS, check_outcome_json

DEFAULT_CONF = """\
<Location /protected>
    CertHelp On
</Location>
<Location /open>
    CertHelp Off
</Location>
"""


@pytest.fixture(scope="module")
def stateless(apache_factory, pki):
    """Session tickets on (mod_ssl's default): TLS 1.2 tickets and
    stateless TLS 1.3 tickets."""
    server = apache_factory.new(default_conf=DEFAULT_CONF,
                                server_conf="SSLSessionTickets on\n")
    with server:
        yield Clients(server, pki)


@pytest.fixture(scope="module")
def stateful(apache_factory, pki):
    """Session tickets off: TLS 1.2 session IDs and stateful TLS 1.3
    tickets, both from the shmcb session cache."""
    server = apache_factory.new(default_conf=DEFAULT_CONF,
                                server_conf="SSLSessionTickets off\n")
    with server:
        yield Clients(server, pki)


# (name, TLS version, server fixture, client sends the ticket extension)
MODES = [
    ("tls1.2-session-id", "1.2", "stateful", False),
    ("tls1.2-ticket", "1.2", "stateless", True),
    ("tls1.3-ticket", "1.3", "stateless", True),
    ("tls1.3-stateful", "1.3", "stateful", True),
]


@pytest.fixture(params=MODES, ids=[m[0] for m in MODES])
def mode(request):
    name, tls, server_fixture, tickets = request.param
    clients = request.getfixturevalue(server_fixture)
    return clients, tls, tickets


def first_then_resumed(clients, tls, tickets, cert, first_path, paths):
    """Open a connection, then a second one that offers its session."""
    client = clients.tls(cert, tls=tls, tickets=tickets)
    first = client.exchange(first_path, headers={"Accept": ACCEPT_JSON})
    assert first.error is None, first.error
    assert first.session is not None
    second = client.exchange(paths, headers={"Accept": ACCEPT_JSON},
                             session=first.session)
    return first, second


def test_valid_session_resumes(mode):
    clients, tls, tickets = mode
    first, second = first_then_resumed(
        clients, tls, tickets, "valid", "/protected/secret.txt",
        ["/protected/secret.txt", "/open/verify.shtml"])
    assert first.response.status == 200
    assert second.error is None, second.error
    assert second.session_reused, "the server did not resume the session"
    assert second.responses[0].status == 200
    assert second.responses[0].text == apache.SECRET_TEXT
    assert "verify=SUCCESS\n" in second.responses[1].text


@pytest.mark.parametrize("cert", ["expired", "unknown_issuer", "wrong_eku"])
def test_failed_session_never_succeeds(mode, cert):
    clients, tls, tickets = mode
    outcome = FAILING_CERTS[cert]
    first, second = first_then_resumed(
        clients, tls, tickets, cert, "/protected/secret.txt",
        ["/protected/secret.txt", "/public/secret.txt",
         "/open/verify.shtml"])
    check_outcome_json(first.response, outcome)

    # The session was offered, so a resumption would have been possible.
    assert first.session.has_ticket or first.session.id, first.session
    reused = f"session reused: {second.session_reused}"
    assert not second.session_reused, "a failed session was resumed"
    assert second.error is None, f"{second.error} ({reused})"
    protected, public, verify = second.responses
    assert protected.status == 403, f"{reused}\n{protected.describe()}"
    check_outcome_json(protected, outcome)
    assert public.status == 403, f"{reused}\n{public.describe()}"
    assert "secret content" not in public.text
    assert verify.status == 200, verify.describe()
    assert "verify=SUCCESS" not in verify.text, f"{reused}\n{verify.text}"
    assert "expr=NOT-SUCCESS\n" in verify.text, verify.text


def test_missing_cert_session(mode):
    clients, tls, tickets = mode
    first, second = first_then_resumed(
        clients, tls, tickets, None, "/protected/secret.txt",
        ["/protected/secret.txt"])
    check_outcome_json(first.response, "missing")
    assert second.error is None, second.error
    check_outcome_json(second.response, "missing")
