"""The glossary: terms translated the same way everywhere, checked by `check` and carried in the exports."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from support import TINY

from brochure.cli import main
from brochure.errors import BrochureError, ContentError
from brochure.exchange import export_text
from brochure.glossary import MAX_FORMS, MAX_TERM_LENGTH, MAX_TERMS, load_glossary
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


# ---------------------------------------------------------------- hostile glossary files (issue 16)

ES_TINY = TINY.replace("lang: en\n", "lang: es\ntranslation:\n  source: content.yaml\n")


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """A tiny English file and its Spanish translation, with a glossary of one term each."""
    (tmp_path / "content.yaml").write_text(TINY, encoding="utf-8")
    (tmp_path / "content.es.yaml").write_text(ES_TINY, encoding="utf-8")
    (tmp_path / "glossary.yaml").write_text("terms:\n  world: The planet.\n", encoding="utf-8")
    (tmp_path / "glossary.es.yaml").write_text("lang: es\nterms:\n  world: world\n", encoding="utf-8")
    return tmp_path


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.with_name("other.yaml"))
    path.with_name("other.yaml").symlink_to(path)


HOSTILE: list[tuple[str, object, str]] = [
    ("broken YAML", "terms:\n  world: [The planet\n", "2:10: error: YAML syntax: expected ',' or ']'"),
    ("unknown key", "terms:\n  world: x\nterm:\n  y: z\n", "3:1: error: unknown key 'term' in a glossary"),
    ("huge", "terms:\n" + "  world: " + "x" * (3 * 1024 * 1024) + "\n", "1:1: error: the file is too large"),
    ("control character", "terms:\n  world: x\x07\n", "2:11: error: control character U+0007 is not allowed"),
    ("noncharacter", "terms:\n  world: x\ufdd0\n", "2:11: error: noncharacter U+FDD0 is not allowed"),
    ("empty term", 'terms:\n  "": x\n', "2:3: error: a glossary term cannot be empty"),
    ("terms as a list", "terms:\n  - world\n", "2:3: error: terms must be a mapping"),
    ("too many terms", "terms:\n" + "".join(f"  t{i}: x\n" for i in range(MAX_TERMS + 1)), "2:3: error: the glossary"),
    ("FIFO", _fifo, "1:1: error: is a named pipe or a socket, not a file"),
    ("link loop", _loop, "1:1: error: cannot read the file: Too many levels of symbolic links"),
    ("folder", Path.mkdir, "1:1: error: is a folder, not a file"),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("which", ["glossary.yaml", "glossary.es.yaml"])
@pytest.mark.parametrize(("make", "expected"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_a_hostile_glossary_is_a_located_error_not_a_hang_or_a_traceback(tiny, monkeypatch, which, make, expected):
    path = tiny / which
    path.unlink()
    if isinstance(make, str):
        text = make if which == "glossary.yaml" else "lang: es\n" + make
        path.write_text(text, encoding="utf-8")
        if which == "glossary.es.yaml":  # one line more above: a place in the file moves down by one
            line, rest = expected.split(":", 1)
            expected = f"{int(line) + (line != '1')}:{rest}"
    else:
        make(path)
    monkeypatch.chdir(tiny)
    result = CliRunner().invoke(main, ["check", "content.es.yaml"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert f"{which}:{expected}" in result.output, result.output


def test_every_problem_of_both_glossaries_is_reported_in_one_run(tiny: Path) -> None:
    (tiny / "glossary.yaml").write_text('terms:\n  world: [a, b]\n  "  ": x\n', encoding="utf-8")
    (tiny / "glossary.es.yaml").write_text("lang: fr\nextra: 1\nterms:\n  world: ''\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_glossary(tiny, tiny, "es")
    found = [(Path(d.location.file).name, d.location.line, d.location.col, d.message) for d in caught.value.diagnostics]
    assert found == [
        ("glossary.yaml", 3, 3, "a glossary term cannot be empty"),
        ("glossary.yaml", 2, 10, "the note on 'world' must be text, found a list"),
        ("glossary.es.yaml", 1, 7, "lang is 'fr', but glossary.es.yaml is the es glossary"),
        ("glossary.es.yaml", 2, 1, "unknown key 'extra' in a glossary (terms, lang)"),
        ("glossary.es.yaml", 4, 10, "'world' needs its translation, or a list of them"),
    ]


def test_a_broken_english_glossary_still_lets_the_languages_problems_be_reported(tiny: Path) -> None:
    (tiny / "glossary.yaml").write_text("terms:\n  world: [a\n", encoding="utf-8")
    (tiny / "glossary.es.yaml").write_text("lang: es\nterms: x\n", encoding="utf-8")
    with pytest.raises(BrochureError) as caught:
        load_glossary(tiny, tiny, "es")
    assert [(Path(d.location.file).name, d.location.line) for d in caught.value.diagnostics] == [
        ("glossary.yaml", 2),
        ("glossary.es.yaml", 2),
    ]


@pytest.mark.parametrize(
    ("forms", "message"),
    [
        ("[" + ", ".join(f"f{i}" for i in range(MAX_FORMS + 1)) + "]", f"lists {MAX_FORMS + 1} forms; the limit"),
        ("x" * (MAX_TERM_LENGTH + 1), f"over the limit of {MAX_TERM_LENGTH} characters"),
    ],
)
def test_translated_forms_have_stated_limits(tiny: Path, forms: str, message: str) -> None:
    (tiny / "glossary.es.yaml").write_text(f"lang: es\nterms:\n  world: {forms}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_glossary(tiny, tiny, "es")
    (problem,) = caught.value.diagnostics
    assert (problem.location.line, problem.location.col) == (3, 10) and message in problem.message
