"""URLs written as script, read without running any: `location.href='…'`, `window.open(…)`,
`location.replace(…)`, and calls of a site's own helpers (goPage('1234'),
fn_goMenu('/contents.do?key=…'), fn_egov_downFile('FILE_…','0')) whose URL the helper
builds from string literals and its parameters.

Government CMSs write menus and download buttons this way; a crawler that reads only
`<a href>` misses them. The helper's body is read for the one statement that navigates
(or submits a form) and the expression it navigates to: literals and parameters joined
with `+`, a local variable built the same way, a form field set from a parameter. Anything
else (a computed value, a lookup table) leaves the call unresolved: no guessing.

Work is bounded: a script is read up to MAX_SCRIPT_CHARS, once, by one regex tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

MAX_SCRIPT_CHARS = 256 * 1024

_TOKENS = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<punct>=>|===|!==|==|!=|\+=|&&|\|\||[{}()\[\];,.=+:?!<>&|*/%-])
  | (?P<other>.)
    """,
    re.X | re.S,
)
_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}
_KEYWORDS = frozenset(
    {
        *("if", "for", "while", "switch", "catch", "return", "function", "typeof", "new"),
        *("var", "let", "const", "else", "do", "try", "with", "in", "of", "instanceof"),
        *("delete", "void", "this"),
    }
)
_ENCODERS = frozenset({"encodeURIComponent", "encodeURI", "escape"})
_PLACEHOLDER = re.compile(r"\$\{\s*([A-Za-z_$][\w$]*)\s*\}")


class Token(NamedTuple):
    kind: str  # string | number | name | punct | other
    value: str


@dataclass(frozen=True)
class Call:
    """A call as written in an onclick or a javascript: link: its literal arguments (None
    where an argument is not a literal, such as `this`)."""

    name: str
    args: tuple[str | None, ...]


# A URL template: literal text, or the index of the parameter (or form value) to insert;
# `encoded` parts were wrapped in encodeURIComponent and are percent-encoded when filled.
Part = tuple[str, str | int, bool]


@dataclass(frozen=True)
class Helper:
    """What a site's helper function navigates to, in terms of its parameters."""

    name: str
    params: tuple[str, ...]
    parts: tuple[Part, ...]

    def url(self, args: tuple[str | None, ...]) -> str | None:
        out = []
        for kind, value, encoded in self.parts:
            if kind == "lit":
                out.append(str(value))
                continue
            index = int(value)
            arg = args[index] if index < len(args) else None
            if arg is None:
                return None
            out.append(quote(arg, safe="") if encoded else arg)
        return "".join(out) or None


def tokens(js: str) -> list[Token]:
    """The script's tokens, comments and white space dropped."""
    return [
        Token(m.lastgroup or "other", m.group())
        for m in _TOKENS.finditer(js[:MAX_SCRIPT_CHARS])
        if m.lastgroup not in ("space", "comment")
    ]


def string_value(literal: str) -> str:
    """The text of a JS string literal (quotes removed, escapes read)."""
    body = literal[1:-1]

    def unescape(m: re.Match[str]) -> str:
        seq = m.group(1)
        if seq[0] in "ux" and len(seq) > 1:
            return chr(int(seq[1:], 16))
        return _SIMPLE_ESCAPES.get(seq, seq)

    return _ESCAPES.sub(unescape, body)


def _matching(toks: list[Token], start: int, open_: str, close: str) -> int:
    """Index of the bracket closing the one at `start` (or len(toks) when unbalanced)."""
    depth = 0
    for i in range(start, len(toks)):
        value = toks[i].value
        if toks[i].kind == "punct":
            if value == open_:
                depth += 1
            elif value == close:
                depth -= 1
                if depth == 0:
                    return i
    return len(toks)


def _params(toks: list[Token], start: int) -> tuple[tuple[str, ...], int]:
    """Parameter names of the list opening at `start`, and the index after its `)`."""
    end = _matching(toks, start, "(", ")")
    names = []
    depth = 0
    expect_name = True
    for tok in toks[start + 1 : end]:
        if tok.kind == "punct" and tok.value in "([{":
            depth += 1
        elif tok.kind == "punct" and tok.value in ")]}":
            depth -= 1
        elif depth == 0 and tok.kind == "punct" and tok.value == ",":
            expect_name = True
        elif depth == 0 and tok.kind == "name" and expect_name:
            names.append(tok.value)
            expect_name = False
    return tuple(names), end + 1


def _functions(toks: list[Token]) -> list[tuple[str, tuple[str, ...], int, int]]:
    """(name, params, body start, body end) of every named function definition:
    `function f(a){…}`, `f = function(a){…}`, `var f = (a) => {…}`, `f: function(a){…}`."""
    found = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        name = None
        params_at = None
        if tok.value == "function" and i + 2 < n and toks[i + 1].kind == "name":
            if toks[i + 2].value == "(":
                name, params_at = toks[i + 1].value, i + 2
        elif (
            tok.kind == "name"
            and tok.value not in _KEYWORDS
            and i + 2 < n
            and toks[i + 1].value in ("=", ":")
        ):
            j = i + 2
            if toks[j].value == "function":
                j += 1
                if j < n and toks[j].kind == "name":  # a named function expression
                    j += 1
                if j < n and toks[j].value == "(":
                    name, params_at = tok.value, j
            elif toks[j].value == "(":
                close = _matching(toks, j, "(", ")")
                if close + 1 < n and toks[close + 1].value == "=>":
                    name, params_at = tok.value, j
        if name is None or params_at is None:
            i += 1
            continue
        params, after = _params(toks, params_at)
        if after < n and toks[after].value == "=>":
            after += 1
        if after >= n or toks[after].value != "{":
            i += 1
            continue
        end = _matching(toks, after, "{", "}")
        found.append((name, params, after + 1, end))
        i = after + 1  # nested helpers are found too
    return found


class _Body:
    """Reads one function body (or a whole script, with no parameters) for the URL it
    navigates to."""

    def __init__(self, toks: list[Token], params: tuple[str, ...]) -> None:
        self.toks = toks
        self.params = params
        self.locals: dict[str, tuple[Part, ...] | None] = {}
        self.fields: list[tuple[str, tuple[Part, ...]]] = []

    def expression(self, start: int) -> tuple[tuple[Part, ...] | None, int]:
        """Operands joined by `+` from `start`: literals, parameters, local variables and
        encodeURIComponent(…) of those. None when an operand is anything else."""
        parts: list[Part] = []
        toks, i, n = self.toks, start, len(self.toks)
        while i < n:
            tok = toks[i]
            if tok.kind == "string":
                text = string_value(tok.value)
                if tok.value.startswith("`"):
                    parts.extend(self._template(text))
                else:
                    parts.append(("lit", text, False))
                i += 1
            elif tok.kind == "number":
                parts.append(("lit", tok.value, False))
                i += 1
            elif tok.kind == "name" and tok.value in _ENCODERS and i + 1 < n:
                if toks[i + 1].value != "(":
                    return None, i
                inner, after = self.expression(i + 2)
                if inner is None or after >= n or toks[after].value != ")":
                    return None, after
                parts.extend((k, v, True) if k == "param" else (k, v, e) for k, v, e in inner)
                i = after + 1
            elif tok.kind == "name" and i + 1 < n and toks[i + 1].value in (".", "(", "["):
                return None, i  # a property, a call, an index: not read
            elif tok.kind == "name" and tok.value in self.params:
                parts.append(("param", self.params.index(tok.value), False))
                i += 1
            elif tok.kind == "name" and self.locals.get(tok.value) is not None:
                parts.extend(self.locals[tok.value] or ())
                i += 1
            else:
                return None, i
            if i < n and toks[i].value == "+":
                i += 1
                continue
            return (tuple(parts) if parts else None), i
        return (tuple(parts) if parts else None), i

    def _template(self, text: str) -> list[Part]:
        parts: list[Part] = []
        at = 0
        for m in _PLACEHOLDER.finditer(text):
            parts.append(("lit", text[at : m.start()], False))
            name = m.group(1)
            if name in self.params:
                parts.append(("param", self.params.index(name), False))
            elif self.locals.get(name) is not None:
                parts.extend(self.locals[name] or ())
            else:
                parts.append(("lit", "\0", False))  # unknown: makes the URL invalid below
            at = m.end()
        parts.append(("lit", text[at:], False))
        return parts

    def navigation(self) -> tuple[Part, ...] | None:
        """The first URL the body navigates to or submits a form to."""
        toks, n = self.toks, len(self.toks)
        action: tuple[Part, ...] | None = None
        submits = False
        for i, tok in enumerate(toks):
            value = tok.value
            nxt = toks[i + 1].value if i + 1 < n else ""
            if (
                tok.kind == "name"
                and value != "location"
                and nxt in ("=", "+=")
                and (i == 0 or toks[i - 1].value != ".")
            ):
                expr, _ = self.expression(i + 2)
                if nxt == "+=" and self.locals.get(value) is not None and expr is not None:
                    expr = (*(self.locals[value] or ()), *expr)
                self.locals[value] = expr
                continue
            if tok.kind != "name":
                continue
            after_dot = i > 0 and toks[i - 1].value == "."
            if value == "location" and nxt == "=":
                return self.expression(i + 2)[0]
            if value == "href" and after_dot and nxt == "=" and self._on_location(i):
                return self.expression(i + 2)[0]
            if value in ("replace", "assign") and after_dot and nxt == "(" and self._on_location(i):
                return self.expression(i + 2)[0]
            if (
                value == "open"
                and nxt == "("
                and (not after_dot or _before(toks, i, 2) == "window")
            ):
                return self.expression(i + 2)[0]
            if value == "src" and after_dot and nxt == "=" and self._on_frame(i):
                return self.expression(i + 2)[0]
            if value == "action" and after_dot and nxt == "=":
                action = self.expression(i + 2)[0]
            elif value in ("attr", "prop") and after_dot and nxt == "(" and i + 4 < n:
                key = toks[i + 2]
                what = string_value(key.value) if key.kind == "string" else ""
                if toks[i + 3].value == "," and what == "action":
                    action = self.expression(i + 4)[0]
                elif toks[i + 3].value == "," and what == "src" and self._on_frame(i):
                    return self.expression(i + 4)[0]
            elif value == "value" and after_dot and nxt == "=" and i >= 2:
                field = _field_name(toks, i)
                expr = self.expression(i + 2)[0]
                if field and expr is not None:
                    self.fields.append((field, expr))
            elif value == "val" and after_dot and nxt == "(" and i >= 4:
                field = _selector_field(toks, i)
                expr = self.expression(i + 2)[0]
                if field and expr is not None:
                    self.fields.append((field, expr))
            elif value == "submit" and after_dot:
                submits = True
        if action is None or not submits:
            return action if action is not None and not self.fields else None
        return _with_fields(action, self.fields)

    def _on_location(self, i: int) -> bool:
        """`….location.href`, `location.replace(…)`: the name before the dot is location."""
        return i >= 2 and self.toks[i - 2].value == "location"

    def _on_frame(self, i: int) -> bool:
        """`.src` of a frame (`contentFrame.src = url`, `$('iframe[name=ifr]').attr('src',
        url)`): a page loaded into the frame. An image's src is not a navigation."""
        window = self.toks[max(0, i - 6) : i]
        return any(_FRAMEISH.search(t.value) for t in window if t.kind in ("name", "string"))


_FRAMEISH = re.compile(r"frame|ifr", re.I)


def _before(toks: list[Token], i: int, back: int) -> str:
    return toks[i - back].value if i >= back else ""


def _field_name(toks: list[Token], i: int) -> str | None:
    """The form field `document.frm.menuNo.value = …` or
    `document.getElementById('menuNo').value = …` sets."""
    before = toks[i - 2]
    if before.kind == "name":
        return before.value
    if before.value == ")" and i >= 3 and toks[i - 3].kind == "string":
        return string_value(toks[i - 3].value).lstrip("#") or None
    return None


def _selector_field(toks: list[Token], i: int) -> str | None:
    """The form field a jQuery `$("#menuNo").val(x)` or `$("[name=menuNo]")` sets."""
    if toks[i - 2].value != ")" or toks[i - 3].kind != "string":
        return None
    selector = string_value(toks[i - 3].value)
    m = re.search(r"#([\w-]+)$|name\s*=\s*['\"]?([\w-]+)", selector)
    return (m.group(1) or m.group(2)) if m else None


def _with_fields(action: tuple[Part, ...], fields: list[tuple[str, tuple[Part, ...]]]) -> tuple:
    """A form submitted by GET: the action with the fields the helper set as its query."""
    parts: list[Part] = list(action)
    has_query = any(k == "lit" and "?" in str(v) for k, v, _ in action)
    for n, (name, expr) in enumerate(fields):
        sep = "&" if (has_query or n) else "?"
        parts.append(("lit", f"{sep}{name}=", False))
        parts.extend((k, v, True) if k == "param" else (k, v, e) for k, v, e in expr)
    return tuple(parts)


def helpers(js: str) -> dict[str, Helper]:
    """Every named function of the script that navigates to a URL built from literals and
    its parameters."""
    toks = tokens(js)
    found: dict[str, Helper] = {}
    for name, params, start, end in _functions(toks):
        parts = _Body(toks[start:end], params).navigation()
        if parts and not any(k == "lit" and "\0" in str(v) for k, v, _ in parts):
            found.setdefault(name, Helper(name, params, parts))
    return found


def navigations(js: str, *, top_level: bool = False) -> list[str]:
    """URLs a handler or script navigates to with literals only (`location.href='/a.do'`,
    `window.open('/b.do', '_blank')`). With `top_level`, only statements outside named
    functions: what runs when the page loads (a homepage that only redirects)."""
    toks = tokens(js)
    if top_level:  # event handlers (window.onload = function …) run when the page loads
        spans = [(s, e) for name, _, s, e in _functions(toks) if not name.startswith("on")]
        toks = [t for i, t in enumerate(toks) if not any(s <= i <= e for s, e in spans)]
    urls = []
    i = 0
    while i < len(toks):
        # Each statement is read on its own: the first navigation of each counts.
        end = i
        while end < len(toks) and toks[end].value != ";":
            end += 1
        parts = _Body(toks[i:end], ()).navigation()
        if parts and all(k == "lit" for k, _, _ in parts):
            url = "".join(str(v) for _, v, _ in parts)
            if url and url not in urls:
                urls.append(url)
        i = end + 1
    return urls


def calls(js: str) -> list[Call]:
    """Calls with their literal arguments, as an onclick or a javascript: link writes
    them (`goPage('1234'); return false;`)."""
    toks = tokens(js)
    found = []
    for i, tok in enumerate(toks):
        if tok.kind != "name" or tok.value in _KEYWORDS:
            continue
        if i + 1 >= len(toks) or toks[i + 1].value != "(":
            continue
        if i > 0 and toks[i - 1].value in (".", "function"):
            continue  # a method (window.open, this.blur) or a definition
        close = _matching(toks, i + 1, "(", ")")
        args: list[str | None] = []
        current: list[Token] = []
        for t in [*toks[i + 2 : close], Token("punct", ",")]:
            if t.kind == "punct" and t.value == ",":
                if current:
                    only = current[0] if len(current) == 1 else None
                    if only is not None and only.kind == "string":
                        args.append(string_value(only.value))
                    elif only is not None and only.kind == "number":
                        args.append(only.value)
                    else:
                        args.append(None)
                current = []
            else:
                current.append(t)
        found.append(Call(tok.value, tuple(args)))
    return found


_URLISH = re.compile(
    r"^(https?://|/|\./|\.\./)|^[\w\-./]+\.(do|jsp|php|asp|aspx|html?|action|hwp|hwpx|pdf|xlsx?)"
    r"(\?|$)",
    re.I,
)


def looks_like_url(value: str | None) -> bool:
    """An argument that is itself the address (fn_goMenu('/contents.do?key=1'))."""
    return bool(value) and bool(_URLISH.search(value or "")) and " " not in (value or "").strip()


def resolve(call: Call, known: dict[str, Helper], *, guess: bool = True) -> str | None:
    """The URL a call leads to: through the site's own helper when its definition is
    known, else (with `guess`) an argument that is itself an address; None when neither."""
    helper = known.get(call.name)
    if helper is not None:
        return helper.url(call.args)
    if not guess:
        return None
    return next((a for a in call.args if looks_like_url(a)), None)
