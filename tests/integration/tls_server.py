"""A certificate authority and HTTPS servers with the TLS quirks of government sites, all
on 127.0.0.1: an incomplete chain, and a server that speaks only TLS 1.0."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from crawler.sample_web.local_server import QuietServer
from tests.support import LocalServer, QuietHandler

_HOMEPAGE = (
    '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>누리집</title></head>'
    "<body><h1>시험 누리집</h1><p>알림</p></body></html>"
).encode()


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject, issuer, key, signer, *, ca: bool, san: bool = False) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    return builder.sign(signer, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class Authority:
    """Files of a root → intermediate → leaf(127.0.0.1) chain."""

    root_pem: Path
    intermediate_pem: Path
    leaf_only: Path  # the server's certificate alone: an incomplete chain
    full_chain: Path  # leaf + intermediate
    key: Path


def make_authority(directory: Path) -> Authority:
    directory.mkdir(parents=True, exist_ok=True)
    root_key, mid_key, leaf_key = (rsa.generate_private_key(65537, 2048) for _ in range(3))
    root = _cert("시험 루트 CA", "시험 루트 CA", root_key, root_key, ca=True)
    mid = _cert("시험 중간 CA", "시험 루트 CA", mid_key, root_key, ca=True)
    leaf = _cert("127.0.0.1", "시험 중간 CA", leaf_key, mid_key, ca=False, san=True)
    files = Authority(
        root_pem=directory / "root.pem",
        intermediate_pem=directory / "intermediate.pem",
        leaf_only=directory / "leaf.pem",
        full_chain=directory / "chain.pem",
        key=directory / "leaf.key",
    )
    files.root_pem.write_bytes(_pem(root))
    files.intermediate_pem.write_bytes(_pem(mid))
    files.leaf_only.write_bytes(_pem(leaf))
    files.full_chain.write_bytes(_pem(leaf) + _pem(mid))
    files.key.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return files


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        body = b"User-agent: *\nDisallow: /admin/\n" if self.path == "/robots.txt" else _HOMEPAGE
        self.respond(200, body, [("Content-Type", "text/html; charset=utf-8")])


class _HandshakeQuietServer(QuietServer):
    def handle_error(self, request, client_address) -> None:
        pass  # refused handshakes are what the tests provoke


class TLSSite(LocalServer):
    """One HTTPS site on 127.0.0.1 with the given certificate file and protocol range."""

    scheme = "https"

    def __init__(self, chain: Path, key: Path, *, old_protocol: bool = False) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if old_protocol:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            with warnings.catch_warnings():  # TLS 1.0 is deprecated: that is the point
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.TLSv1
                context.maximum_version = ssl.TLSVersion.TLSv1
        context.load_cert_chain(chain, key)
        super().__init__(_Handler, _HandshakeQuietServer)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
