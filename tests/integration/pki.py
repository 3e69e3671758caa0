"""Test PKI: certificate authorities, a server certificate, client
certificates for every outcome, and CRLs, written as PEM files.

Every key is EC P-256 so that generation takes well under a second.
"""

import dataclasses
import datetime
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Host names the server certificate covers; the tests resolve them to
# 127.0.0.1 and send them as SNI.
SERVER_NAMES = ("localhost", "a.test", "b.test")

# Subject text meant to break pages, headers, URLs and log lines that embed
# it without escaping.
HOSTILE_ORGANIZATION = (
    "<script>alert(\"o\")</script> 'q' 100%s %n \u00e9\u00fc")
HOSTILE_COMMON_NAME = "Mallory\r\nInjected: yes <b>&amp;</b> 50% \u2603"


@dataclasses.dataclass
class Authority:
    """A CA: its key, its certificate and the PEM file of the certificate."""

    name: str
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    cert_path: Path


@dataclasses.dataclass
class ClientCert:
    """A client certificate as a TLS client loads it.

    cert_path contains the leaf followed by any intermediates the client
    sends.
    """

    name: str
    cert_path: Path
    key_path: Path
    serial: int
    subject_cn: str
    issuer_cn: str
    not_before: datetime.datetime
    not_after: datetime.datetime

    @property
    def serial_hex(self):
        """Serial number in upper-case hexadecimal, two digits per byte and
        without separators, as OpenSSL's BN_bn2hex prints it."""
        digits = format(self.serial, "X")
        return digits if len(digits) % 2 == 0 else "0" + digits


@dataclasses.dataclass
class Pki:
    """All files of the test PKI."""

    directory: Path
    root: Authority
    intermediate: Authority
    revoked_intermediate: Authority
    untrusted_root: Authority
    server_cert_path: Path
    server_key_path: Path
    # Root CRL, then the CRLs of both intermediates, concatenated.
    crl_chain_path: Path
    # Root CRL alone.
    crl_root_path: Path
    clients: dict

    def client(self, name):
        """Return the client certificate called `name`."""
        return self.clients[name]


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _name(common_name, organization="CertHelp Tests"):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _write_pem(path, data, private=False):
    path.write_bytes(data)
    os.chmod(path, 0o600 if private else 0o644)


def _write_key(path, key):
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_pem(path, data, private=True)


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


class _Builder:
    """Issues certificates into one directory."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.now = _now()

    def new_key(self):
        return ec.generate_private_key(ec.SECP256R1())

    def issue(self, subject, public_key, issuer, *, ca=False, eku=None,
              not_before=None, not_after=None, extensions=()):
        """Sign a certificate for `public_key` with `issuer`.

        `issuer` is an Authority, or a (name, key) pair for a self-signed
        certificate.
        """
        if isinstance(issuer, Authority):
            issuer_name = issuer.cert.subject
            issuer_key = issuer.key
        else:
            issuer_name, issuer_key = issuer

        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or self.now - datetime.timedelta(
                days=1))
            .not_valid_after(not_after or self.now + datetime.timedelta(
                days=30))
            .add_extension(
                x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(public_key),
                critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    issuer_key.public_key()),
                critical=False)
        )
        if ca:
            builder = builder.add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False,
                    key_encipherment=False, data_encipherment=False,
                    key_agreement=False, key_cert_sign=True, crl_sign=True,
                    encipher_only=False, decipher_only=False),
                critical=True)
        else:
            builder = builder.add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False,
                    key_encipherment=False, data_encipherment=False,
                    key_agreement=True, key_cert_sign=False, crl_sign=False,
                    encipher_only=False, decipher_only=False),
                critical=True)
        if eku is not None:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage(list(eku)), critical=False)
        for extension in extensions:
            builder = builder.add_extension(extension, critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def authority(self, name, common_name, issuer=None):
        key = self.new_key()
        subject = _name(common_name)
        cert = self.issue(subject, key.public_key(),
                          issuer if issuer else (subject, key), ca=True)
        cert_path = self.directory / f"{name}.pem"
        _write_pem(cert_path, _cert_pem(cert))
        _write_key(self.directory / f"{name}.key", key)
        return Authority(name, key, cert, cert_path)

    def client(self, name, issuer, *, chain=(), subject=None, eku=None,
               not_before=None, not_after=None, self_signed=False,
               corrupt_signature=False):
        """Issue a client certificate and write its PEM files.

        `chain` lists the authorities whose certificates follow the leaf in
        the file the client sends.
        """
        key = self.new_key()
        subject = subject or _name(f"CertHelp client {name}")
        signer = (subject, key) if self_signed else issuer
        if eku is None:
            eku = [ExtendedKeyUsageOID.CLIENT_AUTH]
        cert = self.issue(subject, key.public_key(), signer, eku=eku,
                          not_before=not_before, not_after=not_after)

        der = cert.public_bytes(serialization.Encoding.DER)
        if corrupt_signature:
            der = _flip_signature_byte(der)
        pem = _der_to_pem(der)
        for authority in chain:
            pem += _cert_pem(authority.cert)

        cert_path = self.directory / f"client-{name}.pem"
        key_path = self.directory / f"client-{name}.key"
        _write_pem(cert_path, pem)
        _write_key(key_path, key)

        issuer_name = subject if self_signed else issuer.cert.subject
        return ClientCert(
            name=name,
            cert_path=cert_path,
            key_path=key_path,
            serial=cert.serial_number,
            subject_cn=_common_name(subject),
            issuer_cn=_common_name(issuer_name),
            not_before=cert.not_valid_before.replace(
                tzinfo=datetime.timezone.utc),
            not_after=cert.not_valid_after.replace(
                tzinfo=datetime.timezone.utc),
        )

    def crl(self, issuer, revoked_serials):
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.cert.subject)
            .last_update(self.now - datetime.timedelta(hours=1))
            .next_update(self.now + datetime.timedelta(days=7))
        )
        for serial in revoked_serials:
            revoked = (
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(self.now - datetime.timedelta(minutes=30))
                .build()
            )
            builder = builder.add_revoked_certificate(revoked)
        crl = builder.sign(issuer.key, hashes.SHA256())
        return crl.public_bytes(serialization.Encoding.PEM)


def _common_name(name):
    return name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _der_to_pem(der):
    return x509.load_der_x509_certificate(der).public_bytes(
        serialization.Encoding.PEM)


def _flip_signature_byte(der):
    """Invert the last byte of a certificate's DER encoding.

    The encoding ends with the signature value. For ECDSA that last byte
    is the low byte of the integer s, so the encoding stays well-formed
    while the signature no longer verifies.
    """
    return der[:-1] + bytes([der[-1] ^ 0xFF])


def _hostile_name():
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, HOSTILE_ORGANIZATION),
        x509.NameAttribute(NameOID.COMMON_NAME, HOSTILE_COMMON_NAME),
    ])


def create_pki(directory):
    """Generate the whole test PKI under `directory` and return it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    build = _Builder(directory)
    now = build.now
    day = datetime.timedelta(days=1)

    root = build.authority("root", "CertHelp Test Root CA")
    intermediate = build.authority(
        "intermediate", "CertHelp Test Intermediate CA", issuer=root)
    revoked_intermediate = build.authority(
        "revoked-intermediate", "CertHelp Test Revoked Intermediate CA",
        issuer=root)
    untrusted_root = build.authority("untrusted-root",
                                     "CertHelp Untrusted Root CA")

    server_key = build.new_key()
    san = [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    san += [x509.DNSName(name) for name in SERVER_NAMES]
    server_cert = build.issue(
        _name("localhost"), server_key.public_key(), root,
        eku=[ExtendedKeyUsageOID.SERVER_AUTH],
        extensions=[x509.SubjectAlternativeName(san)])
    server_cert_path = directory / "server.pem"
    server_key_path = directory / "server.key"
    _write_pem(server_cert_path, _cert_pem(server_cert))
    _write_key(server_key_path, server_key)

    clients = {}

    def add(name, issuer, **kwargs):
        clients[name] = build.client(name, issuer, **kwargs)

    add("valid", root)
    # Expires in ten days and a half, for CertHelpExpiryWarning.
    add("expiring_soon", root, not_before=now - 30 * day,
        not_after=now + 10 * day + day / 2)
    add("chain", intermediate, chain=[intermediate])
    add("expired", root, not_before=now - 30 * day, not_after=now - day)
    add("not_yet_valid", root, not_before=now + day,
        not_after=now + 30 * day)
    add("revoked", root)
    add("unknown_issuer", untrusted_root)
    add("self_signed", None, self_signed=True)
    add("wrong_eku", root, eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    add("bad_signature", root, corrupt_signature=True)
    add("leaf_without_intermediate", intermediate)
    add("via_revoked_intermediate", revoked_intermediate,
        chain=[revoked_intermediate])
    add("expired_unknown_issuer", untrusted_root,
        not_before=now - 30 * day, not_after=now - day)
    add("hostile", root, subject=_hostile_name())
    add("hostile_expired", root, subject=_hostile_name(),
        not_before=now - 30 * day, not_after=now - day)

    root_crl = build.crl(root, [clients["revoked"].serial,
                                revoked_intermediate.cert.serial_number])
    crl_root_path = directory / "root.crl.pem"
    _write_pem(crl_root_path, root_crl)
    crl_chain_path = directory / "chain.crl.pem"
    _write_pem(crl_chain_path,
               root_crl + build.crl(intermediate, [])
               + build.crl(revoked_intermediate, []))

    return Pki(
        directory=directory,
        root=root,
        intermediate=intermediate,
        revoked_intermediate=revoked_intermediate,
        untrusted_root=untrusted_root,
        server_cert_path=server_cert_path,
        server_key_path=server_key_path,
        crl_chain_path=crl_chain_path,
        crl_root_path=crl_root_path,
        clients=clients,
    )
