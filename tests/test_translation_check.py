"""`brochure check` on translations: invariants without false alarms, and messages a translator can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from brochure.cli import main
from brochure.content import TOP_KEYS, TRANSLATION_KEYS
from brochure.model import DEFAULT_LABELS
from brochure.source import Scalar, ignore_marks
from brochure.translations import (
    align,
    compare_translation,
    find_invariants,
    mark_current,
    word_diff,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = sorted(ROOT.glob("content.*.yaml"))

ENGLISH = """\
lang: en
title: Quitting
sections:
  - id: help
    heading: Getting help
    blocks:
      - text: The helpline opened in March 2023 and is open 24/7, every day of the year.[^line]
      - text: Withdrawal starts within 12 hours and lasts 3 to 5 days. Call 1-800-662-4357 or 988.
      - text: A nasal spray holds 4 mg of naloxone. See https://www.samhsa.gov/ or write to help@example.org.
notes:
  line: SAMHSA. National Helpline.
contact:
  heading: Get help
  lines:
    - label: Crisis line
      value: "988"
labels:
""" + "".join(f"  {key}: {value}\n" for key, value in DEFAULT_LABELS.items())

# Each translation writes the date, the count and the time its own way; every invariant is kept.
LANGUAGE_WAY = {
    "ja": (
        "2023年3月に開設され、24時間365日、年中無休で利用できます。[^line]",
        "離脱症状は12時間以内に始まり、3〜5日続きます。1-800-662-4357または988に電話してください。",
        "点鼻薬には4mgのナロキソンが入っています。"
        "https://www.samhsa.gov/ を見るか、help@example.org に書いてください。",
    ),
    "zh-Hans": (
        "这条热线于2023年3月开通，全年无休，每天24小时开放。[^line]",
        "戒断症状在12小时内开始，持续三到五天。请拨打1-800-662-4357或988。",
        "一支鼻喷剂含有4毫克纳洛酮。请访问https://www.samhsa.gov/，或写信到help@example.org。",
    ),
    "ko": (
        "상담 전화는 2023년 3월에 개설되었고 연중무휴 24시간 운영됩니다.[^line]",
        "금단 증상은 12시간 이내에 시작되어 3~5일 동안 계속됩니다. 1-800-662-4357 또는 988번으로 전화하세요.",
        "비강 스프레이 한 개에는 날록손 4mg이 들어 있습니다. "
        "https://www.samhsa.gov/ 를 보거나 help@example.org 로 문의하세요.",
    ),
    "ar": (
        "افتُتح خط المساعدة في مارس ٢٠٢٣ ويعمل على مدار الساعة طوال أيام الأسبوع.[^line]",
        "تبدأ أعراض الانسحاب خلال ١٢ ساعة وتستمر من ثلاثة إلى خمسة أيام. اتصل بالرقم 1-800-662-4357 أو 988.",
        "يحتوي بخاخ الأنف على ٤ ملغ من النالوكسون. راجع https://www.samhsa.gov/ أو اكتب إلى help@example.org.",
    ),
}


def _translation(lang: str, texts: tuple[str, str, str], *, record: bool = True, source: str = "content.yaml") -> str:
    lines = [f"lang: {lang}", "title: T"]
    if record:
        lines += ["translation:", f"  source: {source}"]
        if "reviewed" in TRANSLATION_KEYS:  # before the review record replaced it
            lines += ['  reviewed: "no"']
    if "review" in TOP_KEYS:
        lines += ["review:", "  status: draft"]
    lines += ["sections:", "  - id: help", "    heading: H", "    blocks:"]
    lines += [f'      - text: "{text}"' for text in texts]
    lines += ["notes:", "  line: SAMHSA. National Helpline.", "contact:", "  heading: G", "  lines:"]
    lines += ["    - label: L", '      value: "988"', "labels:"]
    lines += [f"  {key}: {lang}-{key}" + (" {page} {pages}" if key == "page" else "") for key in DEFAULT_LABELS]
    text = "\n".join(lines) + "\n"
    text = text.replace(f"{lang}-reviewed", f"{lang} {{date}}").replace(f"{lang}-version", f"{lang} {{version}}")
    return text.replace(f"{lang}-overdose", f"{lang} {{emergency}}")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "content.yaml").write_text(ENGLISH, encoding="utf-8")
    return tmp_path


def _write(folder: Path, lang: str, text: str, *, marked: bool = True) -> Path:
    path = folder / f"content.{lang}.yaml"
    path.write_text(text, encoding="utf-8")
    if marked:
        lock, content, _ = mark_current(path)
        lock.write_text(content, encoding="utf-8")
    return path


def _messages(path: Path, *, strict: bool = False) -> list[str]:
    report = compare_translation(path, strict=strict)
    return [d.format() for d in (*report.errors, *report.warnings)]


# ---------------------------------------------------------------- no false alarms


@pytest.mark.parametrize("lang", sorted(LANGUAGE_WAY))
def test_dates_counts_and_times_written_the_languages_way_are_not_errors(folder: Path, lang: str) -> None:
    path = _write(folder, lang, _translation(lang, LANGUAGE_WAY[lang]))
    assert _messages(path, strict=True) == []
    result = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert "English" not in result.stderr, result.stderr  # (fonts for every script are another matter)


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_every_shipped_translation_passes_the_strict_comparison(path: Path) -> None:
    assert _messages(path, strict=True) == []


@pytest.mark.parametrize(
    ("lang", "index", "old", "new", "expected"),
    [
        ("ja", 1, "-4357", "-4358", "phone number 1-800-662-4357 of the English (sections/help/blocks/2/text) is"),
        ("ko", 1, "988번", "998번", "phone number 988 of the English (sections/help/blocks/2/text) is missing"),
        ("zh-Hans", 2, "https://www.samhsa.gov/", "https://www.samhsa.org/", "web address https://www.samhsa.gov/"),
        ("ar", 2, "help@example.org", "info@example.org", "e-mail address help@example.org"),
        ("ja", 2, "4mg", "40mg", "dose 4 mg of the English"),
        ("zh-Hans", 0, "[^line]", "", "citation [^line] of the English"),
    ],
)
def test_a_changed_invariant_is_an_error_at_its_place(
    folder: Path, lang: str, index: int, old: str, new: str, expected: str
) -> None:
    texts = list(LANGUAGE_WAY[lang])
    assert old in texts[index]
    texts[index] = texts[index].replace(old, new)
    path = _write(folder, lang, _translation(lang, (texts[0], texts[1], texts[2])))
    report = compare_translation(path)
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert expected in error.message
    line = path.read_text(encoding="utf-8").splitlines()[error.location.line - 1]
    assert texts[index] in line
    if "is written" in error.message:  # placed at the changed text itself
        assert line[error.location.col - 1 :].startswith(error.message.rpartition(" is written ")[2].split()[0])
    else:  # a short number that is not a phone number any more: at the entry
        assert line[error.location.col - 1 :].startswith('"')


def test_an_added_phone_number_is_an_error(folder: Path) -> None:
    texts = list(LANGUAGE_WAY["ja"])
    texts[0] += " 1-800-273-8255"
    path = _write(folder, "ja", _translation("ja", (texts[0], texts[1], texts[2])))
    assert any("phone number 1-800-273-8255 is not in the English" in m for m in _messages(path))


def test_a_deliberate_difference_is_marked_at_its_line(folder: Path) -> None:
    texts = list(LANGUAGE_WAY["ja"])
    texts[1] = texts[1].replace("1-800-662-4357", "0120-000-000")
    text = _translation("ja", (texts[0], texts[1], texts[2]))
    path = _write(folder, "ja", text)
    assert compare_translation(path).errors
    marked = text.replace(f'"{texts[1]}"', f'"{texts[1]}"  # brochure: ignore invariant')
    path.write_text(marked, encoding="utf-8")
    assert compare_translation(path).errors == ()
    other_rule = text.replace(f'"{texts[1]}"', f'"{texts[1]}"  # brochure: ignore stigma')
    path.write_text(other_rule, encoding="utf-8")
    assert compare_translation(path).errors, "a mark naming another rule silences only that rule"


def test_ignore_marks_are_comments_only() -> None:
    marks = ignore_marks(
        "a: x  # brochure: ignore\nb: y #brochure: ignore stigma\nc: https://x.org/#brochure: ignore\n"
        "d: |\n  line one\n  line two  # not a mark\n"
    )
    assert marks.lines == {1: frozenset(), 2: frozenset({"stigma"})}
    from brochure.errors import Location

    two_lines = Scalar("x y", Location("f", 1, 4), False, "x\n  y")
    assert marks.silences(two_lines, "anything")
    assert not marks.silences(Scalar("y", Location("f", 2, 4), False, "y"), "invariant")
    assert marks.silences(Scalar("y", Location("f", 2, 4), False, "y"), "stigma")


@given(st.text(alphabet="0123456789年月日時間分 /-.", max_size=30))
def test_dates_and_counts_without_separators_of_a_phone_number_are_never_invariants(text: str) -> None:
    for invariant in find_invariants(text):
        assert sum(ch.isdigit() for ch in invariant.text) >= 5
        assert invariant.kind == "phone"


# ---------------------------------------------------------------- messages


def test_outdated_entry_shows_the_change_word_by_word_with_context(folder: Path) -> None:
    path = _write(folder, "ja", _translation("ja", LANGUAGE_WAY["ja"]))
    english = folder / "content.yaml"
    long_old = "A nasal spray holds 4 mg of naloxone. See https://www.samhsa.gov/ or write to help@example.org."
    long_new = long_old.replace("write to", "send an e-mail to")
    english.write_text(ENGLISH.replace(long_old, long_new), encoding="utf-8")
    report = compare_translation(path)
    assert report.outdated == 1
    (warning,) = report.warnings
    assert "sections/help/blocks/3/text is outdated" in warning.message
    assert "[-write-] {+send an e-mail+}" in warning.message
    assert "https://www.samhsa.gov/ or" in warning.message and "to help@example.org." in warning.message
    line = path.read_text(encoding="utf-8").splitlines()[warning.location.line - 1]
    assert LANGUAGE_WAY["ja"][2] in line


def test_word_diff_keeps_context_around_each_change_and_cuts_the_rest() -> None:
    words = [f"w{i}" for i in range(60)]
    new = [*words]
    new[5], new[50] = "five", "fifty"
    diff = word_diff(" ".join(words), " ".join(new), context=4)
    assert diff.startswith("… w1 w2 w3 w4 [-w5-] {+five+} w6 w7 w8 w9 … w46 w47 w48 w49 [-w50-] {+fifty+}")
    assert diff.endswith("w51 w52 w53 w54 …")
    assert len(diff) < 200


def test_an_extra_item_is_reported_at_the_item(folder: Path) -> None:
    path = ROOT / "content.ru.yaml"
    copy = _copy_shipped(folder, path)
    lines = copy.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.strip() == "- bullets:")
    lines.insert(first + 4, "          - Очень сильная головная боль, которая не проходит несколько часов подряд\n")
    copy.write_text("".join(lines), encoding="utf-8")
    report = compare_translation(copy)
    (error,) = report.errors
    assert error.location.line == first + 5
    assert "seems extra" in error.message and "Очень сильная головная боль" in error.message
    assert "this list has 8 items, the English 7" in error.message
    assert report.extra == 1 and report.missing == 0


def test_a_missing_item_is_reported_where_it_belongs(folder: Path) -> None:
    copy = _copy_shipped(folder, ROOT / "content.ru.yaml")
    lines = copy.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "Затуманенное мышление" in line)
    del lines[index]
    copy.write_text("".join(lines), encoding="utf-8")
    report = compare_translation(copy)
    (error,) = report.errors
    assert "item 6 of the English sections/effects/blocks/3/bullets seems to have no translation" in error.message
    assert "cloudy thinking" in error.message.lower()
    assert "before this item" in error.message and error.location.line == index + 1
    assert report.missing == 1


def test_alignment_pairs_items_by_length_and_invariants() -> None:
    english = ["short", "a much longer item about withdrawal symptoms", "call 1-800-662-4357", "tiny"]
    translated = ["corto", "un elemento mucho más largo sobre los síntomas", "llame al 1-800-662-4357", "x", "mini"]
    assert (None, 3) in align(english, translated, 1.1)


def test_a_file_without_a_translation_record_is_compared_with_a_warning(folder: Path) -> None:
    texts = list(LANGUAGE_WAY["ko"])
    texts[1] = texts[1].replace("1-800-662-4357", "1-800-662-4350")
    path = _write(folder, "ko", _translation("ko", (texts[0], texts[1], texts[2]), record=False))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "no translation: record; compared with content.yaml" in result.stderr
    assert "phone number 1-800-662-4357 of the English" in result.stderr


def test_a_translation_without_its_source_is_a_warning_naming_what_was_not_compared(folder: Path) -> None:
    path = _write(folder, "ar", _translation("ar", LANGUAGE_WAY["ar"], source="english.yaml"), marked=False)
    report = compare_translation(path)
    (warning,) = report.warnings
    assert "not compared with the English" in warning.message and "english.yaml (no such file)" in warning.message
    assert "phone numbers" in warning.message and "outdated entries" in warning.message
    assert not report.compared
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
    result = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert result.exit_code == 1 and "error: not compared" in result.stderr


def test_every_missing_label_is_listed_with_the_english_it_would_print(folder: Path) -> None:
    text = _translation("ja", LANGUAGE_WAY["ja"])
    for key in ("contents", "my_notes", "hours", "draft"):
        text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(f"  {key}:"))
    path = _write(folder, "ja", text)
    messages = _messages(path)
    for key in ("contents", "my_notes", "hours", "draft"):
        assert any(f"label '{key}' is missing" in m and DEFAULT_LABELS[key] in m for m in messages), key
    assert len(messages) == 4
    strict = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.stderr.count("error: label") == 4
    assert "using English" not in strict.stderr, "each missing label is said once"


def test_a_label_left_in_english_is_an_error_under_strict(folder: Path) -> None:
    text = _translation("ja", LANGUAGE_WAY["ja"]).replace("ja-contents", "In this guide")
    path = _write(folder, "ja", text)
    (warning,) = compare_translation(path).warnings
    assert "labels/contents is the English text unchanged" in warning.message
    assert compare_translation(path, strict=True).errors
    path.write_text(text.replace("In this guide", "In this guide  # brochure: ignore english"), encoding="utf-8")
    assert compare_translation(path, strict=True).errors == ()


def _copy_shipped(folder: Path, path: Path) -> Path:
    for name in ("content.yaml", path.name, path.with_suffix(".lock").name):
        shutil.copy(ROOT / name, folder / name)
    return folder / path.name
