"""Imposed press sheets are documents too (issue 15, point 4), read back from the file itself.

The sheets carry the reader-order pages' structure tree (each page is a form XObject on its
sheet, so its marked content keeps its identifiers), the same title, language, metadata and
output intent, links and bookmarks that go to the sheet their target page is on, and no
page object that is not a sheet.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from brochure.build import build_brochure

ROOT = Path(__file__).resolve().parents[2]
CASES = [("content.yaml", "booklet"), ("content.ar.yaml", "booklet-a5"), ("content-trifold.yaml", "trifold")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{c}-{layout}" for c, layout in CASES])
def pair(request: pytest.FixtureRequest) -> tuple[PdfReader, PdfReader, bytes]:
    content, layout = request.param
    result = build_brochure(ROOT / content, layout, None)
    assert result.imposed is not None
    return PdfReader(io.BytesIO(result.pdf)), PdfReader(io.BytesIO(result.imposed)), result.imposed


def _elements(reader: PdfReader) -> list[tuple[str, DictionaryObject]]:
    """The structure elements in depth-first (reading) order, with their types."""
    out: list[tuple[str, DictionaryObject]] = []

    def visit(node: object) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            for item in node:
                visit(item)
            return
        if not isinstance(node, DictionaryObject) or node.get("/Type") in ("/MCR", "/OBJR"):
            return
        out.append((str(node["/S"]), node))
        visit(node.raw_get("/K"))

    visit(reader.root_object["/StructTreeRoot"].raw_get("/K"))
    return out


def _content_kids(element: DictionaryObject) -> list[object]:
    kids = element.raw_get("/K")
    items = kids if isinstance(kids, ArrayObject) else [kids]
    return [k for k in items if not (isinstance(k, IndirectObject) and "/S" in k.get_object())]


def test_the_sheets_carry_the_pages_structure_in_reading_order(pair):
    flat, sheets, _ = pair
    flat_elements, sheet_elements = _elements(flat), _elements(sheets)
    assert [kind for kind, _ in sheet_elements] == [kind for kind, _ in flat_elements]
    for (_, before), (_, after) in zip(flat_elements, sheet_elements, strict=True):
        assert len(_content_kids(after)) == len(_content_kids(before))
        assert after.get("/ActualText") == before.get("/ActualText")
        assert after.get("/Alt") == before.get("/Alt")


def test_marked_content_points_at_a_form_drawn_on_its_sheet(pair):
    _, sheets, _ = pair
    sheet_ids = {page.indirect_reference.idnum: page for page in sheets.pages}
    parent_tree = sheets.root_object["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    by_key = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
    seen = 0
    for _, element in _elements(sheets):
        for kid in _content_kids(element):
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                sheet = sheet_ids[kid.raw_get("/Pg").idnum]
                form_ref = kid.raw_get("/Stm")
                drawn = {ref.idnum for ref in sheet["/Resources"]["/XObject"].values()}
                assert form_ref.idnum in drawn, "the form is not drawn on the sheet the element names"
                form = form_ref.get_object()
                assert form["/Subtype"] == "/Form"
                mcids = by_key[int(form["/StructParents"])]
                mcids = mcids.get_object() if isinstance(mcids, IndirectObject) else mcids
                assert mcids[int(kid["/MCID"])].idnum == element.indirect_reference.idnum
                seen += 1
            else:
                assert isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR", kid
    assert seen > 20


def test_no_page_object_but_the_sheets(pair):
    _, sheets, data = pair
    page_objects = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert page_objects == len(sheets.pages)


def test_links_and_bookmarks_go_to_sheets_of_the_document(pair):
    flat, sheets, _ = pair
    sheet_ids = {page.indirect_reference.idnum for page in sheets.pages}

    def links(reader: PdfReader) -> list[DictionaryObject]:
        return [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]

    flat_links, sheet_links = links(flat), links(sheets)
    assert len(sheet_links) == len(flat_links) > 0
    parent_tree = sheets.root_object["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    by_key = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
    for link in sheet_links:
        assert link["/F"] == 4
        if "/Dest" in link:
            assert link["/Dest"][0].idnum in sheet_ids
        else:
            assert str(link["/A"]["/URI"]).startswith(("http", "tel:", "mailto:", "sms:"))
        element = by_key[int(link["/StructParent"])].get_object()
        assert element["/S"] == "/Link"
        objr = [k.get_object() for k in element["/K"] if k.get_object().get("/Type") == "/OBJR"]
        assert link.indirect_reference.idnum in [o.raw_get("/Obj").idnum for o in objr]
    assert {str(a["/Contents"]) for a in sheet_links} == {str(a["/Contents"]) for a in flat_links}

    def titles(reader: PdfReader) -> list[str]:
        out: list[str] = []
        stack = list(reader.outline)
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[0:0] = item
            else:
                out.append(item.title)
                assert 0 <= reader.get_destination_page_number(item) < len(reader.pages)
        return out

    assert titles(sheets) == titles(flat)


def test_the_sheets_say_what_the_pages_say(pair):
    flat, sheets, _ = pair
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert sheets.root_object[key] == flat.root_object[key]
    assert sheets.metadata == flat.metadata
    assert sheets.root_object["/Metadata"].get_data() == flat.root_object["/Metadata"].get_data()
    intent = sheets.root_object["/OutputIntents"][0]
    assert (
        intent["/DestOutputProfile"].get_data()
        == flat.root_object["/OutputIntents"][0]["/DestOutputProfile"].get_data()
    )
    assert all(page["/Tabs"] == "/S" for page in sheets.pages)
