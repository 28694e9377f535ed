"""YAML nodes → ``model.Brochure``: checks kinds, ids, required keys and labels, collecting every problem.

Input: the node tree from ``source``. Output: a ``Brochure`` plus warnings, or one
``ContentError`` that lists every problem in the file with its line and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath, PureWindowsPath

from .errors import ContentError, Diagnostic, Location
from .inline import check_url, parse_inline
from .model import (
    DEFAULT_LABELS,
    FIGURE_WIDTHS,
    REVIEW_STATUSES,
    Block,
    Brochure,
    Bullets,
    Callout,
    Cite,
    Contact,
    ContactLine,
    Emph,
    Figure,
    Labels,
    Link,
    Logo,
    Note,
    Paragraph,
    Review,
    Runs,
    Section,
    Strong,
    Subheading,
    Term,
    Terms,
)
from .source import Mapping, Node, Scalar, Sequence, describe

TOP_KEYS = {
    "lang": True,
    "title": True,
    "subtitle": False,
    "publisher": False,
    "version": False,
    "emergency": False,
    "review": False,
    "translation": False,
    "sections": True,
    "notes": False,
    "contact": False,
    "labels": False,
    "logo": False,
}
"""Top-level keys; True marks the required ones."""

BLOCK_KINDS = ("text", "bullets", "terms", "callout", "subheading", "figure")
BLOCK_EXTRA_KEYS = {"callout": ("title", "icon"), "figure": ("alt", "caption", "credit", "width")}
"""Keys a block of each kind may have beside its kind."""
SECTION_KEYS = {"id": True, "heading": True, "icon": False, "blocks": True}
ICON_DIR = Path(__file__).resolve().parent / "icons"
"""The shipped icons (Tabler Icons, MIT: see its README.txt), one SVG file per name."""


def icon_names() -> tuple[str, ...]:
    """The names of the shipped icons, sorted (``phone`` for ``icons/phone.svg``)."""
    return tuple(sorted(p.stem for p in ICON_DIR.glob("*.svg")))


TERM_KEYS = {"term": True, "text": True}
CONTACT_KEYS = {
    "heading": True,
    "text": False,
    "lines": False,
    "name": False,
    "address": False,
    "hours": False,
    "website": False,
    "qr": False,
    "when_you_call": False,
}
LINE_KEYS = {"label": True, "value": True, "note": False, "link": False, "local": False, "cover": False}
LOGO_KEYS = {"file": True, "alt": True}
TRANSLATION_KEYS = {"source": False, "fingerprints": False}
REVIEW_KEYS = {"status": True, "reviewer": False, "date": False, "review_by": False}
_REVIEW_HINT = (
    "write the review record: review: {status: draft, reviewer: ROLE, date: YYYY-MM-DD, review_by: YYYY-MM-DD}"
)
RETIRED = {
    "reviewed": "the review record replaces it; " + _REVIEW_HINT,
    "reviewer": "the review record replaces it; " + _REVIEW_HINT,
}
"""Keys of older content files, with what replaces them."""

EMERGENCY = "{emergency}"
"""Text fields may write this; it prints the file's ``emergency:`` number."""

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_EMERGENCY = re.compile(r"^[0-9][0-9 -]{0,14}$")
_BOOLEANS = {"yes": True, "true": True, "no": False, "false": False}

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PHONE = re.compile(r"^[0-9+() .-]*[0-9][0-9+() .-]*$")
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
"""Characters refused in text: C0 controls but tab and line feed, DEL and C1 controls, surrogates, and
the 66 noncharacters (U+FDD0-U+FDEF and the last two of every plane: no font draws them, and PDF
metadata may not hold them). A quoted escape (\\uffff) is how they get past the file check."""


def bad_character(value: str) -> tuple[int, str] | None:
    """The offset of the first character text may not hold, and what it is; None when there is none."""
    bad = _CONTROL.search(value)
    if bad is None:
        return None
    code = ord(bad.group())
    kind = "noncharacter" if code >= 0xFDD0 else "surrogate" if code >= 0xD800 else "control character"
    return bad.start(), f"{kind} U+{code:04X}"


LABELS_FALLBACK = "missing; using English"
"""The end of the warning about labels a translation leaves out."""

MAX_TEXT = 50_000
"""Characters one text field may hold. Longer is an error: laying out one paragraph costs time
that grows with the square of its length, and a brochure's longest is about a thousand."""

QR_MAX_BYTES = 2_000
"""Bytes of the ``qr`` address; a QR code (error correction M) holds at most about 2,200."""


def _suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    import difflib  # only for a misspelt name: not worth its import at every start

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


@dataclass(slots=True)
class _Reader:
    """Walks the node tree once, collecting problems instead of stopping at the first."""

    name: str
    problems: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    chars: dict[str, Location] = field(default_factory=dict)
    today: date | None = None
    """The build date: review dates are checked against it (not at all when None)."""
    emergency: str | None = None

    def error(self, location: Location, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(location, message, hint))

    def warn(self, location: Location, message: str, hint: str | None = None) -> None:
        self.warnings.append(Diagnostic(location, message, hint, "warning"))

    # ---- shapes

    def mapping(self, node: Node | None, what: str) -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        if node is not None:
            self.error(node.location, f"{what} must be a mapping (key: value), found {describe(node)}")
        return None

    def sequence(self, node: Node | None, what: str) -> Sequence | None:
        if isinstance(node, Sequence):
            return node
        if node is not None:
            self.error(node.location, f"{what} must be a list, found {describe(node)}", "start each item with '- '")
        return None

    def fields(self, node: Mapping, spec: dict[str, bool], what: str) -> dict[str, Node]:
        """The known keys of ``node``; unknown keys and missing required keys are problems."""
        found: dict[str, Node] = {}
        for key, value in node.items:
            if key.value in spec:
                found[key.value] = value
            elif key.value in RETIRED:
                self.error(key.location, f"'{key.value}' is no longer a key of {what}", RETIRED[key.value])
            else:
                self.error(key.location, f"unknown key '{key.value}' in {what}", _suggest(key.value, list(spec)))
        for name, required in spec.items():
            if required and name not in found:
                self.error(node.location, f"{what} is missing required key '{name}'")
        return found

    # ---- scalars

    def text(self, node: Node | None, what: str, *, required: bool = True, label: bool = False) -> str | None:
        """A plain text value, NFC-normalised, with control characters refused.

        ``{emergency}`` becomes the file's emergency number; without one it is an error, except
        in a label (a label that names it is printed only when the file gives the number).
        """
        if node is None:
            return None
        if not isinstance(node, Scalar) or node.null:
            if required or not (isinstance(node, Scalar) and node.null):
                self.error(node.location, f"{what} must be text, found {describe(node)}")
            return None
        if len(node.value) > MAX_TEXT:
            self.error(
                node.location,
                f"{what} is too long ({len(node.value):,} characters; the limit is {MAX_TEXT:,})",
                "split it into several paragraphs or list items",
            )
            return None
        value = unicodedata.normalize("NFC", node.value)
        bad = bad_character(value)
        if bad:
            offset, kind = bad
            self.error(
                node.location_of(offset, value[offset]),
                f"{kind} is not allowed in {what}",
                "delete it; it may have come from copying and pasting",
            )
            return None
        new = set(value).difference(self.chars)  # characters not seen before: where each first appears
        if len(new) > 16:  # many (a new script): one pass over the text
            for offset, ch in enumerate(value):
                if ch not in self.chars:
                    self.chars[ch] = node.location_of(offset, ch)
        else:  # a few: found by str.index, in the order they appear
            for ch in sorted(new, key=value.index):
                self.chars[ch] = node.location_of(value.index(ch), ch)
        value = " ".join(value.split()) if "\n" in value or "\t" in value else value
        if not value.strip():
            self.error(node.location, f"{what} is empty")
            return None
        if EMERGENCY in value:
            if self.emergency is None and label:
                return value
            if self.emergency is None:
                self.error(
                    node.location_of(value.index(EMERGENCY), EMERGENCY),
                    f"{what} uses {EMERGENCY}, but the file gives no emergency number",
                    'add the local emergency number at the top of the file, such as emergency: "911"',
                )
                return None
            value = value.replace(EMERGENCY, self.emergency)
        return value

    def flag(self, node: Node | None, what: str) -> bool:
        """A yes/no value (absent: no)."""
        if node is None:
            return False
        if isinstance(node, Scalar) and node.value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[node.value.strip().lower()]
        self.error(node.location, f"{what} must be yes or no, found {describe(node)}")
        return False

    def iso_date(self, node: Node | None, what: str) -> str | None:
        """A real calendar date written YYYY-MM-DD."""
        value = self.text(node, what)
        if value is None or node is None:
            return None
        value = value.strip()
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            self.error(
                node.location, f"{what} '{value}' is not a date", "write a real date as YYYY-MM-DD, such as 2026-03-31"
            )
            return None
        return value

    def review(self, node: Node) -> Review | None:
        """The review record: status, the reviewer's role, the date, and the date to review again by."""
        m = self.mapping(node, "review")
        if m is None:
            return None
        f = self.fields(m, REVIEW_KEYS, "review")
        status = self.text(f.get("status"), "review status")
        if status is not None and status not in REVIEW_STATUSES:
            self.error(f["status"].location, f"review status must be draft or reviewed, not '{status}'", _REVIEW_HINT)
            status = None
        reviewer = self.text(f.get("reviewer"), "reviewer") if "reviewer" in f else None
        when = self.iso_date(f.get("date"), "review date") if "date" in f else None
        review_by = self.iso_date(f.get("review_by"), "review_by") if "review_by" in f else None
        if status == "reviewed":
            for key in ("reviewer", "date"):
                if key not in f:
                    self.error(
                        m.location,
                        f"a reviewed file must say its review {key}",
                        "give the reviewer's role (such as: pharmacist) and the date of the review",
                    )
        if status is None:
            return None
        if when and review_by and review_by < when:
            self.error(f["review_by"].location, f"review_by {review_by} is before the review date {when}")
        if self.today is not None:
            today = self.today.isoformat()
            if when and when > today:
                self.warn(f["date"].location, f"the review date {when} is later than the build date {today}")
            if review_by and review_by < today:
                self.warn(
                    f["review_by"].location,
                    f"the review is overdue: it was due by {review_by}",
                    "have the content reviewed again, then update the review record",
                )
        return Review(status, reviewer, when, review_by, m.location)

    def inline(self, node: Node | None, what: str, *, cites: bool = True) -> Runs:
        """Text with inline markup parsed into runs."""
        value = self.text(node, what)
        if value is None or not isinstance(node, Scalar):
            return ()
        locate: Callable[[int, str], Location] = node.location_of
        runs, problems = parse_inline(value, locate)
        for problem in problems:
            self.error(node.location_of(problem.offset, problem.needle), problem.message, problem.hint)
        if not cites and any(_has_cite(r) for r in runs):
            self.error(node.location, f"{what} cannot cite a note", "citations belong in the text, not in notes")
        return runs

    def url(self, node: Node | None, what: str, schemes: tuple[str, ...] | None = None) -> str | None:
        value = self.text(node, what)
        if value is None or node is None:
            return None
        why = check_url(value)
        if why is None and schemes and value.split(":", 1)[0].lower() not in schemes:
            why = f"{what} must be an {' or '.join(schemes)} address"
        if why:
            self.error(node.location, why, "use a full address such as https://www.example.org/page")
            return None
        return value

    def qr(self, node: Node | None) -> str | None:
        """The address the QR code holds: a web address short enough to encode."""
        value = self.url(node, "qr", ("http", "https"))
        size = len(value.encode("utf-8")) if value else 0
        if node is not None and size > QR_MAX_BYTES:
            self.error(
                node.location,
                f"qr address is too long for a QR code ({size:,} bytes; the limit is {QR_MAX_BYTES:,})",
                "use a shorter address: a long one also makes a code too dense for a phone to read",
            )
            return None
        return value

    # ---- content

    def brochure(self, root: Node | None, *, partial: bool = False) -> Brochure | None:
        if root is None:
            self.error(Location(self.name), "the file is empty", "copy content.yaml and change it")
            return None
        top = self.mapping(root, "the file")
        if top is None:
            return None
        f = self.fields(top, TOP_KEYS, "the file")
        lang = self.text(f.get("lang"), "lang")
        if lang and not _LANG.match(lang):
            self.error(
                f["lang"].location,
                f"lang '{lang}' is not a language tag",
                "use a BCP 47 tag such as en, es, zh-Hans, ar",
            )
        if "emergency" in f:
            self.emergency = self.text(f["emergency"], "emergency")
            if self.emergency is not None and not _EMERGENCY.match(self.emergency):
                self.error(
                    f["emergency"].location,
                    f"emergency '{self.emergency}' is not a phone number",
                    'give the local emergency number in quotes, such as emergency: "911" (or "112", "999")',
                )
                self.emergency = None
        title = self.text(f.get("title"), "title")
        extra = {key: self.text(f.get(key), key) for key in ("subtitle", "publisher", "version")}
        review = self.review(f["review"]) if "review" in f else None
        if "translation" in f:
            self.translation(f["translation"])
        sections = self.sections(f.get("sections"))
        notes = self.notes(f.get("notes"))
        contact = self.contact(f.get("contact"))
        labels = self.labels(f.get("labels"), lang or "en", top.location)
        characters = tuple(self.chars.items())  # the logo's alt text is never printed: it needs no font
        logo = self.logo(f["logo"]) if "logo" in f else None
        if (self.problems and not partial) or lang is None or title is None:
            return None
        return Brochure(
            source=self.name,
            lang=lang,
            title=title,
            subtitle=extra["subtitle"],
            publisher=extra["publisher"],
            version=extra["version"],
            reviewed=review.date if review is not None and review.status == "reviewed" else None,
            draft=review is not None and review.status == "draft",
            sections=sections,
            notes=notes,
            contact=contact,
            labels=labels,
            location=top.location,
            characters=characters,
            places=tuple((key, node.location) for key, node in f.items()),
            translated="translation" in f,
            logo=logo,
            emergency=self.emergency,
            review=review,
        )

    def figure(self, m: Mapping, node: Node) -> Figure | None:
        """A picture block: a PNG, JPEG or SVG file beside the content, its alt text, caption and credit."""
        file = self.text(node, "figure")
        alt_node = m.get("alt")
        if alt_node is None:
            self.error(m.location, "a figure is missing required key 'alt'", "say in a sentence what the picture shows")
        alt = self.text(alt_node, "figure alt")
        caption = self.inline(m.get("caption"), "figure caption") if m.get("caption") is not None else ()
        credit = self.text(m.get("credit"), "figure credit") if m.get("credit") is not None else None
        width = "full"
        width_node = m.get("width")
        if width_node is not None:
            value = self.text(width_node, "figure width")
            if value is not None and value not in FIGURE_WIDTHS:
                self.error(
                    width_node.location,
                    f"figure width must be one of {', '.join(FIGURE_WIDTHS)}, found '{value}'",
                    _suggest(value, FIGURE_WIDTHS),
                )
            elif value is not None:
                width = value
        if file is None or alt is None or not self.file_in_folder(file, node.location, "figure"):
            return None
        return Figure(file, alt, caption, credit, width, node.location)

    def file_in_folder(self, file: str, where: Location, what: str) -> bool:
        """Whether an image path names a file inside the content's folder (else an error at ``where``)."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", file):
            self.error(where, f"the {what} must be a file, not a web address", "images are never downloaded")
            return False
        path = PurePath(file)
        if path.is_absolute() or PureWindowsPath(file).is_absolute() or ".." in path.parts:
            self.error(
                where, f"{what} file '{file}' must be inside the content's folder", "give a path like images/logo.png"
            )
            return False
        return True

    def logo(self, node: Node) -> Logo | None:
        """A cover image: a PNG or JPEG file beside the content file, and its alternative text."""
        m = self.mapping(node, "logo")
        if m is None:
            return None
        f = self.fields(m, LOGO_KEYS, "logo")
        file = self.text(f.get("file"), "logo file")
        alt = self.text(f.get("alt"), "logo alt")
        if file is None or alt is None:
            return None
        where = f["file"].location
        if not self.file_in_folder(file, where, "logo"):
            return None
        return Logo(file, alt, where)

    def translation(self, node: Node) -> None:
        """Reads the translation record: the English file it was translated from."""
        m = self.mapping(node, "translation")
        if m is None:
            return
        f = self.fields(m, TRANSLATION_KEYS, "translation")
        source = f.get("source")
        if source is not None and not (isinstance(source, Scalar) and not source.null):
            self.error(source.location, f"translation: source must be a file name, found {describe(source)}")
        elif isinstance(source, Scalar) and not _in_folder(source.value.strip()):
            self.error(
                source.location,
                f"translation: source '{source.value.strip()}' must be a file in the translation's folder",
                "name the English file beside it, such as content.yaml",
            )

    def sections(self, node: Node | None) -> tuple[Section, ...]:
        seq = self.sequence(node, "sections")
        if seq is None:
            return ()
        if not seq.items:
            self.error(seq.location, "sections is empty", "add at least one section")
        seen: dict[str, Location] = {}
        out: list[Section] = []
        for item in seq.items:
            m = self.mapping(item, "a section")
            if m is None:
                continue
            f = self.fields(m, SECTION_KEYS, "a section")
            sid = self.text(f.get("id"), "section id")
            if sid is not None:
                if not _ID.match(sid):
                    self.error(f["id"].location, f"section id '{sid}' may use only a-z, 0-9 and '-'")
                elif sid in seen:
                    self.error(f["id"].location, f"duplicate section id '{sid}' (first used at line {seen[sid].line})")
                seen[sid] = f["id"].location
            heading = self.text(f.get("heading"), "heading")
            icon = self.icon(f.get("icon"))
            blocks = self.blocks(f.get("blocks"))
            if sid and heading:
                out.append(Section(sid, heading, blocks, m.location, icon=icon))
        return tuple(out)

    def icon(self, node: Node | None) -> str | None:
        """The name of a shipped icon; an unknown name is an error that lists the names there are."""
        name = self.text(node, "icon")
        if name is None or node is None:
            return None
        names = icon_names()
        if name not in names:
            hint = _suggest(name, names)
            self.error(
                node.location,
                f"unknown icon '{name}'",
                f"{hint + ' ' if hint else ''}the icons there are: {', '.join(names)}",
            )
            return None
        return name

    def blocks(self, node: Node | None) -> tuple[Block, ...]:
        seq = self.sequence(node, "blocks")
        if seq is None:
            return ()
        out: list[Block] = []
        for item in seq.items:
            m = self.mapping(item, "a block")
            if m is None:
                continue
            block = self.block(m)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, m: Mapping) -> Block | None:
        kinds = [k for k in m.names() if k in BLOCK_KINDS]
        allowed = BLOCK_EXTRA_KEYS.get(kinds[0], ()) if len(kinds) == 1 else ()
        extra = [k for k in m.names() if k not in BLOCK_KINDS and k not in allowed]
        for key in extra:
            where = m.key_node(key)
            assert where is not None
            hint = _suggest(key, [*BLOCK_KINDS, *allowed])
            self.error(where.location, f"unknown block kind '{key}'", hint or f"use one of: {', '.join(BLOCK_KINDS)}")
        if len(kinds) > 1:
            self.error(
                m.location,
                f"a block has one kind, found {len(kinds)}: {', '.join(kinds)}",
                "start each block with its own '- '",
            )
            return None
        if not kinds:
            if not extra:
                self.error(m.location, "a block needs a kind", f"use one of: {', '.join(BLOCK_KINDS)}")
            return None
        kind = kinds[0]
        node = m.get(kind)
        assert node is not None
        if kind == "text":
            return Paragraph(self.inline(node, "text"), node.location)
        if kind == "subheading":
            value = self.text(node, "subheading")
            return Subheading(value, node.location) if value else None
        if kind == "figure":
            return self.figure(m, node)
        if kind == "callout":
            title_node = m.get("title")
            title = self.text(title_node, "callout title") if title_node is not None else None
            return Callout(title, self.inline(node, "callout"), m.location, icon=self.icon(m.get("icon")))
        if kind == "bullets":
            seq = self.sequence(node, "bullets")
            if seq is None:
                return None
            items = tuple(Paragraph(self.inline(i, "a bullet"), i.location) for i in seq.items)
            if not items:
                self.error(node.location, "bullets is empty")
            return Bullets(items, node.location)
        seq = self.sequence(node, "terms")
        if seq is None:
            return None
        terms: list[Term] = []
        for item in seq.items:
            tm = self.mapping(item, "a term")
            if tm is None:
                continue
            tf = self.fields(tm, TERM_KEYS, "a term")
            term = self.text(tf.get("term"), "term")
            text = self.inline(tf.get("text"), "term text")
            if term:
                terms.append(Term(term, text, tm.location))
        if not seq.items:
            self.error(node.location, "terms is empty")
        return Terms(tuple(terms), node.location)

    def notes(self, node: Node | None) -> tuple[Note, ...]:
        m = self.mapping(node, "notes")
        if m is None:
            return ()
        out: list[Note] = []
        for key, value in m.items:
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", key.value):
                self.error(key.location, f"note key '{key.value}' may use only letters, digits, '-', '_' and '.'")
                continue
            out.append(Note(key.value, self.inline(value, f"note '{key.value}'", cites=False), key.location))
        return tuple(out)

    def contact(self, node: Node | None) -> Contact | None:
        m = self.mapping(node, "contact")
        if m is None:
            return None
        f = self.fields(m, CONTACT_KEYS, "contact")
        lines: list[ContactLine] = []
        seq = self.sequence(f.get("lines"), "contact lines")
        for item in seq.items if seq else ():
            lm = self.mapping(item, "a contact line")
            if lm is None:
                continue
            lf = self.fields(lm, LINE_KEYS, "a contact line")
            label = self.text(lf.get("label"), "label")
            value = self.text(lf.get("value"), "value")
            note = self.inline(lf["note"], "note") if "note" in lf else ()
            link = self.url(lf["link"], "link") if "link" in lf else None
            if link is None and value and "link" not in lf and _PHONE.match(value):
                link = "tel:" + "".join(ch for ch in value if ch.isdigit() or ch == "+")
            local = self.flag(lf.get("local"), "local")
            cover = self.flag(lf.get("cover"), "cover")
            if local and cover:
                self.error(
                    lf["cover"].location,
                    "a contact line cannot be both local and on the cover",
                    "a site's own line takes the place of the local line, and site lines never go on the cover",
                )
            if local and any(line.local for line in lines):
                first = next(line for line in lines if line.local)
                self.error(
                    lf["local"].location,
                    f"only one contact line can be local (the first is at line {first.location.line})",
                )
            if label and value:
                lines.append(ContactLine(label, value, note, link, lm.location, local=local, cover=cover))
        heading = self.text(f.get("heading"), "contact heading")
        calls = self.sequence(f.get("when_you_call"), "when_you_call") if "when_you_call" in f else None
        items = calls.items if calls else ()
        when = tuple(Paragraph(self.inline(i, "a when_you_call item"), i.location) for i in items)
        if calls is not None and not when:
            self.error(calls.location, "when_you_call is empty", "list a few short points, or leave the key out")
        return Contact(
            heading=heading or "",
            text=self.inline(f["text"], "contact text") if "text" in f else (),
            lines=tuple(lines),
            name=self.text(f.get("name"), "name"),
            address=self.text(f.get("address"), "address"),
            hours=self.text(f.get("hours"), "hours"),
            website=self.url(f.get("website"), "website", ("http", "https")),
            qr=self.qr(f.get("qr")),
            location=m.location,
            when_you_call=when,
        )

    def labels(self, node: Node | None, lang: str, where: Location) -> Labels:
        values = dict(DEFAULT_LABELS)
        given: set[str] = set()
        m = self.mapping(node, "labels")
        if m is not None:
            for key, value in m.items:
                if key.value not in DEFAULT_LABELS:
                    self.error(key.location, f"unknown label '{key.value}'", _suggest(key.value, list(DEFAULT_LABELS)))
                    continue
                text = self.text(value, f"label '{key.value}'", label=True)
                if text is not None:
                    values[key.value] = text
                    given.add(key.value)
        if not lang.lower().startswith("en"):
            missing = [k for k in DEFAULT_LABELS if k not in given]
            if missing:
                loc = m.location if m is not None else where
                self.warn(loc, f"label{'s' if len(missing) > 1 else ''} {', '.join(missing)} {LABELS_FALLBACK}")
        return Labels(tuple(values.items()))


def _in_folder(name: str) -> bool:
    """Whether a file name stays inside the folder it is read from (no web address, absolute path or '..')."""
    path = PurePath(name)
    absolute = path.is_absolute() or PureWindowsPath(name).is_absolute()
    return not (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name) or absolute or ".." in path.parts)


def _has_cite(run: object) -> bool:
    if isinstance(run, Cite):
        return True
    if isinstance(run, (Emph, Strong, Link)):
        return any(_has_cite(r) for r in run.children)
    return False


def build_model(root: Node | None, name: str, today: date | None = None) -> tuple[Brochure, list[Diagnostic]]:
    """Turn a parsed content file into the content model.

    Args:
        root: the file's root node (None for an empty file).
        name: the file name used in messages.
        today: the build date, which the review record's dates are checked against.

    Returns:
        The brochure and the warnings found.

    Raises:
        ContentError: listing every problem in the file.
    """
    brochure, warnings, problems = read_model(root, name, today)
    if problems or brochure is None:
        raise ContentError(problems)
    return brochure, warnings


def read_model(
    root: Node | None, name: str, today: date | None = None
) -> tuple[Brochure | None, list[Diagnostic], list[Diagnostic]]:
    """Like ``build_model``, but returning the problems, and the brochure as far as it could be read.

    Returns:
        The brochure (None when even its language or title cannot be read), its warnings,
        and its problems in file order. With problems, the brochure leaves out what was
        wrong; later checks (citations, fonts) can still run on the rest, so that one run
        reports every problem.
    """
    reader = _Reader(name, today=today)
    brochure = reader.brochure(root, partial=True)
    return brochure, reader.warnings, sorted(reader.problems, key=lambda d: d.location)
