"""The canvas a brochure is drawn on: what ReportLab's Canvas does not write by itself.

- **Tagged PDF.** Every flowable that carries content (``Tagged``) is drawn inside a
  marked-content sequence with an MCID and becomes a structure element (P, H1, LI, Figure…)
  under containers it names (L, TOC, Div…); everything else on a page (page furniture,
  rules, backgrounds, crop marks) is marked as an artifact. At save the structure tree is
  written: StructTreeRoot, one StructElem per element, the ParentTree that maps each page's
  MCIDs and each link annotation back to its element, /MarkInfo and the pages' /StructParents.
- **Links** get a description (/Contents: "Open https://…", "Call …", "Go to page 11") and a
  Link structure element with an object reference; every page has the structure tab order.
- **Late numbers.** Text known only when the layout is done (the page total, the page a
  section starts on) is drawn in a form XObject that is placed at once and defined at save,
  so the document is laid out in one pass.
"""

from __future__ import annotations

import copy
import re
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html import escape  # already imported by ReportLab's paragraph parser; xml.sax.saxutils pulls in urllib
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from . import cache
from .conformance import CMYK, SRGB, Claims, OutputIntent, rgb_to_cmyk, xmp_packet

rl_config.useA85 = 0  # no ASCII85 on top of compression: a third larger, and slower to write and read


def _end_of_line_before_endstream(format_stream: Callable[[Any, Any], bytes]) -> Callable[[Any, Any], bytes]:
    """ReportLab writes a stream's data straight before ``endstream``; PDF/A wants an end of line between.

    The end of line is not part of the data (``/Length`` stays the data's length).
    """

    def format(self: Any, document: Any) -> bytes:
        out = format_stream(self, document)
        return out[: -len(b"endstream\n")] + b"\nendstream\n" if out.endswith(b"endstream\n") else out

    format.patched = True  # type: ignore[attr-defined]  # a mark: patched once per process
    return format


if not getattr(pdfdoc.PDFStream.format, "patched", False):
    pdfdoc.PDFStream.format = _end_of_line_before_endstream(pdfdoc.PDFStream.format)

ContainerPath = tuple[tuple[str, object, int], ...]
"""Where a piece of content sits in the structure tree: (kind, key, order) from the top down.

Elements with the same key are the same element; ``order`` sorts siblings (ties keep the
order they were first drawn in)."""

_PAGE_NAME = re.compile(r"Page(\d+)$")


@dataclass(eq=False, slots=True)
class Element:
    """One structure element: its standard type, parent, children, alternate and actual text."""

    kind: str
    parent: Element | None
    order: int = 0
    seq: int = 0
    alt: str = ""
    actual: str = ""
    target: str = ""
    """A Link element's target (a web address, or a destination's name): its annotations are matched by it."""
    lang: str = ""
    """The element's language (``/Lang``) where it is not the document's: English notes in a translation."""
    kids: list[Element | MarkedContent | LinkObject] = field(default_factory=list)

    def sorted_kids(self) -> list[Element | MarkedContent | LinkObject]:
        """Children in reading order: a leaf's content and links as drawn, other elements by their order."""
        if any(isinstance(k, MarkedContent) for k in self.kids):
            return list(self.kids)
        return sorted(self.kids, key=lambda k: (k.order, k.seq) if isinstance(k, Element) else (0, 0))


@dataclass(frozen=True, slots=True)
class MarkedContent:
    """A marked-content sequence: the ``mcid``-th on page ``page`` (from 0)."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True)
class LinkObject:
    """A link annotation, by ReportLab's internal name, on page ``page`` (from 0)."""

    page: int
    name: str


class _Raw(pdfdoc.PDFObject):  # type: ignore[misc]  # ReportLab is untyped
    """A PDF object written from ready-made bytes and the references among them.

    The structure tree has an element per paragraph; formatting each as ReportLab
    dictionaries cost about a tenth of a build.
    """

    def __init__(self, parts: list[bytes | Any]) -> None:
        self.parts = parts

    def format(self, document: Any) -> bytes:
        return b"".join(part if isinstance(part, bytes) else part.format(document) for part in self.parts)


class StructureRecorder:
    """Records the structure of a document while it is drawn and writes it out at the end.

    Drawing calls ``page_begin``/``page_end`` around each page, ``leaf`` around each piece of
    tagged content, and ``furniture`` around page furniture. Content outside any leaf is
    an artifact.
    """

    def __init__(self, emit: Callable[[str], None]) -> None:
        self.root = Element("Document", None)
        self._emit = emit
        self._containers: dict[object, Element] = {}
        self._leaves: dict[object, Element] = {}
        self._seq = 0
        self.page = -1
        self.page_mcids: list[list[Element]] = []
        self.links: list[tuple[LinkObject, Element]] = []
        self._artifact_open = False
        self._furniture = 0
        self._open_leaf: Element | None = None
        self._open_link: Element | None = None
        """The Link element whose words are being drawn (a marked-content sequence inside the leaf's)."""
        self._leaf_links: list[Element] = []
        """The Link elements holding words in the leaf being drawn, in drawing order."""
        self.defer_to_text = False
        """Set before a leaf begins whose marked content must open inside its text object (see ``drawText``)."""
        self._deferred: str | None = None
        """The opening operator of such a leaf, until its text object is drawn."""
        self.annotation_keys: dict[str, int] = {}
        """The ParentTree key of each link annotation (by ReportLab's name), once written."""

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def __deepcopy__(self, memo: dict[int, Any]) -> StructureRecorder:
        """A copy for a variant that goes on drawing (see ``render.SharedPages``).

        Elements are copied with their links to each other; content items are immutable
        and shared. Built by hand: ``copy.deepcopy`` took four times as long.
        """
        new = copy.copy(self)
        memo[id(self)] = new
        new._emit = copy.deepcopy(self._emit, memo)  # noqa: SLF001  # the copy's own; bound to the copied canvas
        twin: dict[int, Element] = {}
        stack = [self.root]
        while stack:
            element = stack.pop()
            twin[id(element)] = Element(
                element.kind,
                None,
                element.order,
                element.seq,
                element.alt,
                actual=element.actual,
                target=element.target,
                lang=element.lang,
            )
            stack.extend(k for k in element.kids if isinstance(k, Element))
        stack = [self.root]
        while stack:
            element = stack.pop()
            clone = twin[id(element)]
            clone.parent = twin[id(element.parent)] if element.parent is not None else None
            clone.kids = [twin[id(k)] if isinstance(k, Element) else k for k in element.kids]
            stack.extend(k for k in element.kids if isinstance(k, Element))
        new.root = twin[id(self.root)]
        new._containers = {key: twin[id(e)] for key, e in self._containers.items()}  # noqa: SLF001  # the copy's own state
        new._leaves = {key: twin[id(e)] for key, e in self._leaves.items()}  # noqa: SLF001  # the copy's own state
        new.page_mcids = [[twin[id(e)] for e in page] for page in self.page_mcids]
        new.links = [(target, twin[id(e)]) for target, e in self.links]
        new._open_leaf = twin[id(self._open_leaf)] if self._open_leaf is not None else None  # noqa: SLF001  # the copy's own state
        new._open_link = twin[id(self._open_link)] if self._open_link is not None else None  # noqa: SLF001  # as above
        new._leaf_links = [twin[id(e)] for e in self._leaf_links]  # noqa: SLF001  # as above
        new.annotation_keys = dict(self.annotation_keys)
        return new

    # ---------------------------------------------------------------- while drawing

    def page_begin(self) -> None:
        """A new page starts: its content is an artifact until a leaf begins."""
        self.page += 1
        self.page_mcids.append([])
        self._emit("/Artifact BMC")
        self._artifact_open = True

    def page_end(self) -> None:
        if self._artifact_open:
            self._emit("EMC")
            self._artifact_open = False

    @contextmanager
    def furniture(self) -> Iterator[None]:
        """Page furniture (footers, bands, marks): an artifact even where it draws tagged flowables."""
        self._furniture += 1
        try:
            yield
        finally:
            self._furniture -= 1

    def _container(self, path: ContainerPath) -> Element:
        parent = self.root
        for kind, key, order in path:
            element = self._containers.get(key)
            if element is None:
                element = Element(kind, parent, order, self._next_seq())
                parent.kids.append(element)
                self._containers[key] = element
            parent = element
        return parent

    def begin_leaf(
        self,
        kind: str,
        key: object,
        path: ContainerPath,
        alt: str = "",
        order: int = 0,
        actual: str = "",
        lang: str = "",
    ) -> bool:
        """Start tagged content; False (and nothing written) inside furniture or another leaf."""
        if self._furniture or self._open_leaf is not None or self.page < 0:
            return False
        element = self._leaves.get(key) if key is not None else None
        if element is None:
            parent = self._container(path)
            element = Element(kind, parent, order, self._next_seq(), alt, actual=actual, lang=lang)
            parent.kids.append(element)
            if key is not None:
                self._leaves[key] = element
        mcids = self.page_mcids[self.page]
        mcid = len(mcids)
        mcids.append(element)
        element.kids.append(MarkedContent(self.page, mcid))
        opening = f"/{kind} <</MCID {mcid}>> BDC"
        if self.defer_to_text:  # opened inside the text object; what is drawn around it is an artifact
            self.defer_to_text = False
            self._deferred = opening
            if not self._artifact_open:
                self._emit("/Artifact BMC")
                self._artifact_open = True
        else:
            if self._artifact_open:
                self._emit("EMC")
                self._artifact_open = False
            self._emit(opening)
        self._open_leaf = element
        return True

    def take_deferred(self) -> str | None:
        """The opening of a leaf to be written inside the text object drawn now (once), or None."""
        opening, self._deferred = self._deferred, None
        return opening

    def text_closed(self) -> None:
        """A text object holding a leaf's content ended: so did any link sequence inside it."""
        self._open_link = None

    def end_leaf(self) -> None:
        if self._open_link is not None:  # a link's words cut off by the end of a page
            self._emit("EMC")
            self._open_link = None
        self._leaf_links.clear()
        self._deferred = None
        self.defer_to_text = False
        self._emit("EMC")
        self._open_leaf = None
        self._emit("/Artifact BMC")
        self._artifact_open = True

    def next_leaf(
        self,
        kind: str,
        key: object,
        path: ContainerPath,
        alt: str = "",
        order: int = 0,
        actual: str = "",
        lang: str = "",
    ) -> None:
        """End the leaf being drawn and begin another at once (a list item's label, then its body)."""
        self._emit("EMC")
        self._open_leaf = None
        self.begin_leaf(kind, key, path, alt, order, actual, lang)

    def link_words(
        self, begin: bool, emit: Callable[[str], None] | None = None, actual: str = "", target: str = ""
    ) -> None:
        """The words of a link begin (or end) here: they get a Link element and a sequence of their own.

        The leaf's marked-content sequence is closed and, after the link's words, opened
        again with a new MCID, so its text reads in order around the link. ``emit`` writes
        into a text object being built (ReportLab's paragraphs); by default, the page.
        ``actual`` is the words in reading order, where the glyphs drawn do not give them;
        ``target`` where the link goes (its annotations are matched to it by that).
        """
        leaf = self._open_leaf
        if leaf is None or begin == (self._open_link is not None):
            return
        if emit is not None and self._deferred is None:  # in a text object whose leaf opened outside it
            return
        emit = emit or self._emit
        mcids = self.page_mcids[self.page]
        emit("EMC")
        if begin:
            element = Element("Link", leaf, 0, self._next_seq(), actual=actual, target=target)
            leaf.kids.append(element)
            self._open_link = element
            self._leaf_links.append(element)
            kind = "Link"
        else:
            element, self._open_link = leaf, None
            kind = leaf.kind
        element.kids.append(MarkedContent(self.page, len(mcids)))
        emit(f"/{kind} <</MCID {len(mcids)}>> BDC")
        mcids.append(element)

    def link(self, name: str, goes_to: str = "") -> None:
        """A link annotation drawn now: in the Link element of its words, or a new one inside the content drawn.

        The words are matched by where the link goes: the first such Link element of the
        leaf without an annotation yet, else the last one (a link running onto another line).
        """
        target = LinkObject(max(self.page, 0), name)
        same = [e for e in self._leaf_links if e.target == goes_to.lstrip("#")]
        if same:
            waiting = [e for e in same if not any(isinstance(k, LinkObject) for k in e.kids)]
            element = waiting[0] if waiting else same[-1]
            element.kids.append(target)
            self.links.append((target, element))
            return
        parent = self._open_leaf or self.root
        element = Element("Link", parent, 0, self._next_seq())
        parent.kids.append(element)
        element.kids.append(target)
        self.links.append((target, element))

    # ---------------------------------------------------------------- at save

    def write(self, doc: Any, pages: list[Any]) -> None:
        """Add the structure tree to ReportLab's document ``doc`` with page objects ``pages``."""
        if not any(self.page_mcids) and not self.links:
            return
        names: dict[int, str] = {}
        order: list[Element] = []

        def visit(element: Element) -> None:
            names[id(element)] = f"StructElem{len(order) + 1}"
            order.append(element)
            for kid in element.sorted_kids():
                if isinstance(kid, Element):
                    visit(kid)

        visit(self.root)
        page_refs = [pdfdoc.PDFObjectReference(f"Page{i + 1}") for i in range(len(pages))]

        def ref(element: Element) -> Any:
            return pdfdoc.PDFObjectReference(names[id(element)])

        annotation_keys: dict[str, int] = {}
        next_key = len(pages)
        for target, _ in self.links:
            annotation_keys[target.name] = next_key
            next_key += 1
        tree_ref = pdfdoc.PDFObjectReference("StructTreeRoot")
        for element in order:
            parts: list[bytes | Any] = [b"<< /Type /StructElem /S /", element.kind.encode("ascii"), b" /P "]
            parts.append(ref(element.parent) if element.parent is not None else tree_ref)
            kids = element.sorted_kids()
            pages_of = [k.page for k in kids if not isinstance(k, Element)]
            first_page = pages_of[0] if pages_of else None
            if first_page is not None:
                parts.extend([b" /Pg ", page_refs[first_page]])
            if element.alt:
                parts.extend([b" /Alt ", pdfdoc.PDFString(element.alt)])
            if element.actual:
                parts.extend([b" /ActualText ", pdfdoc.PDFString(element.actual)])
            if element.lang:
                parts.extend([b" /Lang ", pdfdoc.PDFString(element.lang)])
            parts.append(b" /K [")
            for kid in kids:
                if isinstance(kid, Element):
                    parts.extend([b" ", ref(kid)])
                elif isinstance(kid, MarkedContent):
                    if kid.page == first_page:  # on the element's own page: the MCID alone
                        parts.append(b" %d" % kid.mcid)
                    else:
                        parts.extend([b" << /Type /MCR /Pg ", page_refs[kid.page], b" /MCID %d >>" % kid.mcid])
                else:
                    parts.extend(
                        [b" << /Type /OBJR /Obj ", doc.refAnnotation(kid.name), b" /Pg ", page_refs[kid.page], b" >>"]
                    )
            parts.append(b" ] >>")
            doc.Reference(_Raw(parts), names[id(element)])
        nums: list[bytes | Any] = [b"<< /Nums ["]
        for index, mcids in enumerate(self.page_mcids[: len(pages)]):
            nums.append(b" %d [" % index)
            for element in mcids:
                nums.extend([b" ", ref(element)])
            nums.append(b" ]")
        for target, element in self.links:
            nums.extend([b" %d " % annotation_keys[target.name], ref(element)])
        nums.append(b" ] >>")
        parent_tree = doc.Reference(_Raw(nums), "ParentTree")
        doc.Reference(
            _Raw(
                [
                    b"<< /Type /StructTreeRoot /K [ ",
                    ref(self.root),
                    b" ] /ParentTree ",
                    parent_tree,
                    b" /ParentTreeNextKey %d >>" % next_key,
                ]
            ),
            "StructTreeRoot",
        )
        doc.Catalog.StructTreeRoot = tree_ref
        doc.Catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
        for index, page in enumerate(pages):
            page.StructParents = index
        self.annotation_keys = annotation_keys


CARRIED_TO_FIRST_PART = ("bookmark_key", "bookmark_title", "bookmark_level", "section_id")
"""Attributes the renderer reads from a flowable once it is drawn (bookmarks, the section it starts)."""


TAG_ATTRIBUTES = (
    "tag",
    "tag_path",
    "tag_alt",
    "tag_key",
    "tag_order",
    "tag_label",
    "tag_actual",
    "tag_lang",
    "tag_words_lang",
)
"""What the parts of a flowable split across pages share: they are one element."""


def _marks_links(flowable: Any) -> bool:
    """Whether a ReportLab paragraph's text marks where its links' words are (``link_markup``)."""
    if getattr(flowable, "draws_links_itself", False):
        return False
    frags = list(getattr(flowable, "frags", None) or ())
    lines = getattr(getattr(flowable, "blPara", None), "lines", None) or ()
    for line in lines:
        frags.extend(getattr(line, "words", ()) if not isinstance(line, tuple) else ())
    return any(getattr(getattr(f, "cbDefn", None), "name", None) == LINK_BEGINS for f in frags)


class Tagged:
    """Mixin for flowables that carry content: drawn as one tagged leaf of the structure tree.

    ``tag`` is the leaf's standard structure type (None: not tagged, so an artifact);
    ``tag_path`` the containers above it; ``tag_key`` makes the parts of a flowable split
    across pages one element; ``tag_alt`` is a figure's alternate text; ``tag_actual`` the
    text in reading order where the glyphs drawn do not give it (shaped right-to-left text);
    ``tag_lang`` the leaf's language where it is not the document's (``/Lang``).
    """

    tag: str | None = "P"
    tag_path: ContainerPath = ()
    tag_alt: str = ""
    tag_actual: str = ""
    tag_lang: str = ""
    tag_words_lang: str = ""
    """The language of Latin-letter words inside the text of a brochure in another script (a span each)."""
    tag_key: object = None
    tag_order: int = 0
    tag_label: bool = False
    """The flowable's first text object is a label (a list item's bullet): an ``Lbl`` of its own."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803  # ReportLab's names
        tags: StructureRecorder | None = getattr(canvas, "tags", None)
        if tags is None or self.tag is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]  # the flowable class it is mixed into
            return
        labelled = self.tag_label and bool(getattr(self, "bulletText", None))
        defer = _marks_links(self)
        if not labelled:
            tags.defer_to_text = defer
        began = tags.begin_leaf("Lbl", None, self.tag_path, "", 0) if labelled else tags.begin_leaf(*self._tagging)
        if not began:
            tags.defer_to_text = False
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]  # the flowable class it is mixed into
            return
        if labelled:  # the bullet is drawn first, as a text object of its own; the body follows it

            def body() -> None:
                tags.defer_to_text = defer
                tags.next_leaf(*self._tagging)

            canvas.after_next_text = body
        try:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]  # the flowable class it is mixed into
        finally:
            canvas.after_next_text = None
            tags.end_leaf()

    @property
    def _tagging(self) -> tuple[str, object, ContainerPath, str, int, str, str]:
        assert self.tag is not None
        return (self.tag, self.tag_key, self.tag_path, self.tag_alt, self.tag_order, self.tag_actual, self.tag_lang)

    def split(self, available_width: float, available_height: float) -> list[Any]:
        parts: list[Any] = super().split(available_width, available_height)  # type: ignore[misc]  # as above
        if len(parts) > 1:
            if self.tag_key is None:
                self.tag_key = object()
            for part in parts:
                if isinstance(part, Tagged):
                    for name in TAG_ATTRIBUTES:
                        setattr(part, name, getattr(self, name))
            for name in CARRIED_TO_FIRST_PART:  # a heading split across pages is still bookmarked where it starts
                if hasattr(self, name):
                    setattr(parts[0], name, getattr(self, name))
        return parts


def tag(
    flowable: Any, kind: str | None, path: ContainerPath = (), alt: str = "", order: int = 0, lang: str = ""
) -> Any:
    """Set a tagged flowable's structure type, containers, alternate text and reading order; returns it.

    ``order`` places the element among its siblings where drawing order is not reading
    order (a right-to-left table row is drawn left to right); ``lang`` is the element's
    language where it is not the document's.
    """
    flowable.tag = kind
    flowable.tag_path = path
    flowable.tag_alt = alt
    flowable.tag_order = order
    if lang:
        flowable.tag_lang = lang
    return flowable


class _CmykColours:
    """The print-shop CMYK of each sRGB colour converted so far, kept between runs (``brochure.cache``).

    A print-shop build sets a few dozen colours, the same on every run; converting them
    meant importing little CMS and building its sRGB → CMYK transform in every process.
    The key names both profiles (by digest) and Pillow's version, which carries little
    CMS, so a kept value is always what ``rgb_to_cmyk`` gives now.
    """

    def __init__(self) -> None:
        self.values: dict[tuple[float, float, float], tuple[float, float, float, float]] | None = None
        self.key = ""
        self.changed = False

    def get(self, red: float, green: float, blue: float) -> tuple[float, float, float, float]:
        if self.values is None:
            import hashlib

            from PIL import __version__ as pillow

            digest = hashlib.blake2b(SRGB.profile() + CMYK.profile(), digest_size=16).hexdigest()
            self.key = f"cmyk:1:{pillow}:{digest}"
            kept = cache.load("colours", self.key)
            self.values = dict(kept) if isinstance(kept, dict) else {}
        colour = (red, green, blue)
        value = self.values.get(colour)
        if value is None:
            value = self.values[colour] = rgb_to_cmyk(red, green, blue)
            self.changed = True
        return value

    def keep(self) -> None:
        """Store the conversions for the next run, if this one made new ones."""
        if self.changed and self.values is not None:
            cache.store("colours", self.key, self.values)
            self.changed = False


_CMYK_COLOURS = _CmykColours()


def _in_cmyk(color: Any) -> Any:
    """A colour as the print-shop CMYK it prints in (ReportLab's colour-space hook; CMYK passes as it is)."""
    value = toColor(color)
    if isinstance(value, Color) and not isinstance(value, CMYKColor):
        c, m, y, k = _CMYK_COLOURS.get(value.red, value.green, value.blue)
        return CMYKColor(c, m, y, k, alpha=value.alpha)
    return value


LINK_BEGINS, LINK_ENDS = "link-begins", "link-ends"
"""ReportLab paragraph callbacks (``<onDraw name=…/>``) around a link's words: see ``link_markup``."""


_HREF = re.compile(r"""href=("[^"]*"|'[^']*')""")


def link_markup(opening: str, inner: str) -> str:
    """``<a href=…>inner</a>`` with marks around it that put its words into the Link element in the PDF.

    The first mark carries where the link goes, which ties the words to the annotation.
    """
    match = _HREF.search(opening)
    label = f" label={match.group(1)}" if match else ""
    return f'<onDraw name="{LINK_BEGINS}"{label}/>{opening}{inner}</a><onDraw name="{LINK_ENDS}"/>'


def _link_words(begin: bool) -> Callable[[Any, str, object], None]:
    """The paragraph callback where a link's words begin (or end), inside the text object being built."""

    def callback(canvas: Any, kind: str, label: object) -> None:
        info = getattr(canvas, "_curr_tx_info", None)  # ReportLab sets it around the call
        tags: StructureRecorder | None = getattr(canvas, "tags", None)
        if info is not None and tags is not None:
            target = str(label or "") if begin else ""
            tags.link_words(begin, info["tx"]._code.append, target=target.lstrip("#"))  # noqa: SLF001  # the text object's operators

    return callback


_BFCHAR = re.compile(r"^<([0-9A-F]+)> <([0-9A-F]*)>$", re.MULTILINE)


def _is_text(target: str | None) -> bool:
    """Whether a ToUnicode destination (hex UTF-16BE) gives a character: not U+0000, not a private-use code point."""
    if not target or len(target) % 4:  # none, empty, or not UTF-16 (ReportLab writes a code above U+FFFF so)
        return False
    chars = bytes.fromhex(target).decode("utf-16-be", errors="replace")
    return any(ch != "\0" and ch != "\ufffd" and not 0xE000 <= ord(ch) <= 0xF8FF for ch in chars)


def glyphs_without_text(doc: Any) -> list[tuple[str, int]]:
    """Each glyph drawn in ReportLab's document ``doc`` that its font's ToUnicode map gives no text for.

    As (face name, code). Read from the subsets the document's fonts use so far and the
    ToUnicode CMaps that will be written for them (``ttfonts.makeToUnicodeCMap``, with the
    map of shaped glyphs to their characters): a glyph maps to text when its entry gives a
    character outside the private-use area. Shaping gives a glyph of no character of its
    own (a conjunct's part) a private-use code; where the glyphs of a cluster cannot each
    be given its characters, that code is all its entry holds, and the text is not there
    for PDF/A level U (the reading text is still in ``/ActualText``).
    """
    from reportlab.pdfbase import ttfonts

    out: list[tuple[str, int]] = []
    for font in getattr(doc, "delayedFonts", ()):
        face = getattr(font, "face", None)
        state = getattr(font, "state", {}).get(doc)
        if face is None or state is None:
            continue
        for n, subset in enumerate(state.subsets):
            name = b"".join((ttfonts.SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("latin-1")
            cmap = ttfonts.makeToUnicodeCMap(name, subset)
            entries = dict(_BFCHAR.findall(cmap.partition("beginbfchar")[2].partition("endbfchar")[0]))
            for index, code in enumerate(subset):
                if code and not _is_text(entries.get(f"{index:02X}")):  # code 0: .notdef and fill-in, never drawn
                    out.append((name.partition("+")[2], code))
    return out


XMP_DATE = "2000-01-01T00:00:00+00:00"
"""Where the XMP dates go: ``render`` puts the document's date in its place (same length)."""


LateDraw = Callable[[Canvas, int], None]
"""Draws text known only at the end, given the canvas and the document's page count."""


class BrochureCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
    """ReportLab's canvas with a structure tree, described links and late numbers."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.after_next_text: Callable[[], None] | None = None
        """Run once, after the next text object is drawn (see ``Tagged.tag_label``)."""
        self.tags = StructureRecorder(self._emit)  # a bound method: a copied canvas emits into its own stream
        self.setNamedCB(LINK_BEGINS, _link_words(True))
        self.setNamedCB(LINK_ENDS, _link_words(False))
        self._late: list[tuple[str, LateDraw]] = []
        self._annotations: list[tuple[Any, str]] = []
        self.intent: OutputIntent = SRGB
        """The colour space device colours are printed in (the output intent)."""
        self.claims = Claims()
        """The standards the document claims in its metadata."""
        self.without_text: list[tuple[str, int]] = []
        """The glyphs drawn whose ToUnicode entry gives no text (face, code): found at save; PDF/A-2b if any."""

    def _emit(self, operators: str) -> None:
        self._code.append(operators)

    def print_in_cmyk(self) -> None:
        """Print-shop output: every colour set from now on is converted to CMYK; PDF/X-4 is claimed."""
        self.intent = CMYK
        self.claims = Claims(pdfx=True)
        self._enforceColorSpace = _in_cmyk

    def drawText(self, text_object: Any) -> None:  # noqa: N802  # ReportLab's name
        opening = self.tags.take_deferred()
        if opening is None:
            super().drawText(text_object)
        else:  # a leaf whose links split its marked content: all of it inside the text object
            code = text_object.getCode()
            end = code.rfind("ET")
            assert code.startswith("BT") and end > 0
            self._code.append("EMC")
            self._code.append(f"BT {opening} {code[2:end]} EMC {code[end:]}")
            self._code.append("/Artifact BMC")
            self.tags.text_closed()
        hook, self.after_next_text = self.after_next_text, None
        if hook is not None:
            hook()

    def text_render_mode(self, mode: int) -> None:
        """PDF text rendering mode for the text drawn next in this graphics state (0 fill, 1 stroke, 2 both)."""
        self._code.append(f"{mode} Tr")

    # ---------------------------------------------------------------- pages

    def begin_page_content(self) -> None:
        """Called before anything is drawn on a page (the page template's onPage)."""
        self.tags.page_begin()

    def showPage(self) -> None:  # noqa: N802  # ReportLab's name
        self.tags.page_end()
        super().showPage()

    # ---------------------------------------------------------------- late numbers

    def late(self, name: str, draw: LateDraw) -> None:
        """Place form ``name`` here; ``draw`` fills it in at save, when the page count is known."""
        self.doForm(name)
        self._late.append((name, draw))

    # ---------------------------------------------------------------- links

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:  # noqa: N802  # ReportLab's name
        name = name or f"NUMBER{self._annotationCount + 1}"
        if isinstance(annotation, pdfdoc.PDFDictionary):  # a web link (linkURL)
            annotation["F"] = 4  # printed, like the words it sits on (PDF/A asks for the flag)
            action = annotation.dict.get("A")
            uri = action.dict.get("URI") if isinstance(action, pdfdoc.PDFDictionary) else None
            if uri is not None and "Contents" not in annotation.dict:
                text = str(uri.s)
                annotation["Contents"] = pdfdoc.PDFString(
                    f"Call {text[4:]}" if text.startswith("tel:") else f"Open {text}"
                )
        elif isinstance(annotation, pdfdoc.LinkAnnotation):  # a link inside the document
            annotation.permitted = (*pdfdoc.LinkAnnotation.permitted, "StructParent")
            annotation.otherkw["F"] = 4  # printed (PDF/A)
        self._annotations.append((annotation, name))
        if isinstance(annotation, pdfdoc.LinkAnnotation):
            goes_to = str(getattr(annotation.Destination, "name", "") or "")
        else:
            action = annotation.dict.get("A")
            uri = action.dict.get("URI") if isinstance(action, pdfdoc.PDFDictionary) else None
            goes_to = str(uri.s) if uri is not None else ""
        self.tags.link(name, goes_to)
        super()._addAnnotation(annotation, name, addtopage)

    def _describe_links(self) -> None:
        """Each link's structure key, and "Go to page N" for links inside the document (known only now)."""
        keys = self.tags.annotation_keys
        for annotation, name in self._annotations:
            key = keys.get(name)
            if isinstance(annotation, pdfdoc.PDFDictionary):  # a web link: described when it was made
                if key is not None:
                    annotation["StructParent"] = key
                continue
            if not isinstance(annotation, pdfdoc.LinkAnnotation):
                continue
            if key is not None:
                annotation.otherkw["StructParent"] = key
            if not annotation.Contents:
                page = getattr(annotation.Destination, "page", None)
                match = _PAGE_NAME.match(getattr(page, "name", "") or "")
                if match:
                    annotation.Contents = f"Go to page {match.group(1)}"

    # ---------------------------------------------------------------- at the end

    def _metadata(self) -> None:
        """An XMP metadata stream that agrees with the Info dictionary, with the conformance claims.

        The claims (PDF/UA-1, PDF/A-2u, and PDF/X-4 for a print shop) are what ``make
        validate`` checks every output against; see docs/accessibility.md.
        """
        info = self._doc.info
        lang = self._doc.Catalog.Lang
        language = str(lang.s) if isinstance(lang, pdfdoc.PDFString) else "x-default"

        def text(value: object) -> str:
            return escape(str(value), quote=False)

        rows = [f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(info.title)}</rdf:li></rdf:Alt></dc:title>']
        if info.author:
            rows.append(f"<dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>")
        if info.subject:
            rows.append(
                f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(info.subject)}</rdf:li></rdf:Alt>'
                "</dc:description>"
            )
        rows.append(f"<dc:language><rdf:Bag><rdf:li>{text(language)}</rdf:li></rdf:Bag></dc:language>")
        rows.append(f"<xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>")
        rows.append(f"<xmp:CreateDate>{XMP_DATE}</xmp:CreateDate>")
        rows.append(f"<xmp:ModifyDate>{XMP_DATE}</xmp:ModifyDate>")
        rows.append(f"<xmp:MetadataDate>{XMP_DATE}</xmp:MetadataDate>")
        rows.append(f"<pdf:Producer>{text(info.producer)}</pdf:Producer>")
        if self.claims.pdfx:  # PDF/X asks for it; PDF/A knows it only from the extension schema written with it
            rows.append(f"<pdf:Trapped>{'True' if info.trapped == 'True' else 'False'}</pdf:Trapped>")
        identity = uuid.uuid5(uuid.NAMESPACE_URL, f"brochure:{info.title}:{language}:{info.author}:{info.subject}")
        rows.append(f"<xmpMM:DocumentID>uuid:{identity}</xmpMM:DocumentID>")
        rows.append("<xmpMM:VersionID>1</xmpMM:VersionID>")
        rows.append("<xmpMM:RenditionClass>default</xmpMM:RenditionClass>")
        packet = xmp_packet("\n".join(rows), self.claims, ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"')
        data = packet.encode("utf-8")  # never compressed: tools that do not read PDF can find it
        head = b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(data)
        self._doc.Catalog.Metadata = self._doc.Reference(_Raw([head, data, b"\nendstream"]), "XMPMetadata")

    def _output_intent(self) -> None:
        """The colour space the pages' device colours mean (PDF/A, PDF/X): an ICC profile and its name."""
        intent = self.intent
        data = zlib.compress(intent.profile(), 9)
        head = b"<< /N %d /Filter /FlateDecode /Length %d >>\nstream\n" % (intent.components, len(data))
        profile = self._doc.Reference(_Raw([head, data, b"\nendstream"]), "OutputProfile")
        entries = []
        for subtype in intent.subtypes:
            entries.append(
                _Raw(
                    [
                        b"<< /Type /OutputIntent /S /" + subtype.encode("ascii") + b" /OutputConditionIdentifier ",
                        pdfdoc.PDFString(intent.identifier),
                        b" /Info ",
                        pdfdoc.PDFString(intent.info),
                        b" /RegistryName ",
                        pdfdoc.PDFString(intent.registry),
                        b" /DestOutputProfile ",
                        profile,
                        b" >>",
                    ]
                )
            )
        catalog = self._doc.Catalog
        catalog.__NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "OutputIntents"]
        catalog.__Refs__ = pdfdoc.PDFCatalog.__Refs__  # written in place, not as a reference
        catalog.OutputIntents = pdfdoc.PDFArray(entries)

    def save(self) -> None:
        pages = self._doc.Pages.pages
        total = len(pages)
        with self.tags.furniture():
            for name, draw in self._late:
                self.beginForm(name)
                draw(self, total)
                self.endForm()
        self.tags.write(self._doc, pages)
        self._describe_links()
        self.without_text = glyphs_without_text(self._doc)
        if self.without_text and self.claims.pdfa == "2u":  # PDF/A-2u needs every glyph's text: claim 2b
            self.claims = replace(self.claims, pdfa="2b")
        self._metadata()
        self._output_intent()
        if self.intent is CMYK:
            _CMYK_COLOURS.keep()
        for page in pages:
            page.__NoDefault__ = [*pdfdoc.PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.Tabs = pdfdoc.PDFName("S")
        super().save()
