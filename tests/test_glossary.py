"""The glossary: terms translated the same way everywhere, checked by `check` and carried in the exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from brochure.cli import main
from brochure.errors import ContentError
from brochure.exchange import export_text
from brochure.glossary import load_glossary
from brochure.translations import compare_translation

ROOT = Path(__file__).resolve().parent.parent
GLOSSARIES = sorted(ROOT.glob("glossary.*.yaml"))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for path in [*ROOT.glob("content*.yaml"), *ROOT.glob("content.*.lock"), *ROOT.glob("glossary*.yaml")]:
        shutil.copy(path, tmp_path / path.name)
    if (ROOT / "images").is_dir():
        shutil.copytree(ROOT / "images", tmp_path / "images")
    return tmp_path


@pytest.mark.parametrize("path", GLOSSARIES, ids=lambda p: p.name)
def test_every_shipped_glossary_belongs_to_a_translation_and_gives_every_term(path: Path) -> None:
    lang = path.name.removeprefix("glossary.").removesuffix(".yaml")
    assert (ROOT / f"content.{lang}.yaml").exists()
    glossary = load_glossary(ROOT, ROOT, lang)
    assert glossary.language_file == path
    assert {"naloxone", "methadone", "buprenorphine"} <= {term.english for term in glossary.translated()}
    report = compare_translation(ROOT / f"content.{lang}.yaml", strict=True)
    assert report.errors == ()
    assert f"({path.name})" in report.summary()


def test_a_term_translated_otherwise_is_reported_at_its_line(folder: Path) -> None:
    content = folder / "content.es.yaml"
    lines = content.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "naloxona" in line and "text:" in line)
    lines[index] = lines[index].replace("naloxona", "Narcan")
    content.write_text("".join(lines), encoding="utf-8")
    report = compare_translation(content)
    glossary_warnings = [w for w in report.warnings if "glossary" in w.message]
    assert glossary_warnings and all(w.location.line == index + 1 for w in glossary_warnings)
    assert "the English says 'naloxone', which the glossary translates 'naloxona'" in glossary_warnings[0].message
    assert compare_translation(content, strict=True).errors
    result = CliRunner().invoke(main, ["check", "--strict", str(content)])
    assert result.exit_code == 1 and f"{content}:{index + 1}:" in result.stderr
    lines[index] = lines[index].rstrip("\n") + "  # brochure: ignore glossary\n"
    content.write_text("".join(lines), encoding="utf-8")
    assert not [w for w in compare_translation(content).warnings if "glossary" in w.message]


def test_a_stem_accepts_every_inflected_form(folder: Path) -> None:
    text = (folder / "content.ru.yaml").read_text(encoding="utf-8")
    assert "налоксона" in text or "налоксоном" in text, "the Russian inflects the word"
    assert compare_translation(folder / "content.ru.yaml", strict=True).errors == ()


def test_a_term_the_english_glossary_lacks_is_a_located_error(folder: Path) -> None:
    path = folder / "glossary.es.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  heroine: heroína\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        compare_translation(folder / "content.es.yaml")
    (problem,) = caught.value.diagnostics
    assert problem.location.line == len(path.read_text(encoding="utf-8").splitlines())
    assert "'heroine' is not a term of glossary.yaml" in problem.message


def test_without_a_glossary_for_the_language_the_summary_says_so(folder: Path) -> None:
    (folder / "glossary.vi.yaml").unlink()
    report = compare_translation(folder / "content.vi.yaml", strict=True)
    assert report.errors == ()
    assert "no glossary.vi.yaml" in report.summary() and "not checked" in report.summary()


def test_the_exports_carry_the_glossary() -> None:
    po = polib.pofile(export_text(ROOT / "content.es.yaml", "po")[0])
    notes = [entry.comment for entry in po if "naloxone" in entry.msgid.lower()]
    assert notes and all("Glossary: naloxone = naloxona (The medicine that reverses" in note for note in notes)
    new = polib.pofile(export_text(ROOT / "content.yaml", "po", "sw")[0])
    assert any("Glossary: naloxone (The medicine" in entry.comment for entry in new), "the note, for a new language"
    xliff = export_text(ROOT / "content.de.yaml", "xliff")[0]
    assert "Glossary: methadone = Methadon" in xliff
