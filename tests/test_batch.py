"""Per-site batches and page previews."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from brochure.assets import load_assets
from brochure.batch import load_sites, run_batch, site_contact, slugify
from brochure.build import load_brochure, render_brochure
from brochure.cli import main
from brochure.preview import render_preview
from brochure.spec import load_layout

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sites" / "example-sites.csv"
HEADER = "name,phone,text_line,address,hours,website,qr\n"


def last_page_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return doc[len(doc) - 1].get_textpage().get_text_range()


def test_the_example_site_list_has_at_least_20_good_sites() -> None:
    sites, problems = load_sites(EXAMPLE)
    assert problems == []
    assert len(sites) >= 20
    assert len({s.slug for s in sites}) == len(sites)
    yaml_sites, yaml_problems = load_sites(ROOT / "sites" / "example-sites.yaml")
    assert yaml_problems == [] and yaml_sites[0].name == sites[0].name


def test_slugs_are_file_name_safe() -> None:
    assert slugify("Eastside Clinic #2 (North)") == "eastside-clinic-2-north"
    assert slugify("***") == "site"


def test_bad_rows_are_reported_with_their_line_and_the_rest_kept(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        HEADER
        + "Good Clinic,555-0100,,1 Main St,,https://www.example.org/a,\n"
        + ",555-0101,,,,,\n"
        + "Bad Phone,call us,,,,,\n"
        + "Bad Site,555-0102,,,,javascript:alert(1),\n",
        encoding="utf-8",
    )
    good, problems = load_sites(sites)
    assert [s.name for s in good] == ["Good Clinic"]
    assert [(p.location.line, p.message) for p in problems] == [
        (3, "site is missing 'name'"),
        (4, "phone 'call us' is not a phone number"),
        (5, "link scheme 'javascript:' is not allowed"),
    ]


def test_unknown_column_is_an_error_at_the_header(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("name,phone,fax\nA,555-0100,1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(sites), str(ROOT / "content.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{sites}:1:12: error: unknown column 'fax'" in result.stderr


def test_site_contact_without_a_local_line_puts_the_site_first_and_keeps_every_line() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    site = load_sites(EXAMPLE)[0][0]
    contact = site_contact(brochure, site)
    assert contact.lines[0].value == site.phone and contact.lines[0].label == site.name
    assert brochure.contact is not None and not any(line.local for line in brochure.contact.lines)
    national = [line.value for line in brochure.contact.lines]
    assert [line.value for line in contact.lines[-len(national) :]] == national
    assert contact.qr == site.qr and contact.address == site.address


def test_site_contact_puts_the_site_in_place_of_the_local_line() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    assert brochure.contact is not None
    first, *rest = brochure.contact.lines
    local = dataclasses.replace(first, value="555-0100", cover=False, local=True)
    marked = dataclasses.replace(brochure, contact=dataclasses.replace(brochure.contact, lines=(first, local, *rest)))
    site = load_sites(EXAMPLE)[0][0]
    values = [line.value for line in site_contact(marked, site).lines]
    assert values[0] == first.value and values[1] == site.phone and "555-0100" not in values
    assert values[-len(rest) :] == [line.value for line in rest]


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, list]:
    tmp = tmp_path_factory.mktemp("batch")
    sites = tmp / "sites.csv"
    rows = EXAMPLE.read_text(encoding="utf-8").splitlines()[:4]
    sites.write_text("\n".join(rows) + "\nBroken Row,not a phone,,,,,\n", encoding="utf-8")
    out = tmp / "out"
    seen: list = []
    outcomes, problems = run_batch(
        sites, [ROOT / "content.yaml", ROOT / "content.es.yaml"], out, jobs=2, progress=seen.append
    )
    return out, outcomes, [*problems, len(seen)]


def test_batch_writes_one_pdf_per_site_and_language(batch_run: tuple[Path, list, list]) -> None:
    out, outcomes, problems = batch_run
    assert problems[-1] == len(outcomes) == 6
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{slug}.{lang}.pdf"
        for slug in ("eastside-community-clinic", "riverside-health-center", "northgate-recovery-services")
        for lang in ("en", "es")
    )
    assert [p.location.line for p in problems[:-1]] == [5]
    for site in load_sites(EXAMPLE)[0][:3]:
        for lang in ("en", "es"):
            text = last_page_text((out / f"{site.slug}.{lang}.pdf").read_bytes())
            assert site.phone in text and site.name in text
            assert "1-800-662-4357" in text


def test_batch_variants_equal_a_build_of_each_site_alone(batch_run: tuple[Path, list, list]) -> None:
    out, _, _ = batch_run
    brochure, _ = load_brochure(ROOT / "content.yaml")
    site = load_sites(EXAMPLE)[0][1]
    alone, _ = render_brochure(
        dataclasses.replace(brochure, contact=site_contact(brochure, site)),
        load_layout("default"),
        assets=load_assets(brochure, ROOT),
    )
    assert (out / f"{site.slug}.en.pdf").read_bytes() == alone


def test_batch_cli_summarises_and_fails_on_a_bad_row(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(HEADER + "One Clinic,555-0100,,,,,\nBad,xx,,,,,\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["batch", str(sites), str(ROOT / "content.yaml"), "-o", str(tmp_path / "o"), "-j", "1"]
    )
    assert result.exit_code == 1
    assert f"{sites}:3:5: error: phone 'xx' is not a phone number" in result.stderr
    assert "1 of 1 PDFs written" in result.output
    assert (tmp_path / "o" / "one-clinic.en.pdf").exists()


def test_preview_renders_every_page_and_a_contact_sheet(tmp_path: Path) -> None:
    pdf = render_brochure(load_brochure(ROOT / "content.yaml")[0], load_layout("default"))[0]
    shots = render_preview(pdf, dpi=20)
    assert len(shots.pages) == len(pdfium.PdfDocument(pdf))
    assert all(png.startswith(b"\x89PNG") for png in shots.pages)
    assert shots.sheet.startswith(b"\x89PNG")
    target = tmp_path / "b.pdf"
    target.write_bytes(pdf)
    result = CliRunner().invoke(main, ["preview", str(target), "-o", str(tmp_path / "p"), "--dpi", "20"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p" / "b-sheet.png").exists() and (tmp_path / "p" / "b-page-01.png").exists()


def test_preview_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["preview", str(tmp_path / "none.pdf")])
    assert result.exit_code == 1
    assert "cannot read the PDF" in result.stderr
