"""TLS for government sites: certificates are verified for every host, and the quirks some
municipal servers still have are allowed only for hosts the registry names.

Scrapy 2.19 does not verify certificates unless told to. Archiving a page as a public
institution's disclosure means knowing it came from that institution, so this project
verifies everywhere (trust: certifi's pinned bundle plus `CCTV_TLS_EXTRA_CERTS`).

Two quirks are common on Korean public-sector servers:

- **Incomplete chains**: the server sends its certificate without the intermediate CA
  (browsers fetch it by AIA; OpenSSL does not). Fix: put the intermediate's PEM in the file
  named by `CCTV_TLS_EXTRA_CERTS`. The chain is still verified up to a trusted root.
- **Old protocol and ciphers** (TLS 1.0/1.1, SHA-1, RSA key exchange, no secure
  renegotiation): opt in per host with the registry column `tls = legacy`. The certificate
  and host name are still verified; only the protocol floor and cipher list are lowered.

Nothing here turns verification off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import certifi
from cryptography import x509
from OpenSSL import SSL, crypto
from scrapy.core.downloader.contextfactory import _get_creator_context
from scrapy.crawler import Crawler
from twisted.internet._sslverify import IOpenSSLTrustRoot
from twisted.internet.ssl import TLSVersion, optionsForClientTLS
from twisted.web.iweb import IPolicyForHTTPS
from zope.interface import implementer

LEGACY_CIPHERS = "DEFAULT:@SECLEVEL=0"
_OP_LEGACY_SERVER_CONNECT = 0x4  # talk to servers without RFC 5746 secure renegotiation


def read_pem_certificates(path: Path | str) -> list[crypto.X509]:
    """Every certificate in a PEM bundle; a clear error names the file if there is none."""
    try:
        certificates = x509.load_pem_x509_certificates(Path(path).read_bytes())
    except ValueError:  # no certificate, or a damaged one
        raise ValueError(f"{path}: no readable PEM certificate in the file") from None
    return [crypto.X509.from_cryptography(c) for c in certificates]


@implementer(IOpenSSLTrustRoot)
class BundleTrust:
    """certifi's roots plus extra certificates (intermediates, or a private root)."""

    def __init__(self, extra: list[crypto.X509] | None = None) -> None:
        self.extra = extra or []

    def _addCACertsToContext(self, context: SSL.Context) -> None:
        context.load_verify_locations(certifi.where())
        store = context.get_cert_store()
        for certificate in self.extra:
            store.add_cert(certificate)


@implementer(IPolicyForHTTPS)
class GovernmentTLSPolicy:
    """Scrapy's DOWNLOADER_CLIENTCONTEXTFACTORY: one verified TLS set-up per host."""

    def __init__(
        self, legacy_hosts: set[str] | None = None, extra_certs: Path | str | None = None
    ) -> None:
        self.legacy_hosts = {h.lower() for h in legacy_hosts or set()}
        self.trust = BundleTrust(read_pem_certificates(extra_certs) if extra_certs else [])

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> GovernmentTLSPolicy:
        settings = crawler.settings
        extra = settings.get("CCTV_TLS_EXTRA_CERTS") or os.environ.get("CCTV_TLS_EXTRA_CERTS")
        return cls(set(settings.getlist("CCTV_TLS_LEGACY_HOSTS")), extra or None)

    def is_legacy(self, host: str, port: int) -> bool:
        host = host.lower()
        return host in self.legacy_hosts or f"{host}:{port}" in self.legacy_hosts

    def creatorForNetloc(self, hostname: bytes, port: int):
        host = hostname.decode("ascii")
        extra: dict[str, Any] = {}
        legacy = self.is_legacy(host, port)
        if legacy:
            extra = {"insecurelyLowerMinimumTo": TLSVersion.TLSv1_0}
        creator = optionsForClientTLS(host, trustRoot=self.trust, extraCertificateOptions=extra)
        if legacy:
            context = _get_creator_context(creator)
            # Set on the context itself: Twisted's AcceptableCiphers keeps cipher names
            # only and would drop the @SECLEVEL that lets OpenSSL 3 use TLS 1.0 at all.
            context.set_cipher_list(LEGACY_CIPHERS.encode("ascii"))
            context.set_options(_OP_LEGACY_SERVER_CONNECT)
        return creator
