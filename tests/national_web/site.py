"""One synthetic site while it is being written: its answers by target, and the helpers
every route uses to add pages, files and scripts in the site's own look and encoding."""

from __future__ import annotations

import dataclasses
import random
import re
from dataclasses import dataclass, field
from html import escape

from tests.national_web.files import DISPOSITION_STYLES, File, disposition, inventory_file
from tests.national_web.templates import Facts, Paths, Template

__all__ = ["Answer", "Draft"]

_XLSX_EVERY = 6  # one inventory in this many is a spreadsheet, the rest CSV
_FILE_ID = re.compile(r"(?:atchFileId|fileId)=([^&]+)")


@dataclass(frozen=True)
class Answer:
    """One answer of a site; `fault` is applied by the server when the request arrives."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    fault: str | None = None
    burst: int = 0  # failures before success, for `server_error_burst`


@dataclass
class Draft:
    """A site being written. `rank` is the site's place among the sites given its route, so
    that sites of one route vary their markup (which script call, which file kind)."""

    template: Template
    facts: Facts
    encoding: str  # what the bytes are
    declared: str  # what the headers and <meta> say they are
    faults: tuple[str, ...]
    index: int  # the site's position in the registry
    rank: int
    rng: random.Random
    validators: tuple[tuple[str, str], ...]
    answers: dict[str, Answer] = field(default_factory=dict)
    # What clients that are not browsers get instead of any answer: ("block", a 403) or
    # ("unsupported", a "browser not supported" page; robots.txt is still served).
    gate: tuple[str, Answer] | None = None

    @property
    def paths(self) -> Paths:
        return self.template.paths(self.facts)

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.declared}"

    def page(
        self,
        title: str,
        body: str,
        *,
        head: str = "",
        status: int = 200,
        fault: str | None = None,
        burst: int = 0,
    ) -> Answer:
        """A page in the site's chrome, encoded as the site encodes (and mislabels) pages."""
        text = self.template.page(
            self.facts, declared=self.declared, title=escape(title), body=body, head=head
        )
        return self.document(text, status=status, fault=fault, burst=burst)

    def document(
        self, html: str, *, status: int = 200, fault: str | None = None, burst: int = 0
    ) -> Answer:
        """A whole HTML document as written (redirect stubs, framesets, framed content)."""
        return Answer(
            status=status,
            body=html.encode(self.encoding),
            content_type=self.content_type,
            headers=self.validators,
            fault=fault,
            burst=burst,
        )

    def bare(self, title: str, body: str, head: str = "") -> str:
        """A document without the site's chrome, with the site's charset declaration."""
        return (
            f'<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta http-equiv="Content-Type" '
            f'content="text/html; charset={self.declared}">\n<title>{escape(title)}</title>\n'
            f"{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
        )

    def asset(self, body: str | bytes, content_type: str) -> Answer:
        """A script, JSON or image: UTF-8, as web servers send static files."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        return Answer(body=data, content_type=content_type, headers=self.validators)

    def download(self, target: str, file: File, *, fault: str | None = None) -> str:
        """Serve `file` at `target` as an attachment, named the way this site's server names
        downloads; returns the target."""
        extension = file.name.rsplit(".", 1)[1]
        file_id = _FILE_ID.search(target)
        fallback = f"{file_id.group(1) if file_id else 'download'}.{extension}"
        style = DISPOSITION_STYLES[self.index % len(DISPOSITION_STYLES)]
        self.answers[target] = Answer(
            body=file.body,
            content_type=file.content_type,
            headers=(
                ("Content-Disposition", disposition(file.name, fallback, style)),
                *self.validators,
            ),
            fault=fault,
        )
        return target

    def inventory(self, facts: Facts, *, fault: str | None = None) -> str:
        """The inventory file a policy with these facts links; returns its target."""
        as_xlsx = self.index % _XLSX_EVERY == _XLSX_EVERY - 1
        target = self.template.paths(facts).attachment
        return self.download(target, inventory_file(facts, self.encoding, as_xlsx), fault=fault)

    def policy_body(self, facts: Facts, attachment: str | None = None) -> str:
        """The template's policy text for `facts`; `attachment` replaces the file link's
        href (a script call, say)."""
        paths = self.template.paths(facts)
        if attachment is not None:
            paths = dataclasses.replace(paths, attachment=attachment)
        return self.template.policy(facts, paths)

    def page_cameras(self, facts: Facts) -> int:
        """Cameras a reader counts on this template's policy page: none on an unfilled
        model text, whose numbers are only in the file."""
        return 0 if self.template.name == "placeholder" else facts.total
