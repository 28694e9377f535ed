"""One text field → inline runs (Text, Emph, Strong, Link, Cite); everything else is literal.

The syntax, documented in the README:

* ``*emphasis*`` and ``**strong**`` (the delimiter must touch the word it marks, so
  ``5 * 3`` stays literal);
* ``[link text](https://example.org)``, for http, https, mailto and tel addresses;
* bare ``https://…`` addresses become links by themselves;
* ``[^key]`` cites the note ``key``;
* a backslash makes the next character literal: ``\\*``, ``\\[``, ``\\\\``.

Every other character, ``<``, ``>`` and ``&`` included, prints as itself. This module only
parses; problems come back as values with the offset where they start.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import Location
from .model import Cite, Emph, Link, Run, Runs, Strong, Text

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_KEY = re.compile(r"\[\^([A-Za-z0-9][A-Za-z0-9_.-]*)\]")
_BARE_URL = re.compile(r"https?://[^\s<>\"\]\[\\]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_ESCAPABLE = set("\\*[]()^_`")
_SPECIAL = re.compile(r"[\\*\[hH]")
"""The characters where markup may start (``h`` for a bare address); text between them is copied as it is."""
_PARTNER_PATTERNS = {
    ("[", "]", True): re.compile(r"\\[\s\S]|[\[\]]"),
    ("(", ")", False): re.compile(r"[()]"),
}
"""The brackets ``_partners`` pairs, and with ``escapes`` a backslash with the character it hides."""
Locate = Callable[[int, str], Location]
MAX_NESTING = 10
"""Emphasis and links inside each other deeper than this are a problem: only broken text nests so deep."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A markup problem at ``offset`` of the text; ``needle`` is the text written there."""

    offset: int
    needle: str
    message: str
    hint: str | None = None


def check_url(url: str) -> str | None:
    """Why ``url`` is not allowed as a link target, or None when it is."""
    match = _SCHEME.match(url)
    if not match:
        return f"link address '{url}' has no scheme"
    if match.group(1).lower() not in ALLOWED_SCHEMES:
        return f"link scheme '{match.group(1)}:' is not allowed"
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return f"link address '{url}' contains white space"
    return None


class _Parser:
    """A small recursive-descent parser over one string."""

    def __init__(self, text: str, locate: Locate) -> None:
        self.text = text
        self.locate = locate
        self.problems: list[Problem] = []
        self.depth = 0
        self.brackets = _partners(text, "[", "]", escapes=True)
        self.parens = _partners(text, "(", ")", escapes=False)
        self.closers: dict[tuple[int, int, int], int | None] = {}

    def parse(self, start: int, end: int) -> list[Run]:
        runs: list[Run] = []
        buf: list[str] = []
        text = self.text
        inner: tuple[Run, ...]
        i = start

        def flush() -> None:
            if buf:
                runs.append(Text("".join(buf)))
                buf.clear()

        while i < end:
            ch = text[i]
            if ch not in "\\*[hH":  # plain text up to the next place markup may start
                special = _SPECIAL.search(text, i, end)
                stop = special.start() if special else end
                buf.append(text[i:stop])
                i = stop
                continue
            if ch == "\\" and i + 1 < end and text[i + 1] in _ESCAPABLE:
                buf.append(text[i + 1])
                i += 2
                continue
            if ch == "*":
                span = self._emphasis(i, end)
                if span is not None:
                    width, close = span
                    flush()
                    inner = self.nested(i + width, close)
                    runs.append(Strong(inner) if width == 2 else Emph(inner))
                    i = close + width
                    continue
            if ch == "[":
                key = _KEY.match(text, i, end)
                if key:
                    flush()
                    runs.append(Cite(key.group(1), self.locate(i, key.group(0))))
                    i = key.end()
                    continue
                if text.startswith("[^", i):
                    self.problems.append(
                        Problem(
                            i,
                            "[^",
                            "malformed citation",
                            "write citations as [^key], with letters, digits, '-', '_' or '.'",
                        )
                    )
                link = self._link(i, end)
                if link is not None:
                    label_end, url, after = link
                    flush()
                    why = check_url(url)
                    inner = self.nested(i + 1, label_end)
                    if why:
                        self.problems.append(
                            Problem(text.find(url, label_end + 2), url, why, "links may use http, https, mailto or tel")
                        )
                        runs.extend(inner)
                    else:
                        runs.append(Link(url, inner))
                    i = after
                    continue
            if ch in "hH":
                bare = _BARE_URL.match(text, i, end)
                if bare and (i == start or not text[i - 1].isalnum()):
                    url = bare.group(0).rstrip(".,;:!?)'")
                    flush()
                    runs.append(Link(url, (Text(url),)))
                    i += len(url)
                    continue
            buf.append(ch)
            i += 1
        flush()
        return runs

    def nested(self, start: int, end: int) -> tuple[Run, ...]:
        """The runs of a span inside emphasis or a link label; past MAX_NESTING, its text as written."""
        if self.depth >= MAX_NESTING:
            self.problems.append(
                Problem(start, self.text[start : start + 1], "emphasis and links are nested too deeply")
            )
            return (Text(self.text[start:end]),)
        self.depth += 1
        try:
            return tuple(self.parse(start, end))
        finally:
            self.depth -= 1

    def _emphasis(self, i: int, end: int) -> tuple[int, int] | None:
        """(delimiter width, offset of the closing delimiter) when a span opens at i."""
        text = self.text
        width = 2 if text.startswith("**", i) else 1
        body = i + width
        if body >= end or text[body].isspace() or (text[body] == "*" and width == 2):
            return None
        close = self._closer(width, body, end)
        return None if close is None else (width, close)

    def _closer(self, width: int, j: int, end: int) -> int | None:
        """The first closing delimiter from j on. Every candidate looked at remembers the answer,
        so a text full of unclosed asterisks costs one pass, not one pass per asterisk."""
        text = self.text
        delim = "*" * width
        seen: list[tuple[int, int, int]] = []
        found: int | None = None
        while True:
            j = text.find(delim, j, end)
            if j < 0:
                break
            key = (width, j, end)
            if key in self.closers:
                found = self.closers[key]
                break
            seen.append(key)
            escaped = text[j - 1] == "\\" and (j - 2 < 0 or text[j - 2] != "\\")
            doubled = width == 1 and (text.startswith("**", j) or text[j - 1] == "*")
            if not text[j - 1].isspace() and not escaped and not doubled:
                found = j
                break
            j += width if not doubled else 2
        for key in seen:
            self.closers[key] = found
        return found

    def _link(self, i: int, end: int) -> tuple[int, str, int] | None:
        """(end of the label, url, offset after the link) when ``[label](url)`` starts at i."""
        text = self.text
        j = self.brackets.get(i, end)
        if j >= end or not text.startswith("(", j + 1):
            return None
        close = self.parens.get(j + 1, end)  # an address may hold balanced brackets: .../Heroin_(drug)
        if close >= end:
            return None
        return j, text[j + 2 : close].strip(), close + 1


def _partners(text: str, opening: str, closing: str, *, escapes: bool) -> dict[int, int]:
    """Offset of each opening bracket → offset of the bracket closing it, found in one pass.

    With ``escapes``, a backslash hides the character after it.
    """
    partners: dict[int, int] = {}
    stack: list[int] = []
    for match in _PARTNER_PATTERNS[opening, closing, escapes].finditer(text):
        ch = match.group()
        if ch == opening:
            stack.append(match.start())
        elif ch == closing and stack:
            partners[stack.pop()] = match.start()
    return partners


def parse_inline(text: str, locate: Locate | None = None) -> tuple[Runs, list[Problem]]:
    """Parse one text field.

    Args:
        text: the field's text as written.
        locate: maps (offset, text written there) to a Location, for citations.

    Returns:
        The runs and the problems found.
    """
    parser = _Parser(text, locate or _nowhere)
    runs = _merge(parser.parse(0, len(text)))
    return tuple(runs), parser.problems


def _nowhere(offset: int, needle: str) -> Location:
    return Location("<text>", 1, offset + 1)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring Text runs."""
    out: list[Run] = []
    for run in runs:
        if isinstance(run, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + run.text)
        else:
            out.append(run)
    return out


def plain_text(runs: Runs) -> str:
    """The text of runs with all markup dropped (citations as nothing)."""
    parts: list[str] = []
    for run in runs:
        if isinstance(run, Text):
            parts.append(run.text)
        elif isinstance(run, (Emph, Strong, Link)):
            parts.append(plain_text(run.children))
    return "".join(parts)
