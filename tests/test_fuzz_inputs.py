"""Property tests for the inputs besides content (issue 16): site lists, the cache folder, layout
files, pictures, PO/XLIFF imports and glossaries. Whatever they hold, the tool reads them or refuses
them with a ``BrochureError`` placed in the file, never another exception, a hang or a changed PDF.

CI runs each test at a modest size; ``make fuzz`` (HYPOTHESIS_PROFILE=fuzz) runs 20 times as many.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import TINY, fuzz_settings

from brochure import cache
from brochure.assets import read_image
from brochure.batch import csv_records, load_sites
from brochure.errors import BrochureError, Location
from brochure.spec import load_layout

CELL_PIECES = [",", '"', '""', "\n", "\r\n", "\r", " ", "a", "é", "中", "عيادة", "\x00", "\x07", "\ufdd0", "555-0100"]
CELL = st.one_of(st.text(max_size=12), st.lists(st.sampled_from(CELL_PIECES), max_size=8).map("".join))


# ---------------------------------------------------------------- site lists


@fuzz_settings(100)
@given(st.lists(st.lists(CELL, min_size=1, max_size=8), min_size=1, max_size=6))
def test_csv_written_by_any_tool_reads_back_cell_for_cell(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)  # lines end in \r\n, so a cell with either is quoted
    text = out.getvalue()
    records = list(csv_records(text, "x.csv"))
    assert all(r.problem is None for r in records), records
    expected = [[cell.replace("\r\n", "\n") for cell in row] for row in csv.reader(io.StringIO(text))]
    assert [[cell for cell, _ in r.cells] for r in records] == expected
    for record in records:  # every cell is placed inside the text
        for _, where in record.cells:
            assert 1 <= where.line <= text.count("\n") + text.count("\r") + 1 and where.col >= 1


HEADER = "name,phone,text_line,address,hours,website,qr\n"


@fuzz_settings(150)
@given(st.lists(st.lists(CELL, max_size=9).map(",".join), max_size=8).map("\n".join))
def test_any_site_list_is_read_row_by_row_or_refused_in_place(tmp_path_factory, body):
    folder = tmp_path_factory.mktemp("sites")
    path = folder / "sites.csv"
    path.write_text(HEADER + body, encoding="utf-8", newline="")
    lines = (HEADER + body).count("\n") + (HEADER + body).count("\r") + 2
    try:
        sites, problems = load_sites(path)
    except BrochureError as exc:
        problems, sites = list(exc.diagnostics), []
    for problem in problems:
        assert problem.location.file == str(path) and 1 <= problem.location.line <= lines, problem
    for site in sites:
        assert site.name and site.slug and "/" not in site.slug and "\\" not in site.slug
        assert len(site.slug.encode("utf-8")) <= 240
    assert len({s.slug for s in sites}) == len(sites)


@fuzz_settings(100)
@given(st.text(max_size=300))
def test_any_yaml_site_list_is_read_or_refused(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("sites") / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_sites(path)
    except BrochureError as exc:
        assert all(d.location.file == str(path) for d in exc.diagnostics)


# ---------------------------------------------------------------- the cache folder


@fuzz_settings(150)
@given(st.binary(max_size=400), st.integers(0, 399), st.integers(1, 255))
def test_no_damaged_item_is_ever_taken_for_a_value(blob, index, mask):
    good = cache.encode("key", {"widths": [1, 2, 3]})
    assert cache.decode("key", blob) in (None, {"widths": [1, 2, 3]})
    damaged = bytearray(good)
    damaged[index % len(good)] ^= mask
    assert cache.decode("key", bytes(damaged)) is None
    assert cache.decode("other key", good) is None


@fuzz_settings(40)
@given(st.lists(st.tuples(st.sampled_from(["fonts", "qr"]), st.binary(max_size=200)), max_size=6))
def test_whatever_the_cache_folder_holds_a_load_is_a_sound_value_or_nothing(tmp_path_factory, junk):
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get(cache.ENV)
    os.environ[cache.ENV] = str(folder)
    try:
        cache.store("qr", "k", [[True, False]])
        path = cache._path("qr", cache._stamp("k"))
        assert path is not None
        for number, (kind, data) in enumerate(junk):
            (folder / kind).mkdir(exist_ok=True)
            target = path if number == 0 else folder / kind / f"{number:032x}.marshal"
            target.write_bytes(data)
        assert cache.load("qr", "k") in (None, [[True, False]])
        cache.store("qr", "k", [[False]])
        assert cache.load("qr", "k") == [[False]]
    finally:
        if previous is None:
            del os.environ[cache.ENV]
        else:
            os.environ[cache.ENV] = previous


# ---------------------------------------------------------------- layout files

LAYOUT_KEYS = ["extends", "page", "size", "margins", "type", "body_size", "colors", "text", "fonts", "families"]
LAYOUT_PIECES = [
    *LAYOUT_KEYS,
    ": ",
    "\n",
    "  ",
    "- ",
    "default",
    "booklet",
    "a4",
    "12",
    "-1",
    "1e309",
    "#zzz",
    "[",
    "{",
]


@fuzz_settings(150)
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(LAYOUT_PIECES), max_size=30).map("".join)))
def test_any_layout_file_loads_or_is_refused_in_place(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("layout") / "layout.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_layout(str(path))
    except BrochureError as exc:
        assert exc.diagnostics and all(d.location.line >= 1 for d in exc.diagnostics)


# ---------------------------------------------------------------- pictures

HEADS = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"<svg xmlns='http://www.w3.org/2000/svg'>",
    b"<?xml version='1.0'?>",
    b"",
]


@fuzz_settings(150)
@given(st.sampled_from(HEADS), st.binary(max_size=300))
def test_any_picture_file_is_read_or_refused_at_the_line_naming_it(tmp_path_factory, head, body):
    folder = tmp_path_factory.mktemp("picture")
    (folder / "picture.img").write_bytes(head + body)
    read = read_or_refuse(folder, "picture.img")
    assert read is None or read == head + body


def read_or_refuse(folder: Path, name: str) -> bytes | None:
    """The picture's bytes as read for a figure, or None when it is refused at the content line naming
    it (or in the picture itself): never another exception."""
    where = Location("content.yaml", 7, 15)
    try:
        data, width, height = read_image(folder, name, where)
    except BrochureError as exc:
        assert all(d.location == where or d.location.file.endswith(name) for d in exc.diagnostics)
        return None
    assert width > 0 and height > 0
    return data


SVG_PIECES = [
    "<?xml version='1.0'?>",
    "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='40' height='20'>",
    "</svg>",
    "<!DOCTYPE svg [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>",
    "<!DOCTYPE svg [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
    "&b;",
    "&x;",
    "<image href='file:///etc/passwd' width='5' height='5'/>",
    "<image xlink:href='http://127.0.0.1:9/x.png' width='5' height='5'/>",
    "<use xlink:href='#r'/>",
    "<rect id='r' width='1e309' height='-1'/>",
    "<text x='1' y='10'>Hi</text>",
    "<style>@import url(http://127.0.0.1:9/x.css);</style>",
    "<g transform='scale(1e300)'>",
    "</g>",
    "<",
    "'",
]


@fuzz_settings(150)
@given(st.lists(st.sampled_from(SVG_PIECES), max_size=12).map("".join))
def test_any_svg_built_of_hostile_pieces_is_read_or_refused_and_fetches_nothing(tmp_path_factory, monkeypatch, text):
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an SVG made the tool open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    folder = tmp_path_factory.mktemp("svg")
    (folder / "picture.svg").write_text(text, encoding="utf-8")
    read = read_or_refuse(folder, "picture.svg")
    assert read is None or b"<!ENTITY" not in read  # entities are refused, never expanded


# ---------------------------------------------------------------- PO and XLIFF imports

PO_PIECES = ['msgid ""', 'msgstr ""', 'msgctxt "title"', '"\\n"', "#, fuzzy", "#| msgid", '"x"', "\n", '"', "\\", "é"]


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
@fuzz_settings(100)
@given(text=st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PO_PIECES), max_size=20).map("\n".join)))
def test_any_po_or_xliff_file_is_read_or_refused_in_place(tmp_path_factory, suffix, text):
    from brochure.exchange import read_exchange

    path = tmp_path_factory.mktemp("exchange") / f"content.es{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        read_exchange(path)
    except BrochureError as exc:
        assert exc.diagnostics and all(d.location.file == str(path) for d in exc.diagnostics)


# ---------------------------------------------------------------- glossaries

GLOSSARY_PIECES = ["terms", "lang", "es", "en", ": ", "\n", "  ", "- ", "naloxone", "naloxona", '""', "[", "{", "#"]
GLOSSARY_PIECES += ["\x07", "\ufffe", "\u202e", "Naloxone"]
GLOSSARY = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(GLOSSARY_PIECES), max_size=30).map("".join))


@fuzz_settings(150)
@given(english=GLOSSARY, spanish=GLOSSARY)
def test_any_pair_of_glossaries_loads_or_is_refused_in_place(tmp_path_factory, english, spanish):
    from brochure.glossary import MAX_TERM_LENGTH, load_glossary

    folder = tmp_path_factory.mktemp("glossary")
    files = {name: folder / name for name in ("glossary.yaml", "glossary.es.yaml")}
    files["glossary.yaml"].write_text(english, encoding="utf-8")
    files["glossary.es.yaml"].write_text(spanish, encoding="utf-8")
    try:
        glossary = load_glossary(folder, folder, "es")
    except BrochureError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.location.file in {str(p) for p in files.values()} and d.location.line >= 1, d
    else:
        for term in glossary.terms:
            assert term.english.strip() and len(term.english) <= MAX_TERM_LENGTH
            assert all(form.strip() for form in term.forms)
            term.in_english("Naloxone works.")  # any term is a safe pattern


def test_tiny_is_valid_content_for_these_tests(tmp_path: Path) -> None:
    from brochure.build import load_brochure

    path = tmp_path / "content.yaml"
    path.write_text(TINY, encoding="utf-8")
    assert load_brochure(path)[0].title == "Tiny guide"
