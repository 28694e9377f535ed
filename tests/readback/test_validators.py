"""veraPDF, the PDF Association's reference validator, on built PDFs: PDF/UA-1 and PDF/A-2u pass.

``make validate`` runs it over every output and CI over a sample (``make validate-sample``);
this test runs it on three kinds of output (reader-order pages, imposed sheets, print-shop
pages in another script) and on a plain ReportLab file that claims nothing, which must fail,
so a validator that passes everything cannot go unnoticed. It sets veraPDF up on first use
(tools/verapdf/validate.py) and is skipped only where Java is not installed.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from reportlab.pdfgen import canvas
from support import CONTENT

import brochure.canvas
from brochure.build import build_brochure, imposed_path

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not (shutil.which("java") and shutil.which("javac")), reason="veraPDF needs Java (java and javac)"
)


def _validator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verapdf_validate", ROOT / "tools" / "verapdf" / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _plain_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    c.drawString(72, 720, "No structure, no claims.")
    c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("validate")
    english = folder / "en.pdf"
    build_brochure(Path(CONTENT), "default", english)
    booklet = folder / "en.booklet.pdf"
    build_brochure(Path(CONTENT), "booklet", booklet)
    arabic = folder / "ar.print-shop.pdf"
    build_brochure(ROOT / "content.ar.yaml", "booklet-a5", arabic, print_shop=True)
    hindi = folder / "hi.pdf"  # HarfBuzz-shaped conjuncts: their widths must match the font program's
    build_brochure(ROOT / "content.hi.yaml", "default", hindi)
    level_b = folder / "en.2b.pdf"  # as if a glyph had no Unicode text: the file claims PDF/A-2b instead
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(brochure.canvas, "glyphs_without_text", lambda doc: [("NotoSans-Regular", 0xE000)])
        build_brochure(Path(CONTENT), "default", level_b)
    plain = folder / "plain.pdf"
    plain.write_bytes(_plain_pdf())
    files = [english, imposed_path(booklet), arabic, hindi, level_b, plain]
    found = _validator().validate(files, quiet=True)
    return {Path(o.path).name: o for o in found}


@pytest.mark.parametrize("name", ["en.pdf", "en.booklet.imposed.pdf", "ar.print-shop.pdf", "hi.pdf"])
def test_built_pdfs_pass_pdf_ua_1_and_pdf_a_2u(outcomes, name):
    outcome = outcomes[name]
    assert outcome.missing == [], f"{name} does not claim {outcome.missing}"
    assert set(outcome.results) == {"ua1", "2u"}
    assert outcome.errors == []
    assert outcome.rules == [], f"{name} fails: {outcome.rules}"
    assert all(passed and rules > 100 for passed, rules in outcome.results.values())


def test_a_file_that_falls_back_to_pdf_a_2b_passes_what_it_claims(outcomes):
    outcome = outcomes["en.2b.pdf"]
    assert outcome.missing == []
    assert set(outcome.results) == {"ua1", "2b"}
    assert outcome.errors == [] and outcome.rules == []
    assert all(passed and rules > 100 for passed, rules in outcome.results.values())


def test_a_file_without_structure_or_claims_fails(outcomes):
    outcome = outcomes["plain.pdf"]
    assert not outcome.passed
    assert outcome.missing == ["PDF/UA-1", "PDF/A"]
    failed = " ".join(outcome.rules)
    assert "PDF/UA-1 7.1-8" in failed  # no XMP metadata
    assert "PDF/UA-1 7.1-11" in failed  # no structure tree
    assert "PDF/A-2u 6.6.2.1-1" in failed  # no XMP metadata
