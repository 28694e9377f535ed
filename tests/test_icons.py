"""Icons beside section headings and call-out titles: shipped, drawn as vectors, decorative (artifacts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import open_pdf
from test_figures import figures

from brochure.build import build_brochure
from brochure.cli import main
from brochure.content import ICON_DIR, icon_names
from brochure.spec import load_layout

CONTENT = """\
lang: {lang}
title: Icon test
review: {{status: reviewed, reviewer: nurse, date: "2026-11-01", review_by: "2027-11-01"}}
sections:
  - id: help
    heading: {heading}
    icon: phone
    blocks:
      - text: {text}
      - callout: {text}
        title: {title}
        icon: first-aid-kit
"""
ENGLISH = {"lang": "en", "heading": "Where to get help", "text": "Call the line.", "title": "Call now"}
ARABIC = {"lang": "ar", "heading": "أين تجد المساعدة", "text": "اتصل بالخط.", "title": "اتصل الآن"}


def write(folder: Path, **words: str) -> Path:
    path = folder / "content.yaml"
    path.write_text(CONTENT.format(**words), encoding="utf-8")
    return path


def inked_beside(pdf: bytes, needle: str, color: str, rtl: bool) -> int:
    """The most pixels near ``color`` on the leading side of a line holding ``needle`` (in its height).

    The cover (with its contents list) is left out; of every other place the words are
    printed, the largest count is the icon's.
    """
    doc = open_pdf(pdf)
    scale = 2.0
    want = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    best, seen = 0, False
    for index in range(1, len(doc)):
        page = doc[index]
        text = page.get_textpage()
        whole = text.get_text_range()
        found = whole.find(needle)
        while found >= 0:
            seen = True
            boxes = [text.get_charbox(found + i) for i in range(len(needle))]
            left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
            bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
            width, height = page.get_size()
            image = page.render(scale=scale).to_pil().convert("RGB")
            x0, x1 = (right + 2, width) if rtl else (0, left - 2)
            count = 0
            for y in range(int((height - top - 8) * scale), int((height - bottom + 8) * scale)):
                for x in range(int(x0 * scale), int(x1 * scale)):
                    pixel = image.getpixel((x, y))
                    if sum(abs(a - b) for a, b in zip(pixel, want, strict=True)) < 90:
                        count += 1
            best = max(best, count)
            found = whole.find(needle, found + 1)
    doc.close()
    assert seen, f"{needle!r} is not printed"
    return best


def test_the_shipped_icons_carry_their_licence() -> None:
    assert {"phone", "first-aid-kit", "clock"} <= set(icon_names())
    assert "MIT License" in (ICON_DIR / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Tabler" in (ICON_DIR / "README.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", ["default", "a4", "booklet", "booklet-a5", "large-print", "trifold"])
def test_an_icon_is_drawn_on_the_leading_side_of_its_heading_and_title(tmp_path: Path, layout: str) -> None:
    spec = load_layout(layout)
    pdf = build_brochure(write(tmp_path, **ENGLISH), layout).pdf
    assert inked_beside(pdf, "Where to get help", spec.color_accent, rtl=False) > 20
    assert inked_beside(pdf, "Call now", spec.color_callout_rule, rtl=False) > 20
    assert figures(pdf) == [], "an icon is decorative: an artifact, never a Figure"


def test_in_arabic_the_icon_is_on_the_right(tmp_path: Path) -> None:
    spec = load_layout("default")
    pdf = build_brochure(write(tmp_path, **ARABIC), "default").pdf
    doc = open_pdf(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    word = next(w for w in ("المساعدة", "ةدعاسملا") if w in text)  # as pdfium reads it back
    assert inked_beside(pdf, word, spec.color_accent, rtl=True) > 20
    assert inked_beside(pdf, word, spec.color_accent, rtl=False) == 0, "the icon is on the left in Arabic"


def test_the_sample_uses_icons_with_a_purpose() -> None:
    text = (Path(__file__).resolve().parent.parent / "content.yaml").read_text(encoding="utf-8")
    used = sorted({line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("icon:")})
    assert used == ["clock", "first-aid-kit", "phone"]


@pytest.mark.parametrize(
    ("where", "extra"),
    [
        ("section", "    icon: telephone\n"),
        ("callout", "        icon: telephone\n"),
    ],
)
def test_an_unknown_icon_is_a_located_error_naming_the_icons_there_are(tmp_path: Path, where: str, extra: str) -> None:
    text = CONTENT.format(**ENGLISH)
    anchor = "    icon: phone\n" if where == "section" else "        icon: first-aid-kit\n"
    text = text.replace(anchor, extra)
    path = tmp_path / "content.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    line = text.splitlines().index(extra.rstrip("\n")) + 1
    assert f"{path}:{line}:{extra.index('telephone') + 1}: error: unknown icon 'telephone'" in result.stderr
    assert "phone" in result.stderr and "first-aid-kit" in result.stderr and "clock" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_call_out_without_a_title_has_its_icon_above_its_text(tmp_path: Path) -> None:
    text = CONTENT.format(**ENGLISH).replace("        title: Call now\n", "")
    spec = load_layout("default")
    want = tuple(int(spec.color_callout_rule[i : i + 2], 16) for i in (1, 3, 5))

    def ink(source: str) -> int:
        path = tmp_path / "content.yaml"
        path.write_text(source, encoding="utf-8")
        doc = open_pdf(build_brochure(path).pdf)
        image = doc[1].render(scale=2).to_pil().convert("RGB")
        doc.close()
        left = int((spec.margin_left + 12) * 2)  # right of the call-out's rule
        area = image.crop((left, 0, image.width, image.height))
        colors = area.getcolors(area.width * area.height) or []
        return sum(n for n, c in colors if sum(abs(a - b) for a, b in zip(c, want, strict=True)) < 90)

    assert ink(text) > ink(text.replace("        icon: first-aid-kit\n", "")) + 20
