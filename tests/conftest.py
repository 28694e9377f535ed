"""Shared fixtures: the real brochure, built once per session, and read back with pypdf and pypdfium2."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase
from pypdf import PdfReader
from support import CONTENT, Char, open_pdf, page_chars, page_texts

from brochure.build import build_brochure, load_brochure
from brochure.model import Brochure
from brochure.spec import LayoutSpec, load_layout

# Property tests check pure functions; a busy CI machine must not turn slowness into failures.
# `make test` draws the same examples on every run (derandomize), so a commit that passes here
# passes in CI; finding new failing inputs is the job of `make fuzz`.
settings.register_profile("brochure", deadline=None, derandomize=True)
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz): tests/test_fuzz.py runs 20 times its CI size, over 10,000
# examples, with fresh random examples on each run and failures kept in .hypothesis/ to replay.
settings.register_profile(
    "fuzz",
    settings.get_profile("brochure"),
    max_examples=10_000,
    derandomize=False,
    database=DirectoryBasedExampleDatabase(Path(__file__).parent.parent / ".hypothesis" / "examples"),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "brochure"))

# Builds keep parsed fonts and QR codes in a cache folder (brochure.cache): the tests use a
# fresh one of their own, never the user's ~/.cache/brochure.
_CACHE = tempfile.mkdtemp(prefix="brochure-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
os.environ["BROCHURE_CACHE_DIR"] = _CACHE


@dataclass
class Built:
    """content.yaml built with the default layout, with every view of it the tests need."""

    pdf: bytes
    reader: PdfReader
    doc: pdfium.PdfDocument
    brochure: Brochure
    """The numbered model, as ``load_brochure`` gives it (independent of the build)."""
    spec: LayoutSpec
    texts: list[str]
    chars: list[list[Char]]

    @property
    def pages(self) -> int:
        return len(self.texts)

    def body_chars(self, first: int = 1, last: int | None = None) -> list[Char]:
        """Characters inside the text frame (footers left out) of pages first..last (0-based)."""
        stop = self.pages if last is None else last + 1
        out: list[Char] = []
        for index in range(first, stop):
            out.extend(c for c in self.chars[index] if c.y > self.spec.margin_bottom)
        return out


@pytest.fixture(scope="session")
def built() -> Iterator[Built]:
    result = build_brochure(Path(CONTENT), "default", None)
    brochure, _ = load_brochure(Path(CONTENT))
    doc = open_pdf(result.pdf)
    chars = [page_chars(doc, i) for i in range(len(doc))]
    yield Built(
        pdf=result.pdf,
        reader=PdfReader(io.BytesIO(result.pdf)),
        doc=doc,
        brochure=brochure,
        spec=load_layout("default"),
        texts=page_texts(doc),
        chars=chars,
    )
    doc.close()


@pytest.fixture(scope="session")
def reader(built: Built) -> PdfReader:
    """A pypdf reader over the built brochure."""
    return built.reader
