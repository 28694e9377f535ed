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
    assert contact.qr == site.qr and ("address", site.address) in [(d.label, d.value) for d in contact.lines[0].details]


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


# ---------------------------------------------------------------- rows are content (issue 16)


def test_file_names_keep_the_letters_of_any_script_and_stay_safe() -> None:
    assert slugify("عيادة الشرق") == "عيادة-الشرق"
    assert slugify("东区 诊所 #2") == "东区-诊所-2"
    assert slugify("คลินิก ตะวันออก") == "คลินิก-ตะวันออก"  # the vowel marks stay
    assert slugify("Clínica São João") == "clínica-são-joão"
    assert slugify("Cli\u0301nica") == "clínica"  # NFC: one letter, as typed either way
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("a\u202eb\u200fc") == "a-b-c"  # bidi controls are no letters
    assert slugify("CON") == "site-con" and slugify("nul") == "site-nul"
    assert slugify("\u0301x") == "site-x" or slugify("\u0301x").startswith("site-")
    assert slugify("!!!") == "site"
    long = slugify("Clinic " * 100)
    assert len(long) <= 60 and not long.endswith("-") and len(long.encode("utf-8")) < 200


def test_sites_with_the_same_file_name_get_numbered_in_row_order(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(HEADER + "عيادة,555-0100,,,,,\nعيادة!,555-0101,,,,,\n东区,555-0102,,,,,\nعيادة?,555-0103,,,,,\n")
    good, problems = load_sites(sites)
    assert problems == []
    assert [s.slug for s in good] == ["عيادة", "عيادة-2", "东区", "عيادة-3"]


def write_sites(tmp_path: Path, text: str, name: str = "sites.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("A,555-0100,,,\n", (2, 1, "the row has 5 cells, the header 7: too few")),
        ("A,555-0100,,,,,,x\n", (2, 1, "the row has 8 cells, the header 7: too many")),
        ('A,555-0100,,"1 Main St, Town,,,\n', (2, 13, "unclosed quote")),
        ('A,555-0100,,"1 Main" St,,,\n', (2, 21, "text after the closing quote of a cell")),
        ('A,555-0100,,1 "Main" St,,,\n', (2, 15, "a quote inside a cell that does not start with one")),
        ("A\u0007B,555-0100,,,,,\n", (2, 2, "control character U+0007 is not allowed in name")),
        ('A,555-0100,,"line\nline\u0000",,,\n', (3, 5, "control character U+0000 is not allowed in address")),
        ("A,555-0100,,\ufdd0,,,\n", (2, 13, "noncharacter U+FDD0 is not allowed in address")),
        ('A,555-0100,,"x\ufdd0",,,\n', (2, 15, "noncharacter U+FDD0 is not allowed in address")),
        (",555-0100,,,,,\n", (2, 1, "site is missing 'name'")),
        (f"A,555-0100,,{'x' * 501},,,\n", (2, 13, "address is too long (501 characters; the limit is 500)")),
        (f"A,555-0100,,,,,https://example.org/{'q' * 2000}\n", (2, 16, "qr address is too long for a QR code")),
    ],
)
def test_a_bad_row_is_reported_at_its_cell_saying_what_is_wrong(tmp_path: Path, rows: str, expected) -> None:
    sites = write_sites(tmp_path, HEADER + "Good,555-0199,,,,,\n" + rows + "Last,555-0198,,,,,\n")
    good, problems = load_sites(sites)
    line, col, message = expected
    assert [(p.location.line - 1, p.location.col) for p in problems][:1] == [(line, col)], problems
    assert message in problems[0].message
    if "unclosed quote" not in message:  # an unclosed quote runs to the end of the file
        assert [s.name for s in good] == ["Good", "Last"]


def test_a_bad_yaml_row_never_stops_the_others(tmp_path: Path) -> None:
    sites = write_sites(
        tmp_path,
        "- name: Good\n  phone: 555-0100\n- name: Odd\n  phone: 555-0101\n  fax: 1\n"
        "- just text\n- name: [a]\n  phone: 555-0102\n- name: Last\n  phone: 555-0103\n",
        "sites.yaml",
    )
    good, problems = load_sites(sites)
    assert [s.name for s in good] == ["Good", "Last"]
    assert [(p.location.line, p.location.col, p.message.split(",")[0]) for p in problems] == [
        (5, 3, "unknown site field 'fax'"),
        (6, 3, "a site must be a mapping (name: ..."),
        (7, 9, "name must be text"),
    ]


@pytest.fixture(scope="module")
def script_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list, list]:
    tmp = tmp_path_factory.mktemp("scripts")
    sites = write_sites(
        tmp,
        "name,phone,address,hours,qr\n"
        "عيادة الشرق,555-0100,شارع النيل,السبت-الخميس,\n"
        "东区诊所,555-0101,主街100号,周一至周五,\n"
        "Hieroglyph \U00013000 Clinic,555-0102,,,\n"
        f"Long QR,555-0103,,,https://example.org/{'q' * 2100}\n"
        "Plain Clinic,555-0104,1 Main St,,\n",
    )
    out = tmp / "out"
    outcomes, problems = run_batch(sites, [ROOT / "content.yaml"], out, jobs=1)
    return sites, out, outcomes, problems


def test_site_fields_in_other_scripts_are_printed_with_a_fallback_font(script_batch) -> None:
    _, out, _, _ = script_batch
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(["plain-clinic.en.pdf", "东区诊所.en.pdf", "عيادة-الشرق.en.pdf"])
    text = last_page_text((out / "东区诊所.en.pdf").read_bytes())
    assert "东区诊所" in text and "主街100号" in text and "周一至周五" in text
    arabic = pdfium.PdfDocument((out / "عيادة-الشرق.en.pdf").read_bytes())
    page = arabic[len(arabic) - 1]
    fonts = set()
    for index in range(page.get_textpage().count_chars()):
        char = page.get_textpage().get_text_range(index, 1)
        if "\u0600" <= char <= "\u06ff" or "\ufe70" <= char <= "\ufeff":
            fonts.add(char)
    assert len(fonts) >= 6, "the Arabic name, address and hours are not on the back page"


def test_an_uncovered_character_in_a_row_is_an_error_at_its_cell_and_other_rows_build(script_batch) -> None:
    sites, _, outcomes, problems = script_batch
    failed = [d for o in outcomes for d in o.problems]
    assert [(d.location.file, d.location.line, d.location.col) for d in failed] == [(str(sites), 4, 1)]
    assert "U+13000" in failed[0].message and "not covered" in failed[0].message
    assert [(p.location.line, p.location.col) for p in problems] == [(5, 20)]
    assert "qr" in problems[0].message
    assert sum(1 for o in outcomes if not o.problems) == 3


def test_the_summary_prints_when_a_worker_dies(tmp_path: Path) -> None:
    import multiprocessing

    sites = write_sites(tmp_path, HEADER + "".join(f"Clinic {i},555-01{i:02d},,,,,\n" for i in range(8)))
    killed: list[int] = []

    def kill_the_workers(outcome) -> None:
        if not killed:
            for child in multiprocessing.active_children():
                killed.append(child.pid or 0)
                child.kill()

    outcomes, problems = run_batch(sites, [ROOT / "content.yaml"], tmp_path / "out", jobs=2, progress=kill_the_workers)
    assert killed and problems == []
    assert len(outcomes) == 8
    lost = [o for o in outcomes if o.problems]
    assert lost and all("worker process stopped" in o.problems[0].message for o in lost)
    assert all(o.problems[0].location.line >= 2 for o in lost)


def test_jobs_are_capped_by_the_rows_and_the_cores() -> None:
    import os

    from brochure.batch import MAX_WORKERS_PER_CORE, worker_count

    cores = os.cpu_count() or 1
    assert worker_count(1000, 3) == 3
    assert worker_count(1000, 10_000) == MAX_WORKERS_PER_CORE * cores
    assert worker_count(None, 10_000) == cores
    assert worker_count(1, 10_000) == 1 and worker_count(None, 0) == 1


# ---------------------------------------------------------------- preview of a long PDF: bounded memory (issue 16)


def long_pdf(pages: int) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    base = PdfReader(io.BytesIO(render_brochure(load_brochure(ROOT / "content.yaml")[0], load_layout("default"))[0]))
    writer = PdfWriter()
    for index in range(pages):
        writer.add_page(base.pages[index % len(base.pages)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_preview_hands_each_page_on_and_keeps_a_bounded_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from PIL import Image

    import brochure.preview

    monkeypatch.setattr(brochure.preview, "MAX_SHEET_PIXELS", 300_000)
    seen: list[int] = []
    shots = render_preview(long_pdf(60), dpi=20, page_sink=lambda number, png: seen.append(number))
    assert seen == list(range(1, 61)) and shots.pages == ()
    with Image.open(io.BytesIO(shots.sheet)) as sheet:
        assert sheet.width * sheet.height <= 300_000 * 1.3  # the gaps between pictures come on top
        assert sheet.width > 100


def peak_memory_of_a_preview(tmp_path: Path, pages: int) -> int:
    import subprocess
    import sys

    pdf = tmp_path / f"long-{pages}.pdf"
    pdf.write_bytes(long_pdf(pages))
    code = (
        "import resource, sys\n"
        "from brochure.cli import main\n"
        "try:\n"
        "    main(['preview', sys.argv[1], '-o', sys.argv[2], '--dpi', '50'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(pdf), str(tmp_path / f"p{pages}")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    assert len(list((tmp_path / f"p{pages}").glob("*-page-*.png"))) == pages
    return int(done.stdout.split()[-1])  # KiB


def test_a_preview_of_four_times_the_pages_takes_about_the_same_memory(tmp_path: Path) -> None:
    small, large = peak_memory_of_a_preview(tmp_path, 40), peak_memory_of_a_preview(tmp_path, 160)
    assert large - small < 40 * 1024, (small, large)  # keeping 120 more pages would take about 80 MiB
