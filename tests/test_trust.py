"""What readers are told must be right: the emergency number, the cover's number, each contact line
in its place (also in a site's brochure), and the review record. Facts are read back from the PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import ROOT, TINY, is_superscript, open_pdf, page_chars, page_texts, squash, write

from brochure.batch import Site, run_batch, site_contact
from brochure.build import build_brochure, load_brochure
from brochure.content import build_model
from brochure.errors import BrochureError, ContentError
from brochure.source import parse_yaml
from brochure.spec import load_layout
from brochure.story import COVER_NUMBER_SIZE
from brochure.translations import compare_translation

TRANSLATIONS = sorted(ROOT.glob("content.*.yaml"))
SHIPPED = [ROOT / "content.yaml", ROOT / "content-trifold.yaml", *TRANSLATIONS]
LAYOUTS = ["default", "a4", "booklet", "booklet-a5", "large-print"]
BODY = load_layout("default").body_size


def printed(chars: list, needle: str) -> list:
    """The characters that print ``needle`` (white space ignored), or [] when it is not there."""
    kept = [c for c in chars if squash(c.ch)]
    text = "".join(c.ch for c in kept)
    at = text.find(squash(needle))
    return kept[at : at + len(squash(needle))] if at >= 0 else []


def order_of(text: str, needles: list[str]) -> list[int]:
    """Where each needle first appears in ``text`` (squashed), -1 when it does not."""
    flat = squash(text)
    return [flat.find(squash(n)) for n in needles]


# ---------------------------------------------------------------- the shipped files


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_file_gives_911_a_draft_review_record_and_a_cover_line(path: Path) -> None:
    brochure, _ = load_brochure(path)
    assert brochure.emergency == "911"
    assert brochure.review is not None and brochure.review.status == "draft" and brochure.draft
    assert brochure.reviewed is None, "a draft never prints 'Reviewed ...'"
    assert brochure.contact is not None
    cover = [line for line in brochure.contact.lines if line.cover]
    assert [line.value for line in cover] == ["1-800-662-4357"], "the SAMHSA helpline goes on the cover"
    assert brochure.contact.lines[0].value == "1-800-662-4357", "the free national helpline comes first"
    assert "888-319-2606" not in [line.value for line in brochure.contact.lines]
    labels = dict(brochure.labels.values)
    if not brochure.lang.startswith("en"):
        assert labels["overdose"] != "Overdose? Call {emergency}", "the overdose label is translated"


@pytest.fixture(scope="module")
def english_layouts() -> dict[str, bytes]:
    """The sample in every layout, and the tri-fold sample, built once for this module."""
    out = {layout: build_brochure(ROOT / "content.yaml", layout).pdf for layout in LAYOUTS}
    out["trifold"] = build_brochure(ROOT / "content-trifold.yaml", "trifold").pdf
    return out


@pytest.fixture(scope="module")
def translated() -> dict[str, bytes]:
    """Each translation in the default layout, and Arabic as a booklet."""
    out = {path.name: build_brochure(path, "default").pdf for path in TRANSLATIONS}
    out["content.ar.yaml booklet"] = build_brochure(ROOT / "content.ar.yaml", "booklet").pdf
    return out


def _cover_number(pdf: bytes) -> list:
    return printed(page_chars(open_pdf(pdf), 0), "1-800-662-4357")


@pytest.mark.parametrize("layout", [*LAYOUTS, "trifold"])
def test_the_cover_prints_the_helpline_at_24_points_or_more_in_every_layout(english_layouts, layout) -> None:
    chars = _cover_number(english_layouts[layout])
    assert chars, f"no helpline number on the cover of layout {layout}"
    assert min(c.size for c in chars) >= COVER_NUMBER_SIZE >= 24
    assert len({round(c.y) for c in chars}) == 1, "the number is set on one line"


def test_the_cover_prints_the_helpline_at_24_points_or_more_in_every_language(translated) -> None:
    for name, pdf in translated.items():
        chars = _cover_number(pdf)
        assert chars and min(c.size for c in chars) >= 24, name


def test_the_back_page_says_overdose_call_911_and_lists_the_lines_in_order(english_layouts, translated) -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    assert brochure.contact is not None
    values = [line.value for line in brochure.contact.lines]
    for name, pdf in {**english_layouts, **translated}.items():
        back = page_texts(open_pdf(pdf))[-1]
        where = order_of(back, values)
        assert -1 not in where and where == sorted(where), (name, values)
        assert "911" in back, name
    back = page_texts(open_pdf(english_layouts["default"]))[-1]
    assert "Overdose? Call 911" in back


def test_the_overdose_call_out_prints_the_emergency_number(english_layouts) -> None:
    text = squash("".join(page_texts(open_pdf(english_layouts["default"]))))
    assert squash("Call 911 right away") in text
    assert "{emergency}" not in text


# ---------------------------------------------------------------- the emergency number


def test_a_files_own_emergency_number_prints_in_text_and_on_the_back_page(tmp_path: Path) -> None:
    text = TINY.replace("lang: en\n", 'lang: en\nemergency: "112"\n').replace(
        "More text.[^b]", "In an emergency call {emergency}, or {braces} as written.[^b]"
    )
    doc = open_pdf(build_brochure(write(tmp_path, text)).pdf)
    pages = [squash(t) for t in page_texts(doc)]
    assert squash("In an emergency call 112, or {braces} as written.") in "".join(pages)
    assert squash("Overdose? Call 112") in pages[-1]
    assert "911" not in "".join(pages)


def test_without_an_emergency_number_the_back_page_prints_no_overdose_line(tmp_path: Path) -> None:
    doc = open_pdf(build_brochure(write(tmp_path, TINY)).pdf)
    assert "Overdose" not in page_texts(doc)[-1]


def test_a_translation_must_keep_the_englishs_emergency_number_and_flags(tmp_path: Path) -> None:
    english = TINY.replace("lang: en\n", 'lang: en\nemergency: "911"\n').replace(
        "      value: 555-0100\n", "      value: 555-0100\n      cover: true\n"
    )
    write(tmp_path, english)
    spanish = (
        english.replace("lang: en\n", "lang: es\ntranslation:\n  source: content.yaml\n")
        .replace('emergency: "911"', 'emergency: "112"')
        .replace("      cover: true\n", "")
    )
    report = compare_translation(write(tmp_path, spanish, "content.es.yaml"))
    messages = [d.message for d in report.errors]
    assert any("emergency must be the English file's: '911'" in m for m in messages), messages
    assert any("contact/lines/1/cover is no here, yes in the English" in m for m in messages), messages


# ---------------------------------------------------------------- contact lines in a site's brochure

SITES = "name,phone,text_line,address,hours,website,qr\nEastside Clinic,555-0142,,,,,\n"
NATIONAL = """\
contact:
  heading: Call us
  lines:
    - label: National helpline
      value: 1-800-662-4357
      cover: true
    - label: Our clinic
      value: 555-0100
      local: {local}
    - label: Crisis line
      value: "988"
"""


@pytest.mark.parametrize("local", ["yes", "no"])
def test_a_site_brochure_keeps_every_national_line_in_order(tmp_path: Path, local: str) -> None:
    content = write(tmp_path, TINY[: TINY.index("contact:")] + NATIONAL.replace("{local}", local))
    sites = write(tmp_path, SITES, "sites.csv")
    outcomes, problems = run_batch(sites, [content], tmp_path / "out", jobs=1)
    assert problems == [] and [o.problems for o in outcomes] == [()]
    doc = open_pdf((tmp_path / "out" / "eastside-clinic.en.pdf").read_bytes())
    back = page_texts(doc)[-1]
    if local == "yes":  # the site's line takes the place of the local line
        expected, gone = ["1-800-662-4357", "555-0142", "Eastside Clinic", "988"], "555-0100"  # numbers first
        assert squash(gone) not in squash(back)
    else:  # nothing marked: the site's line first, every line of the content kept
        expected = ["555-0142", "Eastside Clinic", "1-800-662-4357", "555-0100", "988"]
    where = order_of(back, expected)
    assert -1 not in where and where == sorted(where), (expected, back)
    cover = squash(page_texts(doc)[0])
    assert "18006624357" in cover and "5550142" not in cover, "a site's line never goes on the cover"


def test_site_pdfs_share_the_sample_cover(tmp_path: Path) -> None:
    """The cover a site gets is the sample's, byte for byte in its text: site lines never go there."""
    sites = write(tmp_path, SITES, "sites.csv")
    run_batch(sites, [ROOT / "content.yaml"], tmp_path / "out", jobs=1)
    site = open_pdf((tmp_path / "out" / "eastside-clinic.en.pdf").read_bytes())
    sample = open_pdf(build_brochure(ROOT / "content.yaml").pdf)
    assert page_texts(site)[0] == page_texts(sample)[0]
    back = page_texts(site)[-1]
    where = order_of(back, ["555-0142", "Eastside Clinic", "1-800-662-4357", "988"])  # each number before its label
    assert -1 not in where and where == sorted(where)


def test_site_contact_of_the_sample_adds_the_site_first_and_keeps_every_line() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    assert brochure.contact is not None and not any(line.local for line in brochure.contact.lines)
    site = Site("x", "X Clinic", "555-0142", None, None, None, None, None, brochure.location)
    contact = site_contact(brochure, site)
    assert [line.value for line in contact.lines] == ["555-0142", *(line.value for line in brochure.contact.lines)]
    assert not contact.lines[0].cover and not contact.lines[0].local


# ---------------------------------------------------------------- the review record


def _model(text: str, today: date | None = None) -> tuple[object, list]:
    return build_model(parse_yaml(text, "c.yaml"), "c.yaml", today)


REVIEWED = 'review: {status: reviewed, reviewer: pharmacist, date: "2026-03-01", review_by: "2027-03-01"}\n'


def test_a_reviewed_file_prints_its_date_and_no_draft_mark(tmp_path: Path) -> None:
    doc = open_pdf(build_brochure(write(tmp_path, TINY + REVIEWED)).pdf)
    text = "".join(page_texts(doc))
    assert "Reviewed 2026-03-01" in text and "DRAFT" not in text


def test_a_draft_prints_the_draft_mark_and_never_reviewed(tmp_path: Path) -> None:
    draft = REVIEWED.replace("status: reviewed", "status: draft")
    doc = open_pdf(build_brochure(write(tmp_path, TINY + draft)).pdf)
    texts = page_texts(doc)
    assert all("DRAFT" in t for t in texts) and "Reviewed" not in "".join(texts)
    slanted = [c for c in page_chars(doc, 1, slanted=True) if c not in page_chars(doc, 1)]
    assert "DRAFT" in "".join(c.ch for c in slanted), "the mark is set across the page"


def test_review_dates_are_checked_against_the_build_date() -> None:
    _, warnings = _model(TINY + REVIEWED, date(2027, 6, 1))
    assert [(w.location.line, w.message) for w in warnings] == [
        (len(TINY.splitlines()) + 1, "the review is overdue: it was due by 2027-03-01")
    ]
    _, warnings = _model(TINY + REVIEWED, date(2026, 1, 1))
    assert [w.message for w in warnings] == ["the review date 2026-03-01 is later than the build date 2026-01-01"]
    _, warnings = _model(TINY + REVIEWED, date(2026, 6, 1))
    assert warnings == []


def test_an_overdue_review_fails_a_strict_build(tmp_path: Path) -> None:
    content = write(tmp_path, TINY + REVIEWED)
    build_brochure(content, strict=True, source_date=1780000000)  # 2026-05-28: in date
    with pytest.raises(BrochureError, match="overdue"):
        build_brochure(content, strict=True, source_date=1900000000)  # 2030


@pytest.mark.parametrize("value", ["2026-02-30", "soon", "2026-1-5", "20260105"])
def test_a_date_that_is_not_a_real_date_is_an_error_at_its_place(value: str) -> None:
    text = TINY + f'review:\n  status: draft\n  date: "{value}"\n'
    with pytest.raises(ContentError) as error:
        _model(text)
    (diagnostic,) = error.value.diagnostics
    assert (diagnostic.location.line, diagnostic.location.col) == (len(TINY.splitlines()) + 3, 9)
    assert f"review date '{value}' is not a date" in diagnostic.message


# ---------------------------------------------------------------- citation markers


def _superscript_groups(pdf: bytes, body_size: float) -> list[str]:
    """The groups of superscript markers printed on the body pages, as text ('3,4')."""
    doc = open_pdf(pdf)
    chars = [c for i in range(1, len(doc)) for c in page_chars(doc, i)]
    groups, current = [], ""
    for i in range(len(chars)):
        if is_superscript(chars, i, body_size):
            current += chars[i].ch
        elif current:
            groups.append(current)
            current = ""
    return groups


def test_markers_that_stand_together_print_in_number_order(tmp_path: Path) -> None:
    text = TINY.replace("More text.[^b]", "More text.[^b][^a]")  # b is 2, a is 1: printed 1,2
    pdf = build_brochure(write(tmp_path, text)).pdf
    assert "1,2" in _superscript_groups(pdf, BODY)
    assert "2,1" not in _superscript_groups(pdf, BODY)


def test_every_group_of_markers_in_the_sample_is_in_number_order(english_layouts) -> None:
    groups = [g for g in _superscript_groups(english_layouts["default"], BODY) if "," in g]
    assert groups, "the sample cites two sources together somewhere"
    for group in groups:
        numbers = [int(n) for n in group.split(",") if n]
        assert numbers == sorted(numbers), group
