"""Markup written in the content prints as text: ReportLab never sees it as tags or entities."""

from __future__ import annotations

import io

from pypdf import PdfReader
from support import open_pdf, page_texts, squash, write

from brochure.build import build_brochure

HOSTILE = [
    "<b>x</b>",
    "&amp;",
    '<font name="Courier">mono</font>',
    '<img src="/etc/passwd"/>',
    "a < b > c & d",
    "&lt;script&gt;",
    '<a href="file:///etc/passwd">x</a>',
    "<super>9</super>",
]

CONTENT = """\
lang: en
title: Tags <b>x</b> & co
sections:
  - id: one
    heading: Heading <i>not italic</i>
    blocks:
      - text: 'Literal <b>x</b> and &amp; and <font name="Courier">mono</font> and <img src="/etc/passwd"/> end.'
      - bullets:
          - a < b > c & d
      - terms:
          - term: <u>T</u>
            text: '&lt;script&gt; and <a href="file:///etc/passwd">x</a>'
      - callout: 'Call <super>9</super> now'
        title: <strike>t</strike>
"""


def test_markup_in_content_prints_literally(tmp_path):
    result = build_brochure(write(tmp_path, CONTENT), "default", None)
    doc = open_pdf(result.pdf)
    text = squash("".join(page_texts(doc)))
    doc.close()
    for literal in [*HOSTILE, "Tags <b>x</b> & co", "Heading <i>not italic</i>", "<u>T</u>", "<strike>t</strike>"]:
        assert squash(literal) in text, literal


def test_markup_in_content_adds_no_font_link_or_image(tmp_path):
    result = build_brochure(write(tmp_path, CONTENT), "default", None)
    reader = PdfReader(io.BytesIO(result.pdf))
    for page in reader.pages:
        resources = page["/Resources"]
        fonts = [str(f.get_object()["/BaseFont"]) for f in (resources.get("/Font") or {}).values()]
        assert not any("Courier" in name for name in fonts), fonts
        xobjects = resources.get("/XObject") or {}
        kinds = {str(x.get_object()["/Subtype"]) for x in xobjects.values()}
        assert kinds <= {"/Form"}, "an image was embedded"  # forms hold the late page numbers
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            assert "passwd" not in str(action.get("/URI", "")), "markup in the text became a link"
    assert reader.metadata["/Title"] == "Tags <b>x</b> & co"
