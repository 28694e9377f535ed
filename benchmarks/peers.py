"""Brochure model → the same brochure as HTML + CSS (for WeasyPrint) and as Typst markup.

The peers get what brochure's default layout prints: US Letter, the layout's margins, the
Noto Sans TrueType files in ``brochure/fonts/``, 12 pt body text on 17 pt lines, the same
type sizes and colours; a cover with the title band and an "In this guide" list with page
numbers; sections with headings, paragraphs, bulleted lists, term lists, call-outs and
subheadings; numbered, linked citations; the Notes; the page count padded to even; the
contact block with its QR code on the last page; "Page X of Y" footers and bookmarks.
Everything is read from the validated model (``brochure.build.load_brochure``) and the
layout (``brochure.spec.load_layout``), so the inline syntax is parsed once, by brochure.

Known differences, none of which changes the amount of work much: WeasyPrint pads with a
blank page where brochure and Typst print a "My notes" page; list items are not held
together in twos at a list's start and end; the footer rule and cover shapes are placed
by each tool's own means. Run directly to write both files::

    python -m benchmarks.peers content.yaml -o out/bench/peers
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Callable
from pathlib import Path

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from brochure.build import load_brochure
from brochure.model import (
    Block,
    Brochure,
    Bullets,
    Callout,
    Cite,
    Emph,
    Link,
    Paragraph,
    Runs,
    Strong,
    Subheading,
    Terms,
    Text,
)
from brochure.spec import FONT_DIR, LayoutSpec, load_layout

# ---------------------------------------------------------------- shared pieces


def qr_svg(value: str, size_pt: float) -> str:
    """A QR code (error correction M, 4-module quiet zone) as one SVG path, ``size_pt`` square."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    count = qr.getModuleCount()
    path: list[str] = []
    for row, modules in enumerate(qr.modules):
        col = 0
        while col < count:
            if modules[col]:
                start = col
                while col < count and modules[col]:
                    col += 1
                path.append(f"M{start + 4} {row + 4}h{col - start}v1h{start - col}z")
            else:
                col += 1
    side = count + 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_pt}pt" height="{size_pt}pt" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#ffffff"/><path fill="#000000" d="{"".join(path)}"/></svg>'
    )


def _page_label_parts(template: str) -> list[tuple[str, str]]:
    """'Page {page} of {pages}' → [('text', 'Page '), ('page', ''), ('text', ' of '), ('pages', '')]."""
    parts: list[tuple[str, str]] = []
    rest = template
    while rest:
        positions = [(rest.find(f"{{{name}}}"), name) for name in ("pages", "page") if f"{{{name}}}" in rest]
        if not positions:
            parts.append(("text", rest))
            break
        index, name = min(positions)
        if index:
            parts.append(("text", rest[:index]))
        parts.append((name, ""))
        rest = rest[index + len(name) + 2 :]
    return parts


def _back_footer(brochure: Brochure) -> str:
    parts = []
    if brochure.reviewed:
        parts.append(brochure.labels.get("reviewed", date=brochure.reviewed))
    if brochure.version:
        parts.append(brochure.labels.get("version", version=brochure.version))
    return "  \u00b7  ".join(parts) or brochure.title


def _pt(value: float) -> str:
    return f"{value:.2f}pt"


# ---------------------------------------------------------------- HTML + CSS (WeasyPrint)


def _css_string(text: str) -> str:
    """A CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _css(brochure: Brochure, spec: LayoutSpec) -> str:
    ratio = min(spec.body_leading / spec.body_size, 1.3)
    main = spec.fonts[0] if spec.fonts else None
    faces = (
        [
            (main.regular, 400, "normal"),
            (main.bold, 700, "normal"),
            (main.italic, 400, "italic"),
            (main.bold_italic, 700, "italic"),
        ]
        if main
        else []
    )
    font_faces = "\n".join(
        f'@font-face {{ font-family: "Body"; src: url("{path.resolve().as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for path, weight, style in faces
    )
    page_label = " ".join(
        _css_string(value) if kind == "text" else f"counter({kind})"
        for kind, value in _page_label_parts(brochure.labels.get("page", page="{page}", pages="{pages}"))
    )
    footer_box = (
        f"font-size: {_pt(spec.small_size)}; color: {spec.color_muted}; vertical-align: top; "
        f"border-top: 0.8pt solid {spec.color_accent}; padding-top: 6pt; margin-top: 14pt;"
    )
    safe = 0.35 * 72
    callout_leading = spec.callout_size * spec.body_leading / spec.body_size
    return f"""
{font_faces}
@page {{
  size: {_pt(spec.page_width)} {_pt(spec.page_height)};
  margin: {_pt(spec.margin_top)} {_pt(spec.margin_right)} {_pt(spec.margin_bottom)} {_pt(spec.margin_left)};
  @top-left {{ content: ""; width: 0.6in; height: 4pt; background: {spec.color_accent};
              vertical-align: bottom; margin-bottom: 0.24in; }}
  @bottom-left {{ content: {_css_string(brochure.title)}; {footer_box} }}
  @bottom-right {{ content: {page_label}; text-align: right; {footer_box} }}
}}
@page cover {{
  margin: {_pt(safe)} {_pt(safe)} {_pt(spec.margin_bottom)} {_pt(safe)};
  @top-left {{ content: none; }} @bottom-left {{ content: none; }} @bottom-right {{ content: none; }}
}}
@page back {{ @bottom-left {{ content: {_css_string(_back_footer(brochure))}; {footer_box} }} }}
html {{ font-family: "Body"; font-size: {_pt(spec.body_size)}; line-height: {_pt(spec.body_leading)};
       color: {spec.color_text}; hyphens: manual; }}
body {{ margin: 0; }}
p {{ margin: 0 0 {_pt(spec.space_paragraph)}; orphans: 2; widows: 2; }}
p.lead-in {{ margin-bottom: {_pt(spec.space_item + 2)}; break-after: avoid; }}
a {{ color: {spec.color_link}; text-decoration: none; }}
a.link {{ text-decoration: underline; }}
sup {{ line-height: 0; }}
.cover {{ page: cover; }}
.band {{ position: relative; overflow: hidden; background: {spec.color_accent}; color: {spec.color_on_accent};
        border-radius: 10pt; height: {_pt(spec.page_height * 0.5 - safe)};
        padding: 0.9in {_pt(spec.margin_right - safe)} 0.5in {_pt(spec.margin_left - safe)}; box-sizing: border-box; }}
.band .circle {{ position: absolute; border-radius: 50%; background: rgba(255, 255, 255, 0.1); }}
.band .c1 {{ width: 3.8in; height: 3.8in; right: -0.6in; top: -0.7in; }}
.band .c2 {{ width: 1.8in; height: 1.8in; right: -0.4in; bottom: 0.2in; }}
.publisher {{ font-weight: bold; margin: 0 0 14pt; }}
h1.title {{ font-size: {_pt(spec.title_size)}; line-height: 1.1; margin: 0 0 {_pt(spec.title_size * 0.3)};
           bookmark-label: {_css_string(brochure.title)}; }}
.subtitle {{ font-size: {_pt(spec.subtitle_size)}; line-height: 1.3; margin: 0; }}
.contents {{ padding: 0.35in {_pt(spec.margin_right - safe)} 0 {_pt(spec.margin_left - safe)}; }}
h3, .contents-title {{ font-size: {_pt(spec.subheading_size)}; line-height: {ratio}; font-weight: bold;
                      margin: {_pt(spec.space_paragraph + 4)} 0 {_pt(spec.space_item + 1)}; break-after: avoid;
                      bookmark-level: none; }}
.contents-title {{ margin-top: 0; }}
table.toc {{ width: 100%; border-collapse: collapse; line-height: 1.25; }}
table.toc td {{ padding: 3.5pt 0; border-bottom: 0.5pt solid {spec.color_accent_light}; vertical-align: top; }}
table.toc tr:last-child td {{ border-bottom: none; }}
table.toc a {{ color: inherit; }}
table.toc td.page {{ width: 0.45in; text-align: right; font-weight: bold; }}
table.toc td.page a {{ color: {spec.color_accent}; }}
table.toc td.page a::after {{ content: target-counter(attr(href), page); }}
h2 {{ font-size: {_pt(spec.heading_size)}; line-height: {ratio}; color: {spec.color_accent};
     margin: {_pt(spec.space_section)} 0 {_pt(spec.space_paragraph + 2)}; break-after: avoid; bookmark-level: 1; }}
main > section:first-child h2 {{ margin-top: 0; }}
ul {{ list-style: none; margin: 0 0 {_pt(spec.space_paragraph)}; padding: 0 0 0 {_pt(spec.list_indent)}; }}
li {{ position: relative; margin: 0 0 {_pt(spec.space_item)}; }}
li::before {{ content: "{spec.bullet}"; position: absolute; left: -{_pt(spec.list_indent)};
             color: {spec.color_accent}; }}
li:first-child, li:nth-last-child(2) {{ break-after: avoid; }}
.term {{ color: {spec.color_accent}; }}
.callout {{ background: {spec.color_callout_bg}; border-left: 5pt solid {spec.color_callout_rule};
           padding: {_pt(spec.callout_padding)} {_pt(spec.callout_padding)} {_pt(spec.callout_padding + 2)}
                    {_pt(spec.callout_padding + 4)};
           margin: 4pt 0 {_pt(spec.space_paragraph + 6)}; break-inside: avoid;
           font-size: {_pt(spec.callout_size)}; line-height: {_pt(callout_leading)}; }}
.callout p {{ margin: 0; }}
.callout .callout-title {{ font-size: {_pt(spec.callout_size + 2)}; font-weight: bold;
                          color: {spec.color_callout_rule}; margin-bottom: 4pt; }}
table.notes {{ width: 100%; border-collapse: collapse; font-size: {_pt(spec.small_size)};
              line-height: {_pt(spec.small_size * 1.35)}; }}
table.notes td {{ padding: 0 0 5pt; vertical-align: top; }}
table.notes td.number {{ width: 22pt; font-weight: bold; }}
.back {{ page: back; break-before: left; }}
h2.contact-heading {{ font-size: {_pt(spec.heading_size * 1.3)}; margin: 0 0 {_pt(spec.space_paragraph)}; }}
.line {{ border-left: 3pt solid {spec.color_accent}; padding: 2pt 4pt 2pt 12pt; margin: 6pt 0 10pt; }}
.line p {{ margin: 0; }}
.label {{ font-weight: bold; color: {spec.color_muted}; }}
.value {{ font-size: {_pt(spec.contact_value_size)}; line-height: 1.3; font-weight: bold; margin-bottom: 2pt; }}
.value a {{ color: {spec.color_text}; }}
.qr {{ display: flex; align-items: center; gap: 10pt; margin-top: 6pt; }}
.qr p {{ margin: 0; }}
.qr .url {{ word-break: break-all; }}
"""


class HtmlWriter:
    """The brochure as one self-contained HTML document with its CSS."""

    def __init__(self, brochure: Brochure, spec: LayoutSpec) -> None:
        self.brochure = brochure
        self.spec = spec

    def runs(self, runs: Runs) -> str:
        out: list[str] = []
        previous: object = None
        for run in runs:
            if isinstance(run, Text):
                out.append(html.escape(run.text, quote=False))
            elif isinstance(run, Emph):
                out.append(f"<em>{self.runs(run.children)}</em>")
            elif isinstance(run, Strong):
                out.append(f"<strong>{self.runs(run.children)}</strong>")
            elif isinstance(run, Link):
                out.append(f'<a class="link" href="{html.escape(run.url)}">{self.runs(run.children)}</a>')
            elif isinstance(run, Cite):
                sep = "<sup>,</sup>" if isinstance(previous, Cite) else ""
                out.append(
                    f'{sep}<sup><a id="cite-{run.number}-{run.occurrence}" href="#note-{run.number}">'
                    f"{run.number}</a></sup>"
                )
            previous = run
        return "".join(out)

    def block(self, block: Block, following: Block | None) -> str:
        if isinstance(block, Paragraph):
            lead = ' class="lead-in"' if isinstance(following, (Bullets, Terms)) else ""
            return f"<p{lead}>{self.runs(block.runs)}</p>"
        if isinstance(block, Bullets):
            return "<ul>" + "".join(f"<li>{self.runs(item.runs)}</li>" for item in block.items) + "</ul>"
        if isinstance(block, Terms):
            items = (
                f'<li><strong class="term">{html.escape(term.term)}</strong><br>{self.runs(term.text)}</li>'
                for term in block.items
            )
            return "<ul>" + "".join(items) + "</ul>"
        if isinstance(block, Callout):
            title = f'<p class="callout-title">{html.escape(block.title)}</p>' if block.title else ""
            return f'<div class="callout">{title}<p>{self.runs(block.runs)}</p></div>'
        assert isinstance(block, Subheading)
        return f"<h3>{html.escape(block.text)}</h3>"

    def document(self, qr: str | None = None) -> str:
        b = self.brochure
        e = html.escape
        head = [
            f'<!DOCTYPE html>\n<html lang="{e(b.lang)}"><head><meta charset="utf-8">',
            f"<title>{e(b.title)}</title>",
            f'<meta name="author" content="{e(b.publisher or "")}">',
            f'<meta name="description" content="{e(b.subtitle or "")}">',
            f'<meta name="dcterms.created" content="{e(b.reviewed or "2000-01-01")}">',
            f"<style>{_css(b, self.spec)}</style></head><body>",
        ]
        cover = ['<section class="cover"><div class="band">']
        cover.append('<div class="circle c1"></div><div class="circle c2"></div>')
        if b.publisher:
            cover.append(f'<p class="publisher">{e(b.publisher.upper())}</p>')
        cover.append(f'<h1 class="title">{e(b.title)}</h1>')
        if b.subtitle:
            cover.append(f'<p class="subtitle">{e(b.subtitle)}</p>')
        cover.append(f'</div><div class="contents"><p class="contents-title">{e(b.labels.get("contents"))}</p>')
        cover.append('<table class="toc">')
        for section in b.sections:
            cover.append(
                f'<tr><td><a href="#s-{e(section.id)}">{e(section.heading)}</a></td>'
                f'<td class="page"><a href="#s-{e(section.id)}"></a></td></tr>'
            )
        cover.append("</table></div></section>")
        body = ["<main>"]
        for section in b.sections:
            body.append(f'<section id="s-{e(section.id)}"><h2>{e(section.heading)}</h2>')
            blocks = section.blocks
            for index, block in enumerate(blocks):
                body.append(self.block(block, blocks[index + 1] if index + 1 < len(blocks) else None))
            body.append("</section>")
        if b.notes:
            body.append(f'<section class="notes"><h2>{e(b.labels.get("notes"))}</h2><table class="notes">')
            for note in b.notes:
                body.append(
                    f'<tr id="note-{note.number}"><td class="number"><a href="#cite-{note.number}-1">{note.number}.</a>'
                    f"</td><td>{self.runs(note.runs)}</td></tr>"
                )
            body.append("</table></section>")
        body.append("</main>")
        return "".join(head + cover + body + self.back(qr) + ["</body></html>\n"])

    def back(self, qr: str | None) -> list[str]:
        b, e = self.brochure, html.escape
        contact = b.contact
        out = ['<section class="back">']
        if contact is not None:
            out.append(f'<h2 class="contact-heading">{e(contact.heading)}</h2>')
            if contact.text:
                out.append(f"<p>{self.runs(contact.text)}</p>")
            for line in contact.lines:
                value = e(line.value)
                if line.link:
                    value = f'<a href="{e(line.link)}">{value}</a>'
                note = f"<p>{self.runs(line.note)}</p>" if line.note else ""
                out.append(
                    f'<div class="line"><p class="label">{e(line.label)}</p><p class="value">{value}</p>{note}</div>'
                )
            for label, detail in (("hours", contact.hours), ("address", contact.address)):
                if detail:
                    out.append(f"<p><strong>{e(b.labels.get(label))}:</strong> {e(detail)}</p>")
            if contact.qr or contact.website:
                out.append('<div class="qr">')
                if contact.qr:
                    out.append(qr or qr_svg(contact.qr, self.spec.qr_size))
                out.append("<div>")
                if contact.qr:
                    out.append(f'<p class="label">{e(b.labels.get("scan"))}</p>')
                if contact.website:
                    out.append(f'<p class="url"><a href="{e(contact.website)}">{e(contact.website)}</a></p>')
                out.append("</div></div>")
        out.append("</section>")
        return out


def html_document(brochure: Brochure, spec: LayoutSpec, qr: str | None = None) -> str:
    """The brochure as HTML + CSS for WeasyPrint (``qr``: a ready-made QR SVG, to reuse across variants)."""
    return HtmlWriter(brochure, spec).document(qr)


# ---------------------------------------------------------------- Typst


def _typst_string(text: str) -> str:
    """A Typst string literal: markup characters in ``text`` are never interpreted."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _t(text: str) -> str:
    """Literal text in markup mode."""
    return "#" + _typst_string(text)


class TypstWriter:
    """The brochure as one self-contained Typst document."""

    def __init__(self, brochure: Brochure, spec: LayoutSpec) -> None:
        self.brochure = brochure
        self.spec = spec

    def runs(self, runs: Runs) -> str:
        out: list[str] = []
        previous: object = None
        for run in runs:
            if isinstance(run, Text):
                out.append(_t(run.text))
            elif isinstance(run, Emph):
                out.append(f"#emph[{self.runs(run.children)}]")
            elif isinstance(run, Strong):
                out.append(f"#strong[{self.runs(run.children)}]")
            elif isinstance(run, Link):
                out.append(f"#link({_typst_string(run.url)})[#underline[{self.runs(run.children)}]]")
            elif isinstance(run, Cite):
                sep = '#super[#","]' if isinstance(previous, Cite) else ""
                out.append(
                    f"{sep}#super[#link(<note-{run.number}>)[#{_typst_string(str(run.number))}]]"
                    f"#metadata(none)<cite-{run.number}-{run.occurrence}>"
                )
            previous = run
        return "".join(out)

    def block(self, block: Block, following: Block | None) -> str:
        s = self.spec
        if isinstance(block, Paragraph):
            if isinstance(following, (Bullets, Terms)):
                return f"#block(sticky: true, below: {_pt(s.space_item + 2 + 5)})[{self.runs(block.runs)}]"
            return f"#par[{self.runs(block.runs)}]"
        if isinstance(block, Bullets):
            return "#list(" + ", ".join(f"[{self.runs(item.runs)}]" for item in block.items) + ")"
        if isinstance(block, Terms):
            items = (
                f'[#text(weight: "bold", fill: accent)[{_t(term.term)}]#linebreak(){self.runs(term.text)}]'
                for term in block.items
            )
            return "#list(" + ", ".join(items) + ")"
        if isinstance(block, Callout):
            title = f"#callout-title[{_t(block.title)}]" if block.title else ""
            return f"#callout[{title}{self.runs(block.runs)}]"
        assert isinstance(block, Subheading)
        return f"#heading(level: 2, outlined: false, bookmarked: false)[{_t(block.text)}]"

    def preamble(self) -> str:
        b, s = self.brochure, self.spec
        year, month, day = (b.reviewed or "2000-01-01").split("-")
        gap = s.body_leading - s.body_size
        page_label = "".join(
            _t(value)
            if kind == "text"
            else ("#counter(page).display()" if kind == "page" else "#counter(page).final().first()")
            for kind, value in _page_label_parts(b.labels.get("page", page="{page}", pages="{pages}"))
        )
        main = s.fonts[0].name if s.fonts else "Noto Sans"
        safe = 0.35 * 72
        date = f"datetime(year: {int(year)}, month: {int(month)}, day: {int(day)})"
        return f"""#set document(title: {_typst_string(b.title)}, author: {_typst_string(b.publisher or "")},
  description: {_typst_string(b.subtitle or "")}, date: {date})
#let accent = rgb("{s.color_accent}")
#let muted = rgb("{s.color_muted}")
#let link-color = rgb("{s.color_link}")
#let rule-color = rgb("{s.color_callout_rule}")
#let footer-with(left-text) = context {{
  set text(size: {_pt(s.small_size)}, fill: muted)
  line(length: 100%, stroke: 0.8pt + accent)
  v(-4pt)
  grid(columns: (1fr, 1fr), left-text, align(right)[{page_label}])
}}
#set page(width: {_pt(s.page_width)}, height: {_pt(s.page_height)},
  margin: (top: {_pt(s.margin_top)}, bottom: {_pt(s.margin_bottom)}, left: {_pt(s.margin_left)},
           right: {_pt(s.margin_right)}),
  background: place(top + left, dx: {_pt(s.margin_left)}, dy: {_pt(s.margin_top - 0.28 * 72 - 4)},
                    rect(width: 0.6in, height: 4pt, fill: accent)),
  footer: footer-with({_typst_string(b.title)}), footer-descent: 20%)
#set text(font: {_typst_string(main)}, size: {_pt(s.body_size)}, fill: rgb("{s.color_text}"),
  lang: {_typst_string(b.lang.split("-")[0])}, hyphenate: false, top-edge: 1em, bottom-edge: 0em)
#set par(leading: {_pt(gap)}, spacing: {_pt(s.space_paragraph + gap)})
#set list(marker: text(fill: accent)[{_t(s.bullet)}], indent: 0pt, body-indent: {_pt(s.list_indent - 6)},
  spacing: {_pt(s.space_item + gap)})
#show link: set text(fill: link-color)
#show heading: set text(weight: "bold")
#show heading.where(level: 1): it => block(above: {_pt(s.space_section + gap)},
  below: {_pt(s.space_paragraph + 2 + gap)}, sticky: true,
  text(size: {_pt(s.heading_size)}, fill: accent, top-edge: "cap-height", it.body))
#show heading.where(level: 2): it => block(above: {_pt(s.space_paragraph + 4 + gap)},
  below: {_pt(s.space_item + 1 + gap)}, sticky: true,
  text(size: {_pt(s.subheading_size)}, top-edge: "cap-height", it.body))
#let callout-title(body) = block(below: 4pt + {_pt(gap)}, text(size: {_pt(s.callout_size + 2)}, weight: "bold",
  fill: rule-color, body))
#let callout(body) = block(breakable: false, width: 100%, fill: rgb("{s.color_callout_bg}"),
  stroke: (left: 5pt + rule-color), above: {_pt(4 + gap)}, below: {_pt(s.space_paragraph + 6 + gap)},
  inset: (left: {_pt(s.callout_padding + 4)}, right: {_pt(s.callout_padding)}, top: {_pt(s.callout_padding)},
          bottom: {_pt(s.callout_padding + 2)}),
  text(size: {_pt(s.callout_size)}, body))
#let cover-background = {{
  place(top + left, dx: {_pt(safe)}, dy: {_pt(safe)}, block(width: {_pt(s.page_width - 2 * safe)},
    height: {_pt(s.page_height * 0.5 - safe)}, radius: 10pt, fill: accent, clip: true, {{
      place(top + right, dx: 0.6in, dy: -0.7in, circle(radius: 1.9in, fill: white.transparentize(90%)))
      place(bottom + right, dx: 0.4in, dy: -0.2in, circle(radius: 0.9in, fill: white.transparentize(90%)))
    }}))
}}
#let rule-box(body) = block(width: 100%, stroke: (left: 3pt + accent), inset: (left: 12pt, right: 4pt, y: 2pt),
  below: 10pt + {_pt(gap)}, body)
"""

    def cover(self) -> str:
        b, s = self.brochure, self.spec
        band = []
        if b.publisher:
            band.append(f'#text(weight: "bold")[{_t(b.publisher.upper())}]#v(14pt)')
        band.append(
            f'#[#show heading: it => text(size: {_pt(s.title_size)}, weight: "bold", it.body)'
            f"\n#heading(level: 1, outlined: false, bookmarked: true)[{_t(b.title)}]]"
        )
        if b.subtitle:
            band.append(f"#v({_pt(s.title_size * 0.3)})#text(size: {_pt(s.subtitle_size)})[{_t(b.subtitle)}]")
        rows = []
        for section in b.sections:
            rows.append(
                f"[{_t(section.heading)}], "
                f'[#text(weight: "bold", fill: accent)[#context locate(<s-{section.id}>).page()]]'
            )
        toc = (
            f"#grid(columns: (1fr, 0.45in), align: (left, right), inset: (y: 3.5pt),\n"
            f'  stroke: (x, y) => (bottom: if y < {len(rows) - 1} {{ 0.5pt + rgb("{s.color_accent_light}") }}),\n  '
            + ",\n  ".join(rows)
            + ")"
        )
        return f"""#page(margin: (top: 0.9in + {_pt(0.35 * 72)}, left: {_pt(s.margin_left)},
    right: {_pt(s.margin_right)}, bottom: {_pt(s.margin_bottom)}),
  background: cover-background, footer: none)[
#block(height: {_pt(s.page_height * 0.5 - 0.35 * 72 - 0.9 * 72)}, inset: (bottom: 0.5in))[#set text(fill: white)
{chr(10).join(band)}]
#heading(level: 2, outlined: false, bookmarked: false)[{_t(b.labels.get("contents"))}]
{toc}
]
"""

    def body(self) -> str:
        b, s = self.brochure, self.spec
        out: list[str] = []
        for section in b.sections:
            out.append(f"#heading(level: 1)[{_t(section.heading)}]<s-{section.id}>")
            blocks = section.blocks
            for index, block in enumerate(blocks):
                out.append(self.block(block, blocks[index + 1] if index + 1 < len(blocks) else None))
        if b.notes:
            out.append(f"#heading(level: 1)[{_t(b.labels.get('notes'))}]")
            cells = []
            for note in b.notes:
                cells.append(
                    f'[#metadata(none)<note-{note.number}>#text(weight: "bold")'
                    f"[#link(<cite-{note.number}-1>)[{_t(f'{note.number}.')}]]], [{self.runs(note.runs)}]"
                )
            out.append(
                f"#[#set text(size: {_pt(s.small_size)})\n#set par(leading: {_pt(s.small_size * 0.35)})\n"
                f"#grid(columns: (22pt, 1fr), row-gutter: 5pt + {_pt(s.small_size * 0.35)},\n  "
                + ",\n  ".join(cells)
                + ")]"
            )
        my_notes = b.labels.get("my_notes")
        hint = b.labels.get("my_notes_hint")
        out.append(
            "#metadata(none)<end-of-notes>\n"
            f"#context if calc.rem(locate(<end-of-notes>).page(), {s.pad_to}) != {s.pad_to - 1} {{\n"
            f"  pagebreak()\n  heading(level: 1, {_typst_string(my_notes)})\n  par({_typst_string(hint)})\n"
            f"  for _ in range(17) {{ block(above: 0pt, below: 0pt, width: 100%, height: {_pt(s.body_leading * 1.9)}, "
            f'stroke: (bottom: 0.6pt + rgb("{s.color_accent_light}"))) }}\n}}'
        )
        return "\n\n".join(out) + "\n"

    def back(self, qr: str | None) -> str:
        b, s = self.brochure, self.spec
        contact = b.contact
        out = [f"#set page(footer: footer-with({_typst_string(_back_footer(b))}))"]
        if contact is not None:
            out.append(
                f"#[#show heading: it => block(below: {_pt(s.space_paragraph + 5)}, text(size: "
                f"{_pt(s.heading_size * 1.3)}, fill: accent, it.body))\n#heading(level: 1)[{_t(contact.heading)}]]"
            )
            if contact.text:
                out.append(f"#par[{self.runs(contact.text)}]")
            for line in contact.lines:
                value = _t(line.value)
                if line.link:
                    value = f'#link({_typst_string(line.link)})[#text(fill: rgb("{s.color_text}"))[{value}]]'
                note = f"#linebreak(){self.runs(line.note)}" if line.note else ""
                out.append(
                    f'#rule-box[#text(weight: "bold", fill: muted)[{_t(line.label)}]#linebreak()'
                    f'#text(size: {_pt(s.contact_value_size)}, weight: "bold")[{value}]{note}]'
                )
            for label, detail in (("hours", contact.hours), ("address", contact.address)):
                if detail:
                    out.append(f"#par[#strong[{_t(b.labels.get(label))}:] {_t(detail)}]")
            if contact.qr or contact.website:
                text = []
                if contact.qr:
                    text.append(f'#text(weight: "bold", fill: muted)[{_t(b.labels.get("scan"))}]')
                if contact.website:
                    text.append(f"#link({_typst_string(contact.website)})[{_t(contact.website)}]")
                svg = qr or qr_svg(contact.qr or contact.website or "", s.qr_size)
                image = f'image(bytes({_typst_string(svg)}), format: "svg", width: {_pt(s.qr_size)})'
                out.append(
                    f"#grid(columns: ({_pt(s.qr_size + 10)}, 1fr), align: horizon, {image}, "
                    f"[{'#linebreak()'.join(text)}])"
                )
        return "\n\n".join(out) + "\n"

    def document(self, qr: str | None = None) -> str:
        return self.preamble() + self.cover() + self.body() + self.back(qr)


def typst_document(brochure: Brochure, spec: LayoutSpec, qr: str | None = None) -> str:
    """The brochure as Typst markup (``qr``: a ready-made QR SVG, to reuse across variants)."""
    return TypstWriter(brochure, spec).document(qr)


def font_dir() -> Path:
    """The folder Typst is given as its only font source (brochure's own TrueType files)."""
    return FONT_DIR


Generator = Callable[[Brochure, LayoutSpec, str | None], str]


def write_peers(content: Path, folder: Path, layout: str = "default") -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>.typ`` for ``content`` into ``folder``."""
    spec = load_layout(layout)
    brochure, _ = load_brochure(content)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"{content.stem}.html"
    typst_path = folder / f"{content.stem}.typ"
    html_path.write_text(html_document(brochure, spec), encoding="utf-8")
    typst_path.write_text(typst_document(brochure, spec), encoding="utf-8")
    return html_path, typst_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the WeasyPrint (HTML) and Typst versions of a brochure.")
    parser.add_argument("content", type=Path, nargs="?", default=Path("content.yaml"))
    parser.add_argument("-o", "--out", type=Path, default=Path("out/peers"))
    parser.add_argument("--layout", default="default")
    args = parser.parse_args(argv)
    for path in write_peers(args.content, args.out, args.layout):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
