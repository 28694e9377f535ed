"""Read-back tests of the tagged PDF: marked content, the structure tree, the ParentTree, artifacts.

Each brochure is built once per module and read the way an accessibility checker reads it:
pypdf for the catalog, the structure tree and every page's content stream (operator by
operator), pypdfium2 for the text each marked-content sequence carries and for what pdfium
itself makes of the marks. The expectations come from the content model (its sections, its
title, its labels) and from the bookmarks, never from a copy of the current output.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, ContentStream, DictionaryObject, IndirectObject
from support import ROOT, block_runs, open_pdf, runs_pattern, squash
from test_fuzz import printable_text

from brochure.build import build_brochure
from brochure.errors import BrochureError
from brochure.inline import plain_text
from brochure.model import Brochure
from brochure.script import is_rtl
from brochure.spec import LayoutSpec, load_layout

STANDARD_TYPES = frozenset(
    """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form""".split()  # noqa: SIM905  # the standard's list, grouped as ISO 32000-1 groups it
)
"""The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): no role map needed."""

HEADINGS = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6"})
SHOWS_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})
DRAWS_OBJECT = frozenset({b"Do", b"INLINE IMAGE"})
PAINTS_PATH = frozenset({b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"sh"})

CASES = {
    "default": ("content.yaml", "default", False, True),
    "ar": ("content.ar.yaml", "default", False, True),
    "zh-Hans": ("content.zh-Hans.yaml", "default", False, True),
    "large-print": ("content.yaml", "large-print", False, True),
    "trifold": ("content-trifold.yaml", "trifold", False, False),
    "print-shop": ("content.yaml", "default", True, True),
    "booklet-es": ("content.es.yaml", "booklet", False, True),
    "a4-ru": ("content.ru.yaml", "a4", False, True),
    "large-print-zh-Hant": ("content.zh-Hant.yaml", "large-print", False, True),  # the notes' heading was orphaned
}
"""Each brochure read back: content file, layout, print-shop output, whether the cover lists the contents."""


# ---------------------------------------------------------------- content streams


@dataclass(frozen=True, slots=True)
class Mark:
    """An open marked-content sequence: its tag, and its MCID if it has one."""

    tag: str
    mcid: int | None


@dataclass
class Stream:
    """What one content stream (a page's or a form's) says about marked content."""

    where: str
    mcids: list[int] = field(default_factory=list)
    """The MCIDs in the order their sequences begin."""
    problems: list[str] = field(default_factory=list)
    xobjects: list[tuple[str, tuple[Mark, ...]]] = field(default_factory=list)
    """Each ``Do``: the XObject's resource name and the sequences open around it."""


def walk(operations: list[tuple[list[object], bytes]], where: str, inside: bool = False) -> Stream:
    """Follow BMC/BDC/EMC and BT/ET through ``operations``.

    ``inside``: the stream is a form drawn from within a marked sequence, so its text needs
    no marks of its own.
    """
    out = Stream(where)
    stack: list[Mark] = []
    text_depth: int | None = None  # the depth of the mark stack when BT began
    for index, (operands, operator) in enumerate(operations):
        at = f"{where}, operator {index} ({operator.decode('latin-1')})"
        if operator == b"BT":
            if text_depth is not None:
                out.problems.append(f"{at}: BT inside a text object")
            text_depth = len(stack)
        elif operator == b"ET":
            if text_depth is None:
                out.problems.append(f"{at}: ET without BT")
            elif len(stack) != text_depth:
                out.problems.append(f"{at}: a marked-content sequence crosses ET")
            text_depth = None
        elif operator in (b"BMC", b"BDC"):
            tag = str(operands[0]).lstrip("/")
            mcid = None
            if operator == b"BDC" and isinstance(operands[1], DictionaryObject) and "/MCID" in operands[1]:
                mcid = int(operands[1]["/MCID"])
            if mcid is not None:
                enclosing = [m for m in stack if m.mcid is not None or m.tag == "Artifact"]
                if enclosing:
                    out.problems.append(f"{at}: MCID {mcid} nested inside {enclosing}")
                out.mcids.append(mcid)
            stack.append(Mark(tag, mcid))
        elif operator == b"EMC":
            if not stack:
                out.problems.append(f"{at}: EMC without BMC/BDC")
            elif text_depth is not None and len(stack) <= text_depth:
                out.problems.append(f"{at}: a marked-content sequence begun outside BT ends inside it")
            else:
                stack.pop()
        elif operator in SHOWS_TEXT or operator in DRAWS_OBJECT or operator in PAINTS_PATH:
            if not inside and not any(m.mcid is not None or m.tag == "Artifact" for m in stack):
                out.problems.append(f"{at}: drawn outside any artifact or MCID sequence")
            if operator == b"Do":
                out.xobjects.append((str(operands[0]), tuple(stack)))
    if stack:
        out.problems.append(f"{where}: {len(stack)} sequence(s) left open at the end: {stack}")
    if text_depth is not None:
        out.problems.append(f"{where}: a text object left open at the end")
    return out


def operations(obj: object, reader: PdfReader) -> list[tuple[list[object], bytes]]:
    return ContentStream(obj, reader).operations


# ---------------------------------------------------------------- the structure tree


@dataclass(eq=False)
class Node:
    """A structure element as read back."""

    kind: str
    obj: DictionaryObject
    idnum: int | None
    parent: Node | None
    kids: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    """Its marked content, (page index, MCID), in /K order."""
    annotations: list[tuple[int, int | None]] = field(default_factory=list)
    """Its object references: (annotation object number, page index)."""
    reading: list[tuple[int, int] | Node] = field(default_factory=list)
    """Its marked content and child elements together, in /K order."""

    def walk(self) -> Iterator[Node]:
        """This element and every element below it, in tree (reading) order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()


def as_list(value: object) -> list[object]:
    if value is None:
        return []
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return list(value) if isinstance(value, ArrayObject) else [value]


def idnum(value: object) -> int | None:
    return value.idnum if isinstance(value, IndirectObject) else None


def number_tree(node: DictionaryObject) -> dict[int, object]:
    """A number tree (/Nums, /Kids) flattened to a dictionary."""
    out: dict[int, object] = {}
    nums = node.get("/Nums") or []
    for i in range(0, len(nums), 2):
        out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids") or []:
        out.update(number_tree(kid.get_object()))
    return out


# ---------------------------------------------------------------- text, as pdfium reads it


def mark_names(obj: object) -> list[str]:
    """The tags of the marked-content sequences pdfium says a page object is in."""
    names = []
    buffer = (ctypes.c_ushort * 64)()
    length = ctypes.c_ulong()
    for i in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, i)
        pdfium_c.FPDFPageObjMark_GetName(mark, buffer, ctypes.sizeof(buffer), ctypes.byref(length))
        names.append(bytes(buffer)[: max(0, length.value - 2)].decode("utf-16-le"))
    return names


def mcid_texts(doc: pdfium.PdfDocument, index: int) -> dict[int, str]:
    """The text of each MCID on page ``index``: the characters of the text objects that carry it."""
    out: dict[int, str] = {}
    page = doc[index]
    textpage = page.get_textpage()
    try:
        for i in range(textpage.count_chars()):
            obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
            if not obj:  # a space or line break pdfium made up
                continue
            mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            if mcid >= 0 and code != 2:  # 2: pdfium's mark for a hyphen that ends a line
                out[mcid] = out.get(mcid, "") + chr(code)
    finally:
        textpage.close()
        page.close()
    return out


def form_text(form: object, textpage: pdfium.PdfTextPage) -> str:
    """All the text drawn by a form object (pdfium's view of a ``Do`` of a form XObject)."""
    parts = []
    for i in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            parts.append(form_text(obj, textpage))
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            size = pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
            buffer = (ctypes.c_ushort * size)()
            pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, buffer, size * 2)
            parts.append(bytes(buffer).decode("utf-16-le").rstrip("\0"))
    return "".join(parts)


def same_text(text: str) -> str:
    """Text compared across extractors: compatibility forms folded (Arabic presentation forms), no
    spaces, no combining marks (pdfium may give an Arabic vowel sign before its letter)."""
    folded = unicodedata.normalize("NFKC", text)
    return squash("".join(ch for ch in folded if unicodedata.category(ch) != "Mn"))


def same_letters(text: str) -> str:
    """``same_text`` in any order: right-to-left text mixed with digits extracts in visual order."""
    return "".join(sorted(same_text(text)))


# ---------------------------------------------------------------- one brochure, read back


@dataclass
class Read:
    """A built brochure with everything the checks need, read back once."""

    name: str
    brochure: Brochure
    spec: LayoutSpec
    reader: PdfReader
    doc: pdfium.PdfDocument
    pages: list[Stream]
    forms: list[Stream]
    catalog: DictionaryObject
    tree_root: DictionaryObject
    elements: list[Node]
    """The top-level elements (the StructTreeRoot's /K)."""
    parent_tree: dict[int, object]
    page_numbers: dict[int, int]
    """Page index by the page object's number."""
    tree_problems: list[str]
    contents: bool
    """Whether the cover is expected to carry the contents list."""
    texts: dict[int, dict[int, str]] = field(default_factory=dict)
    """The text of each MCID, by page index, read when first asked for."""

    def all_elements(self) -> Iterator[Node]:
        for top in self.elements:
            yield from top.walk()

    def text(self, node: Node) -> str:
        """The text of an element's marked content and its Link elements' (a link's words), as pdfium extracts it."""
        out = []
        for item in node.reading:
            if isinstance(item, Node):
                if item.kind == "Link":
                    out.append(self.text(item))
                continue
            page, mcid = item
            if page not in self.texts:
                self.texts[page] = mcid_texts(self.doc, page)
            out.append(self.texts[page].get(mcid, ""))
        return "".join(out)


def read_pdf(name: str, pdf: bytes, brochure: Brochure, spec: LayoutSpec, contents: bool = True) -> Read:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"].get_object()
    page_numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    pages = []
    forms: list[Stream] = []
    seen_forms: set[int] = set()

    def visit_forms(resources: object, where: str) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources or "/XObject" not in resources:
            return
        for key, ref in resources["/XObject"].items():
            xobject = ref.get_object()
            if xobject.get("/Subtype") != "/Form" or idnum(ref) in seen_forms:
                continue
            seen_forms.add(idnum(ref))
            label = f"{where} form {key}"
            forms.append(walk(operations(xobject, reader), label, inside=True))
            visit_forms(xobject.get("/Resources"), label)

    for index, page in enumerate(reader.pages):
        pages.append(walk(operations(page.get_contents(), reader), f"page {index + 1}"))
        visit_forms(page.get("/Resources"), f"page {index + 1}")

    tree_root = catalog["/StructTreeRoot"].get_object()
    problems: list[str] = []

    def element(ref: object, parent: Node | None) -> Node:
        obj = ref.get_object()
        node = Node(str(obj.get("/S", "")).lstrip("/"), obj, idnum(ref), parent)
        expected_parent = parent.idnum if parent is not None else idnum(catalog.raw_get("/StructTreeRoot"))
        if idnum(obj.get("/P")) != expected_parent:
            problems.append(f"{node.kind} (object {node.idnum}): /P is not its parent")
        own_page = page_numbers.get(idnum(obj.get("/Pg")))
        for kid in as_list(obj.get("/K")):
            value = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(value, int):
                if own_page is None:
                    problems.append(f"{node.kind} (object {node.idnum}): an MCID but no /Pg")
                node.content.append((own_page, int(value)))
                node.reading.append(node.content[-1])
            elif value.get("/Type") == "/MCR":
                page = page_numbers.get(idnum(value.get("/Pg")), own_page)
                node.content.append((page, int(value["/MCID"])))
                node.reading.append(node.content[-1])
            elif value.get("/Type") == "/OBJR":
                page = page_numbers.get(idnum(value.get("/Pg")), own_page)
                node.annotations.append((idnum(value.get("/Obj")), page))
            else:
                node.kids.append(element(kid, node))
                node.reading.append(node.kids[-1])
        return node

    elements = [element(ref, None) for ref in as_list(tree_root.get("/K"))]
    parent_tree = number_tree(tree_root["/ParentTree"].get_object()) if "/ParentTree" in tree_root else {}
    return Read(
        name,
        brochure,
        spec,
        reader,
        open_pdf(pdf),
        pages,
        forms,
        catalog,
        tree_root,
        elements,
        parent_tree,
        page_numbers,
        problems,
        contents,
    )


@pytest.fixture(scope="module", params=list(CASES))
def read(request: pytest.FixtureRequest) -> Iterator[Read]:
    content, layout, print_shop, contents = CASES[request.param]
    if request.param == "default":  # the session's build of content.yaml, shared with the other read-back tests
        built = request.getfixturevalue("built")
        pdf, brochure = built.pdf, built.brochure
    else:
        result = build_brochure(ROOT / content, layout, print_shop=print_shop)
        pdf, brochure = result.pdf, result.brochure
    out = read_pdf(request.param, pdf, brochure, load_layout(layout), contents)
    yield out
    out.doc.close()


# ---------------------------------------------------------------- checks (each returns its problems)


def stream_problems(read: Read) -> list[str]:
    """Balanced marks that never cross BT/ET, everything drawn inside a mark, MCIDs 0..n-1 once each."""
    out = []
    for stream in read.pages:
        out.extend(stream.problems)
        if sorted(stream.mcids) != list(range(len(stream.mcids))):
            out.append(f"{stream.where}: MCIDs are not 0..n-1 once each: {stream.mcids}")
    for stream in read.forms:
        out.extend(stream.problems)
        # a form has no /StructParents, so an MCID in it could not be resolved
        if stream.mcids:
            out.append(f"{stream.where}: MCIDs inside a form XObject: {stream.mcids}")
    return out


def parent_tree_problems(read: Read) -> list[str]:
    """Each page's ParentTree array names, for each MCID, the element whose /K holds it; the tree
    holds exactly the MCIDs the pages draw; each link annotation leads to a Link element and back."""
    out = []
    by_number = {node.idnum: node for node in read.all_elements()}
    for index, page in enumerate(read.reader.pages):
        key = page.get("/StructParents")
        if key is None:
            out.append(f"page {index + 1}: no /StructParents")
            continue
        entry = read.parent_tree.get(int(key))
        array = as_list(entry)
        count = len(read.pages[index].mcids)
        if len(array) != count:
            out.append(f"page {index + 1}: ParentTree has {len(array)} entries for {count} MCIDs")
        for mcid, ref in enumerate(array):
            node = by_number.get(idnum(ref))
            if node is None:
                out.append(f"page {index + 1} MCID {mcid}: ParentTree entry is not an element of the tree")
            elif (index, mcid) not in node.content:
                out.append(f"page {index + 1} MCID {mcid}: its element {node.kind} does not hold it")
    drawn = {(i, mcid) for i, stream in enumerate(read.pages) for mcid in stream.mcids}
    held = [c for node in read.all_elements() for c in node.content]
    if sorted(held) != sorted(drawn):
        out.append(f"the tree holds {sorted(set(held) ^ drawn)[:10]}... that the pages do not draw, or not once")
    next_key = int(read.tree_root.get("/ParentTreeNextKey", -1))
    if read.parent_tree and max(read.parent_tree) >= next_key:
        out.append(f"/ParentTreeNextKey {next_key} is not above every key ({max(read.parent_tree)})")
    for index, page in enumerate(read.reader.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            key = annotation.get("/StructParent")
            if key is None:
                out.append(f"page {index + 1}: link annotation {idnum(ref)} has no /StructParent")
                continue
            node = by_number.get(idnum(read.parent_tree.get(int(key))))
            if node is None or node.kind != "Link":
                out.append(f"page {index + 1}: link annotation {idnum(ref)} leads to {node and node.kind}, not Link")
            elif (idnum(ref), index) not in node.annotations:
                out.append(f"page {index + 1}: the Link element of annotation {idnum(ref)} does not refer to it")
    return out


# ---------------------------------------------------------------- 1. catalog


def test_the_catalog_says_the_document_is_tagged(read: Read) -> None:
    catalog = read.catalog
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    root = read.tree_root
    assert root.get("/Type") == "/StructTreeRoot"
    assert "/ParentTree" in root and "/ParentTreeNextKey" in root
    assert str(catalog["/Lang"]) == read.brochure.lang
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)


def test_the_xmp_metadata_agrees_with_the_info_dictionary(read: Read) -> None:
    """PDF/UA asks for dc:title in the XMP metadata; it must say what the Info dictionary says."""
    xmp = read.reader.xmp_metadata
    info = read.reader.metadata
    assert xmp is not None and info is not None
    assert xmp.dc_title == {"x-default": info.title} == {"x-default": read.brochure.title}
    assert xmp.dc_language == [read.brochure.lang]
    assert xmp.pdf_producer == info.producer
    assert xmp.xmp_creator_tool == info.creator
    metadata = read.catalog["/Metadata"].get_object()
    assert metadata["/Subtype"] == "/XML" and "/Filter" not in metadata  # readable without a PDF library
    data = metadata.get_data()
    # the claims `make validate` checks with veraPDF: PDF/UA-1, PDF/A-2u, and the schema PDF/A needs for pdfuaid
    assert b"<pdfuaid:part>1</pdfuaid:part>" in data
    assert b"<pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>" in data
    assert b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in data


# ---------------------------------------------------------------- 2. content streams


def test_marked_content_is_balanced_and_covers_everything_drawn(read: Read) -> None:
    assert stream_problems(read) == []
    assert all(stream.mcids for stream in read.pages[1:-1]), "a body page with no tagged content"


def test_pdfium_finds_every_object_on_a_page_tagged_or_an_artifact(read: Read) -> None:
    """An independent reader agrees: every path, image, text and form object on a page is in exactly
    one sequence, with an MCID or the Artifact mark (a Span inside it only gives the language or the
    actual text of some words)."""
    for index in range(len(read.doc)):
        page = read.doc[index]
        try:
            for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
                obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
                names = [name for name in mark_names(obj) if name != "Span"]
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
                assert len(names) == 1 and (mcid >= 0 or names == ["Artifact"]), (
                    f"page {index + 1}, object {i}: {names}"
                )
        finally:
            page.close()


# ---------------------------------------------------------------- 3. ParentTree, links, tab order


def pdfium_tree_mcids(doc: pdfium.PdfDocument, index: int) -> tuple[set[int], set[str]]:
    """The MCIDs and element types pdfium reaches in its structure tree for page ``index``.

    pdfium builds that tree the way assistive technology does: from the page's /StructParents
    through the ParentTree, then up each element's /P to the root.
    """
    mcids: set[int] = set()
    kinds: set[str] = set()
    buffer = (ctypes.c_ushort * 64)()

    def visit(element: object) -> None:
        length = pdfium_c.FPDF_StructElement_GetType(element, buffer, ctypes.sizeof(buffer))
        kinds.add(bytes(buffer)[: max(0, length - 2)].decode("utf-16-le"))
        for i in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element)):
            mcids.add(pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i))
        for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                visit(child)

    page = doc[index]
    tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
    try:
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            visit(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i))
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)
        page.close()
    return mcids - {-1}, kinds


def test_pdfium_reaches_every_mcid_of_a_page_through_the_structure_tree(read: Read) -> None:
    for index, stream in enumerate(read.pages):
        mcids, kinds = pdfium_tree_mcids(read.doc, index)
        assert set(stream.mcids) <= mcids, f"page {index + 1}: pdfium cannot reach {set(stream.mcids) - mcids}"
        assert kinds <= STANDARD_TYPES


def test_the_parent_tree_maps_each_mcid_and_link_to_its_element(read: Read) -> None:
    assert parent_tree_problems(read) == []


def test_every_annotation_is_described_and_pages_tab_in_structure_order(read: Read) -> None:
    links = 0
    for index, page in enumerate(read.reader.pages):
        assert page.get("/Tabs") == "/S", f"page {index + 1}"
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            links += annotation.get("/Subtype") == "/Link"
            assert str(annotation.get("/Contents", "")).strip(), f"page {index + 1}: annotation {idnum(ref)}"
    assert links, "no link annotations at all"


# ---------------------------------------------------------------- 4. structure


def test_every_element_has_a_standard_type_and_points_to_its_parent(read: Read) -> None:
    assert read.tree_problems == []
    assert [node.kind for node in read.elements] == ["Document"]
    assert read.tree_root.get("/RoleMap") is None
    kinds = {node.kind for node in read.all_elements()}
    assert kinds <= STANDARD_TYPES, kinds - STANDARD_TYPES
    for node in read.all_elements():
        assert node.obj.get("/Type") in (None, "/StructElem")


def test_the_first_heading_is_the_title(read: Read) -> None:
    first = next(node for node in read.all_elements() if node.kind in HEADINGS)
    assert first.kind == "H1"
    assert same_text(read.text(first)) == same_text(read.brochure.title)
    assert sum(node.kind == "H1" for node in read.all_elements()) == 1


def test_each_section_starts_with_a_heading_that_matches_its_bookmark(read: Read) -> None:
    document = read.elements[0]
    sects = [node for node in document.walk() if node.kind == "Sect"]
    assert sects
    for sect in sects:
        assert sect.kids and sect.kids[0].kind == "H2", f"a Sect starts with {sect.kids[:1]}"
    outline = read.reader.outline
    assert all(not isinstance(entry, list) for entry in outline), "the bookmarks are flat"
    titles = [entry.title for entry in outline]
    assert same_text(titles[0]) == same_text(read.brochure.title)  # the cover
    headings = [read.text(sect.kids[0]) for sect in sects]
    assert [same_text(h) for h in headings] == [same_text(t) for t in titles[1:]]
    section_headings = [same_text(s.heading) for s in read.brochure.sections]
    assert [same_text(h) for h in headings[: len(section_headings)]] == section_headings


def test_lists_hold_list_items_with_a_body(read: Read) -> None:
    lists = [node for node in read.all_elements() if node.kind == "L"]
    assert lists
    for node in lists:
        assert node.kids and all(kid.kind == "LI" for kid in node.kids), [kid.kind for kid in node.kids]
        assert not node.content
    for node in read.all_elements():
        if node.kind in ("LI", "Lbl", "LBody"):
            assert node.parent is not None and node.parent.kind == {"LI": "L", "Lbl": "LI", "LBody": "LI"}[node.kind]
    items = [[kid.kind for kid in item.kids] for node in lists for item in node.kids]
    assert all(kinds == ["Lbl", "LBody"] for kinds in items), "every item: its label (bullet or number), then its body"
    bullets = [
        same_text(read.text(item.kids[0]))
        for node in lists
        for item in node.kids
        if not any(ch.isdigit() for ch in read.text(item.kids[0]))
    ]
    assert bullets and set(bullets) == {same_text(read.spec.bullet)}, set(bullets)  # bullet lists label with the bullet


def test_the_contents_list_has_one_entry_per_section(read: Read) -> None:
    tocs = [node for node in read.all_elements() if node.kind == "TOC"]
    assert len(tocs) == read.contents
    if not tocs:
        return
    entries = tocs[0].kids
    assert [kid.kind for kid in entries] == ["TOCI"] * len(read.brochure.sections)
    kinds = [[kid.kind for kid in entry.kids] for entry in entries]
    assert all(sorted(k) == ["P", "Reference"] for k in kinds), kinds
    for entry, section in zip(entries, read.brochure.sections, strict=True):
        reference = next(kid for kid in entry.kids if kid.kind == "Reference")
        assert same_text(read.text(reference)) == same_text(section.heading)
        assert reference.kids and all(kid.kind == "Link" for kid in reference.kids)  # a link per line
    assert all(k == ["Reference", "P"] for k in kinds), "a page number read before its entry"


def test_figures_have_alternate_text(read: Read) -> None:
    figures = [node for node in read.all_elements() if node.kind == "Figure"]
    for node in figures:
        assert str(node.obj.get("/Alt", "")).strip(), "a Figure without /Alt"
        assert node.content, "a Figure with no content"
    contact = read.brochure.contact
    if contact is not None and contact.qr:
        assert any(contact.qr in str(node.obj["/Alt"]) for node in figures), "the QR code is not a described Figure"


def test_every_block_of_every_section_is_tagged_text_in_its_sect(read: Read) -> None:
    """Content is never an artifact: each section's heading and blocks are the text of its Sect, in order."""
    sects = [node for node in read.elements[0].walk() if node.kind == "Sect"]
    for section, sect in zip(read.brochure.sections, sects, strict=False):
        tagged = "".join(read.text(node) for node in sect.walk())
        assert same_text(tagged).startswith(same_text(section.heading))
        if is_rtl(read.brochure.lang):
            continue  # pdfium's order within Arabic lines is not the model's: headings are enough
        position = 0
        for block in section.blocks:
            for runs in block_runs(block):
                match = re.compile(runs_pattern(runs)).search(squash(tagged), position)
                assert match, f"{section.id}: not tagged in order: {plain_text(runs)[:60]!r}"
                position = match.end()


# ---------------------------------------------------------------- 5. the footer, an artifact drawn at save


def test_the_footer_page_total_is_printed_and_is_an_artifact(read: Read) -> None:
    if not read.spec.footer:
        pytest.skip(f"layout {read.spec.name} has no footer")
    total = len(read.doc)
    label = read.brochure.labels.get("page", page=2, pages=total)
    compare = same_letters if is_rtl(read.brochure.lang) else same_text
    page = read.doc[1]
    textpage = page.get_textpage()
    try:
        footers = []
        for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
                text = form_text(obj, textpage)
                if compare(text) == compare(label):
                    footers.append((obj, text))
        assert len(footers) == 1, f"{label!r} is not drawn by one form XObject"
        obj, text = footers[0]
        assert same_text(label) in same_text(textpage.get_text_range()), "the page's text leaves the footer out"
        assert mark_names(obj) == ["Artifact"]
        assert pdfium_c.FPDFPageObj_GetMarkedContentID(obj) == -1
    finally:
        textpage.close()
        page.close()
    # and in page 2's content stream, the Do of the footer's form is an artifact (where the contents
    # list is on page 2, its page numbers are forms too, tagged with their entries)
    resources = read.reader.pages[1]["/Resources"]["/XObject"]
    forms = [(name, marks) for name, marks in read.pages[1].xobjects if resources[name]["/Subtype"] == "/Form"]
    footer_forms = [(name, marks) for name, marks in forms if not name.startswith("/FormXob.toc")]
    assert footer_forms and all([m.tag for m in marks] == ["Artifact"] for _, marks in footer_forms), forms
    assert all([m.tag for m in marks] == ["P"] for name, marks in forms if name.startswith("/FormXob.toc")), forms


# ---------------------------------------------------------------- a logo


LOGO_CONTENT = """lang: en
title: Logo test
logo:
  file: logo.png
  alt: 'Community Health Outreach (CHO) logo \\ Salud comunitaria — 社区健康'
sections:
  - id: a
    heading: A
    blocks:
      - text: Hello.
"""


def test_a_logo_is_a_figure_with_its_alt_text(tmp_path: Path) -> None:
    Image.new("RGB", (120, 60), "#0b5560").save(tmp_path / "logo.png", "PNG")
    content = tmp_path / "content.yaml"
    content.write_text(LOGO_CONTENT, encoding="utf-8")
    result = build_brochure(content)
    read = read_pdf("logo", result.pdf, result.brochure, load_layout("default"), contents=True)
    try:
        figures = [node for node in read.all_elements() if node.kind == "Figure"]
        # parentheses, a backslash and non-Latin text survive the PDF string
        assert [str(node.obj["/Alt"]) for node in figures] == [result.brochure.logo.alt]
        assert result.brochure.logo.alt == "Community Health Outreach (CHO) logo \\ Salud comunitaria — 社区健康"
        assert figures[0].content and figures[0].content[0][0] == 0  # on the cover
        assert stream_problems(read) == [] and parent_tree_problems(read) == []
        assert any(m.mcid is not None for _, marks in read.pages[0].xobjects for m in marks), "image Do not tagged"
    finally:
        read.doc.close()


# ---------------------------------------------------------------- 6. any paragraph text


def paragraph_content(text: str, bullet: str, lang: str = "en") -> dict[str, object]:
    """Two sections around ``text`` and ``bullet``, with a note, a web link and a phone link."""
    return {
        "lang": lang,
        "title": "Property test",
        "sections": [
            {
                "id": "one",
                "heading": "First",
                "blocks": [
                    {"text": text + " [^n]"},
                    {"bullets": [bullet, "See [the site](https://example.org/help)."]},
                    {"callout": text},
                ],
            },
            {"id": "two", "heading": "Second", "blocks": [{"text": bullet}]},
        ],
        "notes": {"n": "A note, https://example.org/source"},
        "contact": {"heading": "Call us", "lines": [{"label": "Help", "value": "555-0100"}]},
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=printable_text(max_size=200), bullet=printable_text(), lang=st.sampled_from(["en", "ar", "zh-Hans"]))
def test_any_paragraph_text_keeps_marked_content_and_parent_tree_consistent(tmp_path_factory, text, bullet, lang):
    path = tmp_path_factory.mktemp("tagged") / "content.yaml"
    path.write_text(yaml.safe_dump(paragraph_content(text, bullet, lang), allow_unicode=True), encoding="utf-8")
    try:
        result = build_brochure(path)
    except BrochureError:
        event("refused")
        return
    event("built")
    read = read_pdf("property", result.pdf, result.brochure, load_layout("default"))
    try:
        assert stream_problems(read) == []
        assert parent_tree_problems(read) == []
        assert read.tree_problems == []
    finally:
        read.doc.close()


# ---------------------------------------------------------------- 7. a heading split across pages


@pytest.mark.parametrize(("lang", "word"), [("en", "word "), ("ja", "見出し"), ("ar", "عنوان ")])
def test_a_heading_split_across_pages_is_one_heading_with_its_bookmark(tmp_path: Path, lang: str, word: str) -> None:
    """Found by the fuzz test in CI: a right-to-left or CJK heading, once split, lost its tag and bookmark."""
    data = paragraph_content("Some text.", "An item.", lang)
    data["sections"][0]["heading"] = word * 300  # type: ignore[index]  # the dictionary built just above
    path = tmp_path / "content.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = build_brochure(path)
    read = read_pdf("split heading", result.pdf, result.brochure, load_layout("default"))
    try:
        titles = [str(item.title) for item in read.reader.outline if not isinstance(item, list)]
        assert any(title.startswith(word.strip()) for title in titles), titles
        sections = [node for node in read.all_elements() if node.kind == "Sect"]
        first = next(node for node in sections[0].kids if node.kind == "H2")
        assert len({page for page, _ in first.content}) >= 2, "the heading should run across pages"
        assert same_letters(read.text(first)) == same_letters(word * 300)  # all of it, in one element
        assert stream_problems(read) == [] and parent_tree_problems(read) == [] and read.tree_problems == []
    finally:
        read.doc.close()


# ---------------------------------------------------------------- 8. page breaks, read back


def mcid_baselines(doc: pdfium.PdfDocument, index: int) -> dict[int, set[float]]:
    """The baselines (rounded y of each character's origin) of each MCID on page ``index``: its lines."""
    out: dict[int, set[float]] = {}
    page = doc[index]
    textpage = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        for i in range(textpage.count_chars()):
            obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
            if not obj:
                continue
            mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
            if mcid < 0 or chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)).isspace():
                continue
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
            out.setdefault(mcid, set()).add(round(y.value))
    finally:
        textpage.close()
        page.close()
    return out


def page_break_problems(read: Read) -> list[str]:
    """Headings left at the foot of a page, and paragraphs or lists split with one line on a page."""
    baselines: dict[int, dict[int, set[float]]] = {}

    def lines(node: Node) -> dict[int, set[float]]:
        """Page index → the baselines of an element's text (superscripts merged into their line)."""
        out: dict[int, set[float]] = {}
        for element in node.walk():
            for page, mcid in element.content:
                if page not in baselines:
                    baselines[page] = mcid_baselines(read.doc, page)
                out.setdefault(page, set()).update(baselines[page].get(mcid, set()))
        return {page: merge_raised(ys) for page, ys in out.items() if ys}

    problems = []
    for node in read.all_elements():
        for kid, following in itertools.pairwise(node.kids):
            if kid.kind in ("H2", "H3"):
                mine, theirs = lines(kid), lines(following)
                if mine and theirs and max(mine) != min(theirs):
                    problems.append(f"{kid.kind} {read.text(kid)[:30]!r} ends page {max(mine) + 1} alone")
        if node.kind in ("P", "L", "LBody"):
            per_page = lines(node)
            if len(per_page) > 1:
                first, last = min(per_page), max(per_page)
                for page in (first, last):
                    if len(per_page[page]) < 2:
                        problems.append(f"{node.kind} {read.text(node)[:30]!r}: one line on page {page + 1}")
    return problems


def merge_raised(ys: set[float]) -> set[float]:
    """Baselines closer than 6 pt are one line (a superscript sits a few points above its line)."""
    out: list[float] = []
    for y in sorted(ys):
        if not out or y - out[-1] >= 6:
            out.append(y)
    return set(out)


def test_no_heading_ends_a_page_and_no_split_leaves_one_line(read: Read) -> None:
    assert page_break_problems(read) == []


# ---------------------------------------------------------------- 9. right-to-left text in reading order


RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


MIRRORED = str.maketrans(")]}>»", "([{<«")


def letters(text: str) -> str:
    """``same_letters`` without format characters (bidi marks are in the text, never drawn) and
    with mirrored pairs as one (a ")" in right-to-left text is drawn as "(")."""
    return same_letters("".join(ch for ch in text if unicodedata.category(ch) != "Cf").translate(MIRRORED))


def test_right_to_left_text_carries_its_reading_order_as_actual_text(read: Read) -> None:
    """Shaped Arabic is drawn as glyphs in visual order; /ActualText gives the text itself."""
    if not is_rtl(read.brochure.lang):
        pytest.skip("left-to-right brochure")
    checked = 0
    for node in read.all_elements():
        drawn = read.text(node)
        if not RTL_LETTER.search(drawn):
            assert "/ActualText" not in node.obj or node.kind != "Lbl"
            continue
        actual = str(node.obj.get("/ActualText", ""))
        assert actual, f"{node.kind} {drawn[:30]!r} has no /ActualText"
        assert letters(actual) == letters(drawn), node.kind  # the same letters as drawn...
        assert not re.search(r"[\ufb50-\ufdff\ufe70-\ufeff]", actual)  # ...unshaped
        checked += 1
    assert checked > 50
    sects = [node for node in read.all_elements() if node.kind == "Sect"]
    headings = [str(sect.kids[0].obj["/ActualText"]) for sect in sects[: len(read.brochure.sections)]]
    assert headings == [" ".join(s.heading.split()) for s in read.brochure.sections]  # in reading order


def test_a_links_words_are_inside_its_link_element(read: Read) -> None:
    """PDF/UA: a Link element holds the link's words (their marked content) and its annotation."""
    links = [node for node in read.all_elements() if node.kind == "Link"]
    with_words = [node for node in links if node.content]
    assert with_words, "no link holds its words"
    for node in with_words:
        assert node.annotations, f"Link {read.text(node)!r} without its annotation"
        assert read.text(node).strip(), "a Link element whose marked content draws no text"
    # only the notes' numbers, drawn as list labels, keep their words in the label
    assert len(links) - len(with_words) <= len(read.brochure.notes)


def test_english_notes_and_addresses_in_a_translation_carry_lang_en(read: Read) -> None:
    """PDF/UA (Matterhorn 11): a passage in another language than the document's says which.

    A translation prints its notes and its stand-alone addresses as the English content
    gives them: their elements are ``/Lang (en)``; the document's own text is not marked,
    and an English brochure marks nothing.
    """
    b = read.brochure
    marked = [node for node in read.all_elements() if "/Lang" in node.obj]
    if not b.translated or b.lang.startswith("en"):
        assert not marked, [str(node.obj["/Lang"]) for node in marked]
        return
    assert {str(node.obj["/Lang"]) for node in marked} == {"en"}
    assert len([node for node in marked if node.kind == "LBody"]) == len(b.notes), "every note is marked"
    english = {squash(plain_text(note.runs))[:40] for note in b.notes}
    for node in marked:
        text = squash(read.text(node))
        assert text, f"{node.kind} with /Lang draws no text"
        is_note = node.kind == "LBody" and text[:40] in english
        is_address = re.fullmatch(r"(?:https?://|www\.)\S+|\S+@\S+", text) is not None
        assert is_note or is_address, f"{node.kind} {text[:60]!r} is marked English"
    if b.contact and (b.contact.website or b.contact.qr):
        assert any(node.kind == "P" for node in marked), "the contact block's web address"


def span_langs(obj: object) -> list[str]:
    """The ``/Lang`` of each ``Span`` marked-content sequence a page object is in."""
    langs = []
    names = mark_names(obj)
    buffer = (ctypes.c_ushort * 64)()
    length = ctypes.c_ulong()
    for i, name in enumerate(names):
        if name != "Span":
            continue
        mark = pdfium_c.FPDFPageObj_GetMark(obj, i)
        if pdfium_c.FPDFPageObjMark_GetParamStringValue(
            mark, b"Lang", buffer, ctypes.sizeof(buffer), ctypes.byref(length)
        ):
            langs.append(bytes(buffer)[: max(0, length.value - 2)].decode("utf-16-le"))
    return langs


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_latin_words_in_a_brochure_of_another_script_are_spans_in_english(read: Read) -> None:
    """Matterhorn 11: "SAMHSA", "HIV", an address inside Arabic or Chinese text is marked content with /Lang (en).

    Each text object drawn with Latin words alone (two letters or more, no letter of
    another script) is inside such a span, and nothing else is; a brochure in Latin script
    has none.
    """
    b = read.brochure
    other_script = b.translated and b.lang.split("-")[0] in ("ar", "zh", "ja", "ko", "hi")
    marked: list[str] = []
    for index in range(len(read.doc)):
        page = read.doc[index]
        textpage = page.get_textpage()
        try:
            for j in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
                obj = pdfium_c.FPDFPage_GetObject(page.raw, j)
                if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
                    continue
                size = pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
                buffer = (ctypes.c_ushort * size)()
                pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, buffer, size * 2)
                text = bytes(buffer).decode("utf-16-le").rstrip("\0")
                langs = span_langs(obj)
                foreign = any(ch.isalpha() and ord(ch) >= 0x250 for ch in text)
                if langs:
                    assert langs == ["en"] and not foreign, f"page {index + 1}: {text!r} in a span {langs}"
                    marked.append(text)
                elif other_script and LATIN_WORD.search(text) and not foreign:
                    pytest.fail(f"page {index + 1}: Latin words {text!r} without /Lang")
        finally:
            textpage.close()
            page.close()
    if other_script:
        assert any("SAMHSA" in text for text in marked)
    else:
        assert not marked
