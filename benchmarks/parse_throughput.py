"""Documents per second through `cctv parse`'s code path vs a bare `lxml.html.fromstring`
of the same bytes, in the same run. Target: full extraction within 3× of the bare parse.

Corpus: the labelled policy pages in tests/files/policies, the bundled sample-web pages,
and ../shared/realdata/policy_html when it is present. `--tree DIR` times the code of
another checkout of the project (an earlier revision) on this checkout's corpus, so that
two trees are compared on the same pages. The last line printed is one JSON object with
the figures and their ratio.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._result import print_result
from benchmarks._timing import interleaved

PROJECT = Path(__file__).resolve().parent.parent
REALDATA = PROJECT.parent / "shared" / "realdata" / "policy_html"
TARGET_RATIO = 3.0


def clear_caches() -> None:
    """Empty the memo caches of the pure functions, so repeats are not free. Every bounded
    `functools` cache in the loaded `domain` and `transforms` modules is cleared, so the
    list cannot fall behind the code (and the same script measures an older tree)."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("domain.", "transforms.")):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            # Bounded memos of text functions; unbounded caches hold tables read once per
            # process (the header synonyms, the link vocabulary), as in a build.
            if callable(info) and info().maxsize is not None:
                value.cache_clear()


def corpus() -> list[tuple[str, bytes]]:
    pages = sorted((PROJECT / "tests" / "files" / "policies").glob("*/page.html"))
    pages += sorted((PROJECT / "crawler" / "sample_web" / "sites").glob("*/*.html"))
    docs = [(str(p.relative_to(PROJECT)), p.read_bytes()) for p in pages]
    if REALDATA.exists():
        docs += [(str(p), p.read_bytes()) for p in sorted(REALDATA.rglob("*.jsp"))]
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=PROJECT, help="checkout whose code is timed")
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path.insert(0, str(tree))  # the project's modules are first imported below, from there
    from transforms.contract import parse_document

    docs = corpus()
    repeat = 5

    def full() -> None:
        for _ in range(repeat):
            clear_caches()  # each pass starts cold, as a build over new documents would
            for name, body in docs:
                parse_document(body, path=name)

    def bare() -> None:
        for _ in range(repeat):
            for _, body in docs:
                lxml.html.fromstring(body)

    t_full, t_bare = interleaved(full, bare)
    n = repeat * len(docs)
    ratio = t_full / t_bare
    print(
        f"code: {tree}; corpus: {len(docs)} documents ({sum(len(b) for _, b in docs):,} "
        f"bytes), realdata {'included' if REALDATA.exists() else 'absent'}"
    )
    print(f"cctv parse path: {n / t_full:,.0f} docs/s; bare lxml: {n / t_bare:,.0f} docs/s")
    print_result(
        "parse_throughput",
        ratio,
        TARGET_RATIO,
        documents=len(docs),
        parse_docs_per_s=round(n / t_full, 1),
        bare_lxml_docs_per_s=round(n / t_bare, 1),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
