"""The baseline of issue 6: the same content set with plain ReportLab, as a short script would.

Issue 6 measured "plain ReportLab setting similar content as an 8-page Letter brochure
(1,900 words, two embedded TrueType fonts)" and set brochure's cold target at 1.5 times
that. This script is that baseline on the machine the benchmark runs on: it reads the
content file with PyYAML (libyaml), turns each block into a ReportLab paragraph (headings
bold, bullets as bulleted paragraphs, the notes as a numbered list at the end), embeds
Noto Sans regular and bold, and writes a Letter PDF with a page-number footer. It does none
of brochure's work beyond that: no validation, no fallback fonts, no cover, contents, links,
bookmarks, tags, readability or contact block. Run as a whole process::

    python benchmarks/plain_reportlab.py content.yaml out.pdf FONT_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

NOTE = re.compile(r"\[\^[^\]]*\]")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
STRONG = re.compile(r"\*\*(.+?)\*\*")
EMPHASIS = re.compile(r"\*(.+?)\*")


def plain(text: str) -> str:
    """The content's inline syntax as ReportLab markup: bold kept, citations and link targets dropped."""
    text = escape(LINK.sub(r"\1", NOTE.sub("", text)))
    return EMPHASIS.sub(r"\1", STRONG.sub(r"<b>\1</b>", text))


def story(data: dict[str, Any], body: ParagraphStyle, heading: ParagraphStyle, title: ParagraphStyle) -> list[Any]:
    out: list[Any] = [Paragraph(plain(data["title"]), title), Paragraph(plain(data.get("subtitle", "")), body)]
    for section in data["sections"]:
        out.append(Paragraph(plain(section["heading"]), heading))
        for block in section["blocks"]:
            if "text" in block:
                out.append(Paragraph(plain(block["text"]), body))
            elif "subheading" in block:
                out.append(Paragraph(plain(block["subheading"]), heading))
            elif "bullets" in block:
                out.extend(Paragraph(plain(item), body, bulletText="•") for item in block["bullets"])
            elif "terms" in block:
                out.extend(Paragraph(f"<b>{plain(t['term'])}</b> {plain(t['text'])}", body) for t in block["terms"])
            elif "callout" in block:
                out.append(Paragraph(f"<b>{plain(block.get('title', ''))}</b> {plain(block['callout'])}", body))
    out.append(Paragraph("Notes", heading))
    for number, note in enumerate(data.get("notes", {}).values(), 1):
        out.append(Paragraph(plain(note), body, bulletText=f"{number}."))
    contact = data.get("contact") or {}
    out.append(Spacer(1, 12))
    out.append(Paragraph(plain(contact.get("heading", "")), heading))
    for line in contact.get("lines", []):
        out.append(Paragraph(f"<b>{plain(line['label'])}</b> {plain(str(line['value']))}", body))
    return out


def main(content: str, output: str, font_dir: str) -> None:
    fonts = Path(font_dir)
    pdfmetrics.registerFont(TTFont("Sans", str(fonts / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(fonts / "NotoSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans", boldItalic="Sans-Bold")
    with open(content, encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=yaml.CSafeLoader)
    body = ParagraphStyle("body", fontName="Sans", bulletFontName="Sans", fontSize=12, leading=16.5, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName="Sans-Bold", fontSize=16, leading=20, spaceBefore=10, spaceAfter=6)
    title = ParagraphStyle("title", fontName="Sans-Bold", fontSize=30, leading=34, spaceAfter=12)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont("Sans", 9)
        canvas.drawCentredString(letter[0] / 2, 36, f"Page {doc.page}")

    doc = SimpleDocTemplate(output, pagesize=letter, title=data["title"], invariant=1, leftMargin=54, rightMargin=54)
    doc.build(story(data, body, heading, title), onFirstPage=footer, onLaterPages=footer)


if __name__ == "__main__":
    main(*sys.argv[1:4])
