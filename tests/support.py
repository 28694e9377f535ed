"""Test helpers: paths, small content files, and reading text, characters and links back from PDF bytes.

Everything here reads the output the way a reader's PDF viewer would (pypdfium2 for text and
glyph sizes, pypdf for the document structure), so the tests assert what is printed, not how
the code got there.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from hypothesis import HealthCheck, settings

from brochure.model import (
    Brochure,
    Bullets,
    Callout,
    Cite,
    Emph,
    Figure,
    Link,
    Paragraph,
    Run,
    Runs,
    Strong,
    Terms,
    Text,
)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CONTENT = ROOT / "content.yaml"
ERRORS = TESTS / "errors"

TINY = """\
lang: en
title: Tiny guide
subtitle: A test brochure
publisher: Test Publisher
sections:
  - id: one
    heading: First section
    blocks:
      - text: Hello *world* and **bold**.[^a]
      - bullets:
          - Item one[^b]
          - Item two[^a]
  - id: two
    heading: Second section
    blocks:
      - text: More text.[^b]
notes:
  a: Note A.
  b: Note B.
contact:
  heading: Call us
  lines:
    - label: Help line
      value: 555-0100
"""
"""A small valid content file: two sections, two notes, a contact block."""


def examples(ci: int) -> int:
    """``ci`` examples in CI; 20 times as many under the fuzz profile (max_examples 10,000)."""
    return max(ci, ci * settings.default.max_examples // 500)


def fuzz_settings(ci: int) -> settings:
    """Settings of a property test: ``examples(ci)`` examples, and no health check on slow or large data."""
    return settings(
        max_examples=examples(ci),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


def write(folder: Path, text: str | bytes, name: str = "content.yaml") -> Path:
    """Write a content (or layout) file into ``folder`` and return its path."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def position(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


# ---------------------------------------------------------------- the model


def cites_in(runs: Runs) -> Iterator[Cite]:
    """Every citation in ``runs``, in reading order, nested ones included."""
    for run in runs:
        if isinstance(run, Cite):
            yield run
        elif isinstance(run, (Emph, Strong, Link)):
            yield from cites_in(run.children)


def brochure_cites(brochure: Brochure) -> list[Cite]:
    """Every citation of the brochure in reading order: sections, then the contact block."""
    out: list[Cite] = []
    for section in brochure.sections:
        for block in section.blocks:
            for runs in block_runs(block):
                out.extend(cites_in(runs))
    if brochure.contact is not None:
        out.extend(cites_in(brochure.contact.text))
        for line in brochure.contact.lines:
            out.extend(cites_in(line.note))
        for item in brochure.contact.when_you_call:
            out.extend(cites_in(item.runs))
    return out


def block_runs(block: object) -> list[Runs]:
    """The run sequences of one block, in reading order (term names as Text runs)."""
    if isinstance(block, Paragraph):
        return [block.runs]
    if isinstance(block, Bullets):
        return [item.runs for item in block.items]
    if isinstance(block, Terms):
        out: list[Runs] = []
        for item in block.items:
            out.extend([(Text(item.term),), item.text])
        return out
    if isinstance(block, Callout):
        return [block.runs]
    if isinstance(block, Figure):
        return [block.caption]
    return []


# ---------------------------------------------------------------- text from PDF bytes

_DROP = re.compile("[\\s\u00ad\ufffe\u2010-]")


_STRAIGHT = str.maketrans(
    {q: '"' for q in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f"}
    | {q: "'" for q in "\u2018\u2019\u201a\u201b"}
)
"""Typographic quotes as the straight ones the content writes (the layout sets them per language)."""


def squash(text: str) -> str:
    """Text without white space and hyphens, quotes made straight.

    Line breaks, hyphenation and typographic quotes then do not matter.
    """
    return _DROP.sub("", text).translate(_STRAIGHT)


def runs_pattern(runs: Runs) -> str:
    """A regex for ``runs`` as printed (squashed); each citation is a group of superscript digits."""
    parts: list[str] = []
    for run in runs:
        parts.append(_run_pattern(run))
    return "".join(parts)


def _run_pattern(run: Run) -> str:
    if isinstance(run, Text):
        return re.escape(squash(run.text))
    if isinstance(run, Cite):
        return "([0-9,]*)"
    return runs_pattern(run.children)


def open_pdf(pdf: bytes) -> pdfium.PdfDocument:
    """A pypdfium2 document over PDF bytes."""
    return pdfium.PdfDocument(pdf)


def page_texts(doc: pdfium.PdfDocument) -> list[str]:
    """The text of every page, as pdfium extracts it."""
    out = []
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        out.append(textpage.get_text_range())
        textpage.close()
        page.close()
    return out


def bounded_text(doc: pdfium.PdfDocument, index: int, left: float, bottom: float, right: float, top: float) -> str:
    """The text inside a rectangle (PDF points, origin bottom left) of page ``index``."""
    page = doc[index]
    textpage = page.get_textpage()
    try:
        return textpage.get_text_bounded(left, bottom, right, top)
    finally:
        textpage.close()
        page.close()


@dataclass(frozen=True, slots=True)
class Char:
    """One printed character: its text, font size in points and baseline origin."""

    ch: str
    size: float
    x: float
    y: float
    page: int


def page_chars(doc: pdfium.PdfDocument, index: int, *, slanted: bool = False) -> list[Char]:
    """The characters drawn on page ``index`` (not pdfium's generated spaces and line breaks).

    Slanted characters (the DRAFT mark across a draft's pages) are left out unless ``slanted``.
    """
    page = doc[index]
    textpage = page.get_textpage()
    out = []
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        for i in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                continue
            if not slanted and abs(pdfium_c.FPDFText_GetCharAngle(textpage.raw, i)) > 0.01:
                continue
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, i)
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
            out.append(Char(chr(code), round(size, 2), x.value, y.value, index))
    finally:
        textpage.close()
        page.close()
    return out


def is_superscript(chars: list[Char], i: int, body_size: float) -> bool:
    """Whether chars[i] is a citation superscript: a small digit or comma raised above body text."""
    c = chars[i]
    if not (c.ch.isdigit() or c.ch == ",") or c.size >= body_size:
        return False
    j = i - 1
    while j >= 0 and chars[j].size < body_size and (chars[j].ch.isdigit() or chars[j].ch == ","):
        j -= 1
    if j < 0:
        return False
    before = chars[j]
    return before.page == c.page and before.size >= body_size and 1 < c.y - before.y < before.size


def superscript_numbers(chars: list[Char], body_size: float) -> list[int]:
    """The citation numbers printed as superscripts, in reading order ('4,3' gives 4 then 3)."""
    numbers: list[int] = []
    group = ""
    for i in range(len(chars)):
        if is_superscript(chars, i, body_size):
            group += chars[i].ch
            continue
        if group:
            numbers.extend(int(n) for n in group.split(",") if n)
            group = ""
    if group:
        numbers.extend(int(n) for n in group.split(",") if n)
    return numbers


def first_appearances(numbers: list[int]) -> list[int]:
    """``numbers`` with repeats removed, keeping the first occurrence of each."""
    return list(dict.fromkeys(numbers))
