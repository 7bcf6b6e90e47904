"""STARTTLS and implicit TLS through yagmail, with the server certificate verified."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from jumelage import warehouse
from jumelage.mailsink import MailSink
from jumelage.notify import enqueue, list_emails, send_queued
from tests.notify.helpers import make_config, sample_messages


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem)."""
    directory = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_modes_send_and_verify_the_certificate(tmp_path, certificate, monkeypatch, security):
    options = {"starttls_context" if security == "starttls" else "ssl_context": None}
    options = {k: server_context(certificate) for k in options}
    with MailSink(tmp_path / "box", users={"robot@example.org": "pw"}, **options) as sink:
        config = make_config(tmp_path, sink.port, security=security, user="robot@example.org")
        monkeypatch.setenv("JUMELAGE_SMTP_PASSWORD", "pw")
        con = warehouse.connect(config.data_dir)
        with warehouse.transaction(con):
            enqueue(con, sample_messages(config, 2))
        # An unknown certificate is refused: the messages wait, nothing leaks.
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-ca.pem"))
        stats = send_queued(con, config, retry_delay=0.01)
        assert stats.sent == [] and "CERTIFICATE_VERIFY_FAILED" in stats.error
        assert set(list_emails(con)["status"]) == {"queued"} and sink.messages == []
        # Trusting it, the same messages go out, encrypted and authenticated.
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        stats = send_queued(con, config, retry_delay=0.01)
        assert len(stats.sent) == 2, stats
        assert sink.logins == ["robot@example.org"]
        assert len(sink.messages) == 2
        con.close()
