"""The back page for a person in crisis: a site's details in its own line's box, "what happens when you call"."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import CONTENT, TINY, open_pdf, page_texts, squash, write

from brochure.assets import load_assets
from brochure.batch import Site, load_sites, site_contact
from brochure.build import build_brochure, load_brochure, render_brochure
from brochure.cli import main
from brochure.model import Brochure
from brochure.spec import load_layout

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sites" / "example-sites.csv"

CALLS = """\
  when_you_call:
    - A counselor answers.[^b]
    - It is free.
"""


def last_page(pdf: bytes) -> str:
    doc = open_pdf(pdf)
    return squash(page_texts(doc)[-1])


def site_and_plain(layout: str, plain: bool = True) -> tuple[Brochure, Site, bytes, bytes]:
    """The sample, the example list's first site, and the sample built for that site and (``plain``)
    as it is (else empty bytes)."""
    brochure, _ = load_brochure(CONTENT)
    site = load_sites(EXAMPLE)[0][0]
    sited = dataclasses.replace(brochure, contact=site_contact(brochure, site))
    spec = load_layout(layout)
    pdf, _ = render_brochure(sited, spec, assets=load_assets(sited, ROOT))
    as_is = render_brochure(brochure, spec, assets=load_assets(brochure, ROOT))[0] if plain else b""
    return brochure, site, pdf, as_is


def test_a_sites_text_line_address_and_hours_print_in_its_own_box() -> None:
    brochure, _ = load_brochure(CONTENT)
    site = load_sites(EXAMPLE)[0][0]
    assert site.text_line and site.address and site.hours
    contact = site_contact(brochure, site)
    first = contact.lines[0]
    assert (first.value, first.label) == (site.phone, site.name)
    assert [(d.label, d.value) for d in first.details] == [
        ("text_us", site.text_line),
        ("address", site.address),
        ("hours", site.hours),
    ]
    assert contact.address is None and contact.hours is None, "printed apart from the line, they would repeat"
    sited = dataclasses.replace(brochure, contact=contact)
    pdf, _ = render_brochure(sited, load_layout("default"), assets=load_assets(sited, ROOT))
    text = last_page(pdf)
    order = [
        squash(site.phone),
        squash(site.name),
        squash(f"Text: {site.text_line}"),
        squash(f"Address: {site.address}"),
        squash(f"Hours: {site.hours}"),
        squash("1-800-662-4357"),
    ]
    places = [text.find(needle) for needle in order]
    assert -1 not in places, (order, text)
    assert places == sorted(places), "the site's details are not between its number and the next line"
    assert squash(f"Website: {site.name}") in text, "the QR code's caption does not say it leads to the site"
    assert squash(brochure.labels.get("scan")) not in text, "the caption still says the code leads to the helpline"


def test_when_you_call_prints_under_the_lines_and_before_the_qr_code(tmp_path: Path) -> None:
    content = write(
        tmp_path,
        TINY + "  qr: https://www.example.org/help\n" + CALLS + "labels:\n  when_you_call: When you call us\n",
    )
    result = build_brochure(content, "default", tmp_path / "out.pdf")
    text = last_page(result.pdf)
    shown = ("555-0100", "When you call us", "A counselor answers.", "It is free.", "example.org/help")
    order = [squash(x) for x in shown]
    places = [text.find(needle) for needle in order]
    assert -1 not in places, text
    assert places == sorted(places)
    brochure, _ = load_brochure(content)
    assert brochure.contact is not None
    cited = brochure.contact.when_you_call[0].runs[-1]
    assert getattr(cited, "number", 0) == 2, "a citation in the list is numbered with the others"


def test_the_sample_back_page_says_what_happens_when_you_call_on_one_page() -> None:
    brochure, _ = load_brochure(CONTENT)
    assert brochure.contact is not None and len(brochure.contact.when_you_call) >= 3
    without = dataclasses.replace(brochure, contact=dataclasses.replace(brochure.contact, when_you_call=()))
    spec = load_layout("default")
    pdf, _ = render_brochure(brochure, spec, assets=load_assets(brochure, ROOT))
    bare, _ = render_brochure(without, spec, assets=load_assets(brochure, ROOT))
    assert len(open_pdf(pdf)) == len(open_pdf(bare)), "the list made the back page run onto another page"
    text = last_page(pdf)
    assert squash(brochure.labels.get("when_you_call")) in text
    assert "988" in text and squash("1-800-662-4357") in text


@pytest.mark.parametrize("layout", ["booklet", "large-print"])
def test_where_the_page_has_no_room_the_list_gives_way_to_the_numbers(layout: str) -> None:
    brochure, _ = load_brochure(CONTENT)
    assert brochure.contact is not None
    without = dataclasses.replace(brochure, contact=dataclasses.replace(brochure.contact, when_you_call=()))
    spec = load_layout(layout)
    pdf, _ = render_brochure(brochure, spec, assets=load_assets(brochure, ROOT))
    bare, _ = render_brochure(without, spec, assets=load_assets(brochure, ROOT))
    assert len(open_pdf(pdf)) == len(open_pdf(bare))
    text = last_page(pdf)
    for line in brochure.contact.lines:
        assert squash(line.value) in text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("  when_you_call: []\n", "when_you_call is empty"),
        ("  when_you_call: call us\n", "when_you_call must be a list"),
        ("  when_you_call:\n    - Free.[^nope]\n", "nope"),
    ],
)
def test_a_bad_when_you_call_is_a_located_error(tmp_path: Path, value: str, message: str) -> None:
    content = write(tmp_path, TINY + value)
    result = CliRunner().invoke(main, ["check", str(content)])
    assert result.exit_code == 1
    line = (TINY + value).count("\n", 0, (TINY + value).index("when_you_call")) + 1
    assert f"{content}:{line}:" in result.stderr or f"{content}:{line + 1}:" in result.stderr, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("layout", ["booklet", "booklet-a5"])
def test_a_sites_back_page_stays_one_page_in_the_booklets(layout: str) -> None:
    brochure, site, pdf, plain = site_and_plain(layout)
    assert len(open_pdf(pdf)) == len(open_pdf(plain)), "the site's back page ran onto another page"
    text = last_page(pdf)
    assert brochure.contact is not None and squash(brochure.contact.heading) in text, "the block starts elsewhere"
    for value in (site.phone, "1-800-662-4357", "988", f"Hours: {site.hours}"):
        assert squash(value) in text, value


@pytest.mark.parametrize("layout", ["default", "a4"])
def test_a_sites_back_page_keeps_the_list_where_the_lines_or_the_code_can_sit_side_by_side(layout: str) -> None:
    """Letter: the lines in a two-column grid, the QR code beside its caption in the free cell; A4:
    the list beside the QR code. The page stays one page either way."""
    brochure, site, pdf, plain = site_and_plain(layout)
    assert len(open_pdf(pdf)) == len(open_pdf(plain))
    text = last_page(pdf)
    assert brochure.contact is not None
    for item in (brochure.labels.get("when_you_call"), site.phone, "1-800-662-4357", site.website or ""):
        assert squash(item) in text, item


def test_a_sites_back_page_too_long_for_one_large_print_page_runs_on_in_one_column() -> None:
    """Large print: the site's line and the helpline on the first page, then 988, the list and the QR
    code (full size, with its caption) on the last, never a grid squeezing the code into a cell."""
    brochure, site, pdf, _ = site_and_plain("large-print", plain=False)
    *_, before, last = [squash(text) for text in page_texts(open_pdf(pdf))]
    assert brochure.contact is not None
    assert squash(brochure.contact.heading) in before and squash(site.phone) in before
    for item in ("988", brochure.labels.get("when_you_call"), site.website or ""):
        assert squash(item) in last, item
    assert last.index(squash(brochure.labels.get("when_you_call"))) < last.index(squash(site.website or ""))
