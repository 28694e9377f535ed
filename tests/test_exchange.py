"""PO and XLIFF, both ways: exports translators' tools accept, imports that change only what was translated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner

from brochure.build import load_brochure
from brochure.cli import main
from brochure.errors import ContentError
from brochure.exchange import export_text, import_units, read_exchange
from brochure.translations import compare_translation

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = sorted(ROOT.glob("content.*.yaml"))
MSGFMT = shutil.which("msgfmt")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for path in [ROOT / "content.yaml", *TRANSLATIONS, *ROOT.glob("content.*.lock")]:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["po", "xliff"])
@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_importing_an_unchanged_export_gives_the_same_bytes(folder: Path, path: Path, fmt: str) -> None:
    content, lock = folder / path.name, folder / path.with_suffix(".lock").name
    before = content.read_bytes(), lock.read_bytes()
    exchange = folder / f"out.{'po' if fmt == 'po' else 'xlf'}"
    code, out, err = _run("export", str(content), "--format", fmt, "-o", str(exchange))
    assert code == 0, err
    assert "entries" in out
    code, out, err = _run("import", str(exchange), "-o", str(content))
    assert code == 0, err
    assert "0 changed" in out
    assert (content.read_bytes(), lock.read_bytes()) == before


@pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed: apt-get install gettext")
@pytest.mark.parametrize("path", [*TRANSLATIONS, ROOT / "content.yaml"], ids=lambda p: p.name)
def test_po_exports_pass_msgfmt_check(tmp_path: Path, path: Path) -> None:
    text, _ = export_text(path, "po", None if path.name != "content.yaml" else "sw")
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [MSGFMT or "msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_po_export_carries_context_comments_and_limits() -> None:
    text, count = export_text(ROOT / "content.es.yaml", "po")
    po = polib.pofile(text)
    assert len(po) == count > 100
    by_context = {entry.msgctxt: entry for entry in po}
    entry = by_context["sections/withdrawal/heading"]
    assert entry.msgid == "Withdrawal symptoms" and entry.msgstr
    assert "contents list" in entry.comment
    assert entry.occurrences[0][0] == "content.yaml"
    label = by_context["labels/contents"]
    assert "At most 30 characters." in label.comment
    page = by_context["labels/page"]
    assert "python-brace-format" in page.flags
    assert not any(key.startswith("notes/") or key.endswith("/value") for key in by_context), "never translated"


def test_an_edited_translation_is_written_in_place_and_recorded_current(folder: Path) -> None:
    content = folder / "content.es.yaml"
    before = content.read_text(encoding="utf-8").splitlines()
    po_path = folder / "es.po"
    po_path.write_text(export_text(content, "po")[0], encoding="utf-8")
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "sections/withdrawal/heading")
    entry.msgstr = "Síntomas de abstinencia: qué esperar"
    po.save(str(po_path))
    code, out, err = _run("import", str(po_path), "-o", str(content))
    assert code == 0, err
    assert "1 changed" in out
    after = content.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1].endswith('"Síntomas de abstinencia: qué esperar"'), "quoted: the text holds ': '"
    withdrawal = next(s for s in load_brochure(content)[0].sections if s.id == "withdrawal")
    assert withdrawal.heading == "Síntomas de abstinencia: qué esperar"
    assert compare_translation(content, strict=True).errors == ()


def test_an_outdated_entry_is_fuzzy_with_its_old_english_until_the_translator_clears_it(folder: Path) -> None:
    english = folder / "content.yaml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("heading: Withdrawal symptoms", "heading: Signs of withdrawal"),
        encoding="utf-8",
    )
    content = folder / "content.ru.yaml"
    po_path = folder / "ru.po"
    po_path.write_text(export_text(content, "po")[0], encoding="utf-8")
    po = polib.pofile(str(po_path))
    (fuzzy,) = [e for e in po if "fuzzy" in e.flags]
    assert fuzzy.msgctxt == "sections/withdrawal/heading"
    assert fuzzy.msgid == "Signs of withdrawal" and fuzzy.previous_msgid == "Withdrawal symptoms"
    xliff = export_text(content, "xliff")[0]
    assert 'state="needs-review-translation"' in xliff and "English before: Withdrawal symptoms" in xliff
    assert _run("import", str(po_path), "-o", str(content))[0] == 0
    assert compare_translation(content).outdated == 1, "still fuzzy: not recorded as current"
    fuzzy.flags.remove("fuzzy")
    fuzzy.msgstr = "Признаки абстиненции"
    po.save(str(po_path))
    code, _, err = _run("import", str(po_path), "-o", str(content))
    assert code == 0, err
    report = compare_translation(content, strict=True)
    assert report.outdated == 0 and report.errors == ()


def _po_with(folder: Path, path: str, text: str) -> tuple[Path, int]:
    content = folder / "content.es.yaml"
    po_path = folder / "es.po"
    po_path.write_text(export_text(content, "po")[0], encoding="utf-8")
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == path)
    entry.msgstr = text
    po.save(str(po_path))
    lines = po_path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, s in enumerate(lines, 1) if s == f'msgctxt "{path}"') + 2
    assert lines[line - 1].startswith("msgstr")
    return po_path, line


def test_broken_markup_in_a_po_entry_is_reported_at_its_line_and_nothing_is_written(folder: Path) -> None:
    content = folder / "content.es.yaml"
    before = content.read_bytes()
    broken = "Tenerla **no quiere decir nada.[^nida-science-addiction]"
    po_path, line = _po_with(folder, "sections/addiction/blocks/2/text", broken)
    code, _, err = _run("import", str(po_path), "-o", str(content))
    assert code == 1
    assert f"{po_path}:{line}:" in err and "error:" in err and "**" in err
    assert "Traceback" not in err
    assert content.read_bytes() == before


def test_a_lost_citation_in_a_po_entry_is_an_error_at_its_line(folder: Path) -> None:
    po_path, line = _po_with(folder, "sections/addiction/blocks/2/text", "Tenerla no quiere decir nada.")
    code, _, err = _run("import", str(po_path), "-o", str(folder / "content.es.yaml"))
    assert code == 1
    assert f"{po_path}:{line}:" in err and "citation [^nida-science-addiction]" in err


def test_a_changed_phone_number_in_xliff_is_an_error_at_its_line(folder: Path) -> None:
    content = folder / "content.vi.yaml"
    before = content.read_bytes()
    xliff = export_text(content, "xliff")[0]
    assert xliff.count("1-800-662-4357</target>") >= 1 or "1-800-662-4357" in xliff
    lines = xliff.splitlines()
    index = next(i for i, s in enumerate(lines) if "<target" in s and "1-800-662-4357" in s)
    lines[index] = lines[index].replace("1-800-662-4357", "1-800-662-4375")
    path = folder / "vi.xlf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = _run("import", str(path), "-o", str(content))
    assert code == 1
    assert f"{path}:{index + 1}:" in err
    assert "phone number 1-800-662-4357 of the English" in err and "1-800-662-4375" in err
    assert content.read_bytes() == before


def test_a_new_language_starts_from_the_english(folder: Path) -> None:
    po_path = folder / "sw.po"
    code, _, err = _run("export", str(folder / "content.yaml"), "--lang", "sw", "--format", "po", "-o", str(po_path))
    assert code == 0, err
    po = polib.pofile(str(po_path))
    assert po.metadata["Language"] == "sw"
    assert all(entry.msgstr == "" and not entry.fuzzy for entry in po)
    for entry in po:  # a stand-in translation that keeps every mark and number
        entry.msgstr = "번역 " + entry.msgid
    po.save(str(po_path))
    content = folder / "content.sw.yaml"
    code, _, err = _run("import", str(po_path), "-o", str(content))
    assert code == 0, err
    text = content.read_text(encoding="utf-8")
    assert "lang: sw" in text and "source: content.yaml" in text
    english = (folder / "content.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == english.splitlines()[0], "the English file's comments are kept"
    report = compare_translation(content, strict=True)
    assert (report.missing, report.extra, report.outdated) == (0, 0, 0)
    assert report.errors == ()


def test_an_unknown_context_is_an_error(folder: Path) -> None:
    po_path, line = _po_with(folder, "title", "Dejar la heroína")
    po_path.write_text(po_path.read_text(encoding="utf-8").replace('msgctxt "title"', 'msgctxt "tittle"'), "utf-8")
    code, _, err = _run("import", str(po_path), "-o", str(folder / "content.es.yaml"))
    assert code == 1 and f"{po_path}:{line}:" in err and "'tittle' is not a translatable entry" in err


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bad.po", 'msgid ""\nmsgstr ""\n\nmsgctxt "title"\nmsgid "x\nmsgstr "y"\n', "bad.po:"),
        (
            "bomb.xlf",
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">&a;</xliff>\n',
            "bomb.xlf:",
        ),
        ("broken.xlf", '<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n', "broken.xlf:4:"),
        ("big.po", "#" * (3 * 1024 * 1024), "too large"),
        ("words.txt", "hello", "must end in .po, .xlf or .xliff"),
    ],
)
def test_bad_exchange_files_are_located_errors(folder: Path, name: str, text: str, expected: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    code, _, err = _run("import", str(path), "-o", str(folder / "content.es.yaml"))
    assert code == 1
    assert expected in err and "Traceback" not in err and "internal error" not in err


def test_import_reads_what_export_writes(tmp_path: Path) -> None:
    for fmt, suffix in (("po", ".po"), ("xliff", ".xlf")):
        text, count = export_text(ROOT / "content.ar.yaml", fmt)  # type: ignore[arg-type]
        path = tmp_path / f"exchange{suffix}"
        path.write_text(text, encoding="utf-8")
        lang, source, units = read_exchange(path)
        assert (lang, source, len(units)) == ("ar", "content.yaml", count)
        assert all(unit.text and not unit.fuzzy for unit in units)


def test_units_for_an_entry_given_twice_are_refused(folder: Path) -> None:
    _, _, units = read_exchange(_po_with(folder, "title", "Dejar")[0])
    with pytest.raises(ContentError, match="given twice"):
        import_units([*units, units[0]], folder / "content.es.yaml", lang="es", source_name="content.yaml")


OFFICIAL_XLIFF = ROOT / ".venv" / "xliff-1.2"
"""OASIS's XLIFF 1.2 schema (strict) and the xml.xsd it imports: ``make test`` fetches them (tools/xliff_schema.py)."""


@pytest.fixture(scope="module")
def official_xliff_schema() -> Any:
    """The official XLIFF 1.2 strict schema, its import of xml.xsd pointed at the local copy (no network)."""
    from lxml import etree

    if not (OFFICIAL_XLIFF / "xml.xsd").is_file():
        pytest.fail("the official XLIFF 1.2 schema is not fetched: run `make xliff-schema` (make test does)")
    tree = etree.parse(str(OFFICIAL_XLIFF / "xliff-core-1.2-strict.xsd"), etree.XMLParser(no_network=True))
    imports = tree.getroot().findall("{http://www.w3.org/2001/XMLSchema}import")
    assert [i.get("schemaLocation") for i in imports] == ["http://www.w3.org/2001/xml.xsd"]
    imports[0].set("schemaLocation", (OFFICIAL_XLIFF / "xml.xsd").as_uri())
    return etree.XMLSchema(tree)


@pytest.mark.parametrize("path", [*TRANSLATIONS, ROOT / "content.yaml"], ids=lambda p: p.name)
def test_xliff_exports_are_valid_xliff_1_2(path: Path, official_xliff_schema: Any) -> None:
    """Every export passes OASIS's own XLIFF 1.2 schema (strict), and our narrower one of what the export writes."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "data" / "xliff-1.2-subset.xsd")))
    text, count = export_text(path, "xliff", None if path.name != "content.yaml" else "sw")
    document = etree.fromstring(text.encode("utf-8"))
    assert official_xliff_schema.validate(document), official_xliff_schema.error_log
    assert schema.validate(document), schema.error_log
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = document.findall(".//x:trans-unit", ns)
    assert len(units) == count
    label = document.find(".//x:trans-unit[@id='labels/draft']", ns)
    assert label is not None and label.get("maxwidth") == "40" and label.get("size-unit") == "char"
    broken = etree.fromstring(text.replace('state="', 'state="x-', 1).encode("utf-8"))
    assert not schema.validate(broken), "the schema can fail"
    no_source = text.replace("<source", "<origin", 1).replace("</source>", "</origin>", 1)
    assert not official_xliff_schema.validate(etree.fromstring(no_source.encode("utf-8"))), "the official one can fail"
