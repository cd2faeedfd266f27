"""Certificates are verified for every host; the government-site quirks (an incomplete chain,
a server stuck on TLS 1.0) work only through the documented opt-ins, over real TLS."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import data_paths
from pipelines.stages import crawl, write_registry
from registry import legacy_tls_hosts, load_registry
from tests.integration.tls_server import TLSSite, make_authority

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _tls1_available() -> bool:
    """Some OpenSSL builds cannot speak TLS 1.0 at all; then there is nothing to opt into."""
    import ssl
    import warnings

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        with warnings.catch_warnings():  # deprecated on purpose: this is the old server
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        return False
    return True


@pytest.fixture(scope="module")
def tls_web(tmp_path_factory: pytest.TempPathFactory):
    if not _tls1_available():
        pytest.skip("this OpenSSL cannot speak TLS 1.0, so the legacy opt-in cannot be shown")
    root = tmp_path_factory.mktemp("tls")
    authority = make_authority(root / "ca")
    incomplete = TLSSite(authority.leaf_only, authority.key)
    old = TLSSite(authority.full_chain, authority.key, old_protocol=True)
    with incomplete, old:
        yield root, authority, incomplete.netloc, old.netloc


def _crawl(
    root: Path,
    name: str,
    netlocs: dict[str, str],
    legacy: set[str],
    extra: list[Path],
    monkeypatch: pytest.MonkeyPatch,
):
    """Crawl two registry institutions whose homepages are the local HTTPS sites."""
    institutions = load_registry()[:2]
    rows = [
        dataclasses.replace(
            inst,
            homepage=f"https://{netlocs[inst.inst_code]}",
            tls="legacy" if inst.inst_code in legacy else None,
            network="local",
            valid_to=None,
        )
        for (inst,) in zip(institutions, strict=False)
    ]
    registry = write_registry(rows, root / name / "registry.csv")
    bundle = root / name / "extra.pem"
    bundle.write_bytes(b"".join(p.read_bytes() for p in extra))
    if extra:
        monkeypatch.setenv("CCTV_TLS_EXTRA_CERTS", str(bundle))
    else:
        monkeypatch.delenv("CCTV_TLS_EXTRA_CERTS", raising=False)
    paths = data_paths(root / name / "data")
    crawl(paths, registry_path=registry, fast=True, download_timeout=5)
    homepages = {c.inst_code for c in read_index(paths) if c.role == "homepage" and c.status == 200}
    failures = {
        e["inst_code"]: f"{e.get('error')}: {e.get('message')}"
        for e in read_crawl_log(paths)
        if e["event"] in ("fetch_failed", "request_failed") and e.get("role") == "homepage"
    }
    return homepages, failures


@pytest.fixture(scope="module")
def codes():
    first, second = load_registry()[:2]
    return first.inst_code, second.inst_code


@pytest.fixture()
def netlocs(tls_web, codes):
    _, _, incomplete, old = tls_web
    return {codes[0]: incomplete, codes[1]: old}


def test_extra_intermediate_completes_a_chain_and_legacy_allows_tls10(
    tls_web, codes, netlocs, monkeypatch
) -> None:
    root, authority, _, _ = tls_web
    reached, failures = _crawl(
        root,
        "both",
        netlocs,
        {codes[1]},
        [authority.root_pem, authority.intermediate_pem],
        monkeypatch,
    )
    assert reached == set(codes), failures


def test_without_the_intermediate_the_incomplete_chain_fails_and_is_logged(
    tls_web, codes, netlocs, monkeypatch
) -> None:
    root, authority, _, _ = tls_web
    reached, failures = _crawl(
        root, "no-mid", netlocs, {codes[1]}, [authority.root_pem], monkeypatch
    )
    assert reached == {codes[1]}  # the TLS 1.0 site sends its whole chain
    assert "certificate" in failures[codes[0]].lower(), failures


def test_old_tls_fails_unless_the_registry_opts_in(tls_web, codes, netlocs, monkeypatch) -> None:
    root, authority, _, _ = tls_web
    reached, failures = _crawl(
        root,
        "no-legacy",
        netlocs,
        set(),
        [authority.root_pem, authority.intermediate_pem],
        monkeypatch,
    )
    assert reached == {codes[0]}
    assert codes[1] in failures


def test_legacy_never_skips_verification(tls_web, codes, netlocs, monkeypatch) -> None:
    root, _, _, _ = tls_web
    reached, failures = _crawl(root, "untrusted", netlocs, set(codes), [], monkeypatch)
    assert reached == set()  # an unknown root is refused, opt-in or not
    assert set(failures) == set(codes)
    assert all("certificate" in f.lower() or "ssl" in f.lower() for f in failures.values())


def test_legacy_hosts_come_from_the_registry() -> None:
    rows = load_registry()[:2]
    marked = [dataclasses.replace(rows[0], tls="legacy"), rows[1]]
    host = rows[0].homepage.split("://", 1)[1]
    assert legacy_tls_hosts(marked) == [host]
    assert legacy_tls_hosts(rows) == []
