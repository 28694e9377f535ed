"""Readability: syllables, sentences, FK and SMOG grades, plain-language warnings (issue 7, items 1 and 4).

Expected grades are worked out by hand in the comments next to them.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brochure.build import load_brochure
from brochure.errors import Location
from brochure.model import (
    DEFAULT_LABELS,
    Block,
    Brochure,
    Bullets,
    Callout,
    Cite,
    Contact,
    ContactLine,
    Labels,
    Link,
    Paragraph,
    Section,
    Strong,
    Subheading,
    Term,
    Terms,
    Text,
)
from brochure.readability import (
    HardSentence,
    ReadabilityReport,
    SectionReading,
    capitals_runs,
    count_syllables,
    fk_grade,
    has_phone_number,
    measure_brochure,
    smog_grade,
    split_sentences,
    words,
)

CONTENT = Path(__file__).resolve().parent.parent / "content.yaml"
HERE = Location("test.yaml", 1, 1)


def at(line: int, col: int = 5) -> Location:
    return Location("test.yaml", line, col)


def para(text: str, line: int = 10) -> Paragraph:
    return Paragraph((Text(text),), at(line))


def section(*blocks: Block, sid: str = "intro", heading: str = "Intro", line: int = 5) -> Section:
    return Section(sid, heading, tuple(blocks), at(line, 3))


def helpline(line: int = 90) -> Contact:
    return Contact(
        "Get help",
        (Text("We are open day and night."),),
        (ContactLine("Helpline", "1-800-662-4357", (Text("Free."),), None, at(line + 1)),),
        None,
        None,
        None,
        None,
        None,
        at(line),
    )


def brochure(*sections: Section, lang: str = "en", contact: Contact | None = None) -> Brochure:
    return Brochure(
        source="test.yaml",
        lang=lang,
        title="Test",
        subtitle=None,
        publisher=None,
        version=None,
        reviewed=None,
        draft=False,
        sections=sections,
        notes=(),
        contact=contact,
        labels=Labels(tuple(DEFAULT_LABELS.items())),
        location=HERE,
    )


def messages(report: ReadabilityReport) -> list[str]:
    return [d.message for d in report.warnings]


# ---------------------------------------------------------------- syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 1),
        ("you", 1),
        ("make", 1),  # silent e
        ("while", 1),  # silent e after vowel + l
        ("table", 2),  # consonant + le keeps its syllable
        ("people", 2),
        ("tables", 2),
        ("used", 1),  # silent -ed
        ("called", 1),
        ("wanted", 2),  # -ted is a syllable
        ("troubled", 2),
        ("makes", 1),  # silent -es
        ("changes", 2),  # -ges is a syllable
        ("safely", 2),  # silent e before -ly
        ("going", 2),
        ("dying", 2),
        ("yawning", 2),  # leading y is a consonant
        ("heroin", 3),  # exception
        ("medicine", 3),
        ("withdrawal", 3),
        ("opioid", 3),
        ("usually", 4),
        ("anxiety", 4),
        ("diarrhea", 4),
        ("naloxone", 3),
        ("buprenorphine", 4),
        ("facilitation", 5),
        ("long-term", 2),  # hyphenated: the sum of its parts
        ("life-threatening", 4),
        ("didn't", 2),
        ("don't", 1),
        ("brain's", 1),
        ("CBT", 3),  # spelled out
        ("1-800-662-4357", 1),  # a number reads as one word
        ("2.5", 1),
    ],
)
def test_syllables_of_known_words(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


def test_words_keep_numbers_abbreviations_and_hyphenated_words_whole() -> None:
    assert words("Call 1-800-662-4357, e.g. in the U.S., for 2.5 long-term help.") == (
        "Call",
        "1-800-662-4357",
        "e.g",
        "in",
        "the",
        "U.S",
        "for",
        "2.5",
        "long-term",
        "help",
    )


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'-", min_size=1))
def test_every_word_has_at_least_one_syllable(text: str) -> None:
    for word in words(text):
        assert count_syllables(word) >= 1


# ---------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stop now. Then rest.", ("Stop now.", "Then rest.")),
        ("Dr. Lee works in the U.S. with you. Ask her.", ("Dr. Lee works in the U.S. with you.", "Ask her.")),
        ("Take it, e.g. with food. Then rest.", ("Take it, e.g. with food.", "Then rest.")),
        ("Mrs. Smith saw Dr. Lee. Then she left.", ("Mrs. Smith saw Dr. Lee.", "Then she left.")),
        ("Call 1-800-662-4357. It is free.", ("Call 1-800-662-4357.", "It is free.")),
        ("Take 2.5 mg at 3 p.m. today. Rest.", ("Take 2.5 mg at 3 p.m. today.", "Rest.")),
        ("Wait 12 hours. 12 is enough.", ("Wait 12 hours.", "12 is enough.")),
        ('He said "stop." Then he left.', ('He said "stop."', "Then he left.")),
        ("Is it safe? Yes! It is.", ("Is it safe?", "Yes!", "It is.")),
        ("Alan I. Leshner edited it.", ("Alan I. Leshner edited it.",)),
        ("See TIP No. 45 for more.", ("See TIP No. 45 for more.",)),
        ("Signs of withdrawal can include:", ("Signs of withdrawal can include:",)),
        ("  ", ()),
    ],
)
def test_split_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert split_sentences(text) == expected


@given(st.text(alphabet="ab AB12.!?\"'-:,\n", max_size=80))
def test_splitting_never_loses_or_splits_a_word(text: str) -> None:
    assert tuple(w for sentence in split_sentences(text) for w in words(sentence)) == words(text)


def test_citations_are_ignored() -> None:
    # "Stop now.[^a] Then rest." reads as "Stop now. Then rest.": 2 sentences, 4 words
    runs = (Text("Stop now."), Cite("a", HERE, 1), Text(" Then "), Strong((Text("rest"),)), Text("."))
    report = measure_brochure(brochure(section(Paragraph(runs, at(10)))))
    assert (report.sections[0].words, report.sections[0].sentences) == (4, 2)


# ---------------------------------------------------------------- grades


def test_fk_formula() -> None:
    # 0.39 * 100/5 + 11.8 * 150/100 - 15.59 = 7.8 + 17.7 - 15.59 = 9.91
    assert fk_grade(100, 5, 150) == pytest.approx(9.91)
    assert fk_grade(0, 0, 0) == 0.0


def test_fk_of_a_known_sentence() -> None:
    # Heroin(3) addiction(3) is(1) a(1) long-term(2) disease(2) of(1) the(1) brain(1):
    # 9 words, 15 syllables, 1 sentence → 0.39 * 9 + 11.8 * 15/9 - 15.59 = 7.5867 → 7.6
    report = measure_brochure(brochure(section(para("Heroin addiction is a long-term disease of the brain."))))
    reading = report.sections[0]
    assert (reading.words, reading.sentences, reading.fk_grade) == (9, 1, 7.6)
    assert reading.hardest == (HardSentence("Heroin addiction is a long-term disease of the brain.", 7.6, at(10)),)
    assert report.overall_fk == 7.6


def test_fk_of_a_known_passage() -> None:
    # The cat sat. / The dog ran away(2). → 7 words, 8 syllables, 2 sentences
    # 0.39 * 3.5 + 11.8 * 8/7 - 15.59 = 1.365 + 13.4857 - 15.59 = -0.739 → -0.7
    reading = measure_brochure(brochure(section(para("The cat sat. The dog ran away.")))).sections[0]
    assert (reading.words, reading.sentences, reading.fk_grade) == (7, 2, -0.7)


def test_smog_is_none_under_ten_sentences() -> None:
    report = measure_brochure(brochure(section(para("Medicine helps. " * 9))))
    assert report.sections[0].sentences == 9
    assert report.sections[0].smog_grade is None
    assert smog_grade(5, 9) is None


def test_smog_from_ten_sentences() -> None:
    # 10 sentences, 10 polysyllables (medicine): 1.0430 * sqrt(10 * 30/10) + 3.1291 = 8.8418 → 8.8
    reading = measure_brochure(brochure(section(para("Medicine helps. " * 10)))).sections[0]
    assert reading.sentences == 10
    assert reading.smog_grade == 8.8
    assert smog_grade(10, 10) == pytest.approx(1.0430 * math.sqrt(30) + 3.1291)


def test_only_sentences_are_measured() -> None:
    # headings, subheadings, bullets, term names and callout titles are left out
    sec = section(
        Subheading("Extraordinarily complicated subheading", at(9)),
        para("The cat sat.", 10),
        Bullets((para("Unbelievably complicated bullet", 12),), at(11)),
        Terms((Term("Buprenorphine naloxone", (Text("A dog ran."),), at(14)),), at(13)),
        Callout("Considerably complicated title", (Text("Call now."),), at(15)),
        heading="Exceptionally complicated heading",
    )
    reading = measure_brochure(brochure(sec)).sections[0]
    assert (reading.words, reading.sentences) == (8, 3)


def test_hardest_sentences_are_the_top_three_with_their_block() -> None:
    sec = section(
        para("It is hard. Methadone treatment is usually outpatient.", 10),
        Terms((Term("Naloxone", (Text("Buprenorphine and naloxone combined in one medicine."),), at(12)),), at(11)),
        Callout(None, (Text("Call now. Get help today."),), at(13)),
    )
    hardest = measure_brochure(brochure(sec)).sections[0].hardest
    assert [h.sentence for h in hardest] == [
        "Methadone treatment is usually outpatient.",
        "Buprenorphine and naloxone combined in one medicine.",
        "Get help today.",
    ]
    assert [h.location for h in hardest] == [at(10), at(12), at(13)]
    assert [h.grade for h in hardest] == sorted((h.grade for h in hardest), reverse=True)


def test_a_section_above_the_target_grade_is_a_warning_naming_its_hardest_sentence() -> None:
    # Withdrawal(3) usually(4) starts(1) within(2) about(2) 12(1) hours(1) after(2) your(1)
    # last(1) use(1) of(1) heroin(3): 13 words, 23 syllables → 5.07 + 20.8769 - 15.59 = 10.4
    # It is hard: 3 words, 3 syllables. Section: 16 words, 2 sentences, 26 syllables
    # → 0.39 * 8 + 11.8 * 26/16 - 15.59 = 3.12 + 19.175 - 15.59 = 6.705 → 6.7
    text = "Withdrawal usually starts within about 12 hours after your last use of heroin. It is hard."
    content = brochure(section(para(text, 20), sid="withdrawal", line=18), contact=helpline())
    assert measure_brochure(content).warnings == ()
    report = measure_brochure(content, target_grade=6)
    assert report.sections[0].fk_grade == 6.7
    (warning,) = report.warnings
    assert warning.message == "section 'withdrawal' reads at grade 6.7 (target 6)"
    assert warning.location == at(18, 3)
    assert warning.severity == "warning"
    assert warning.hint is not None
    assert "Withdrawal usually starts within about 12 hours after your last use of heroin." in warning.hint
    assert "grade 10.4" in warning.hint
    assert str(at(20)) in warning.hint
    assert messages(measure_brochure(content, target_grade=6.5)) == [
        "section 'withdrawal' reads at grade 6.7 (target 6.5)"
    ]


def test_a_section_of_bullets_only_has_no_grade() -> None:
    report = measure_brochure(brochure(section(Bullets((para("Dry mouth", 11),), at(10)))))
    assert report.sections[0].fk_grade is None
    assert report.sections[0].sentences == 0
    assert report.overall_fk is None


# ---------------------------------------------------------------- plain language


def test_a_paragraph_over_60_words_is_a_warning() -> None:
    ok = measure_brochure(brochure(section(para("Go now. " * 30)), contact=helpline()))
    assert ok.warnings == ()
    report = measure_brochure(brochure(section(para("Go now. " * 30 + "Go.", 12)), contact=helpline()))
    (warning,) = report.warnings
    assert warning.message == "paragraph has 61 words (more than 60)"
    assert warning.location == at(12)
    assert warning.severity == "warning"


def test_long_callouts_and_term_explanations_are_warnings_too() -> None:
    long = (Text("Take it. " * 31),)  # 62 words
    sec = section(Callout("Title", long, at(10)), Terms((Term("Methadone", long, at(12)),), at(11)))
    assert messages(measure_brochure(brochure(sec, contact=helpline()))) == [
        "callout has 62 words (more than 60)",
        "explanation of 'Methadone' has 62 words (more than 60)",
    ]


def test_capitals_runs() -> None:
    assert capitals_runs("Get help from HIV, CBT and SAMHSA services.") == ()
    assert capitals_runs("HIV CBT SAMHSA") == ()  # three acronyms in a row are fine
    assert capitals_runs("See HIV CBT SAMHSA NIDA pages.") == ("HIV CBT SAMHSA NIDA",)
    assert capitals_runs("Please CALL 911 NOW OR ELSE. Thanks.") == ("CALL 911 NOW OR ELSE",)
    assert capitals_runs("DO NOT QUIT ALONE") == ("DO NOT QUIT ALONE",)
    assert capitals_runs("DO NOT quit ALONE") == ()


def test_capitals_anywhere_in_a_section_are_warnings_at_their_block() -> None:
    sec = section(
        para("Call us. It is free.", 10),
        Bullets((para("Dry mouth", 12), para("DO NOT QUIT ALONE", 13)), at(11)),
        heading="WHAT YOU NEED TO KNOW",
        line=5,
    )
    report = measure_brochure(brochure(sec, contact=helpline()))
    assert [(d.location, d.message) for d in report.warnings] == [
        (at(5, 3), "5 words in a row in capitals: 'WHAT YOU NEED TO KNOW'"),
        (at(13), "4 words in a row in capitals: 'DO NOT QUIT ALONE'"),
    ]


def test_phone_numbers() -> None:
    for text in ("call 1-800-662-4357", "888-319-2606", "(555) 123-4567", "+44 20 7946 0958", "call or text 988"):
        assert has_phone_number(text), text
    for text in ("Reviewed 2026-11-25", "Take 2.5 mg", "within 12 hours", "24/7 support", "TIP 63, 2018"):
        assert not has_phone_number(text), text


def test_no_contact_block_and_no_call_to_action() -> None:
    report = measure_brochure(brochure(section(para("It is free."))))
    assert [(d.location, d.message) for d in report.warnings] == [
        (HERE, "brochure has no contact block"),
        (HERE, "brochure has no call to action: no contact lines and no phone number"),
    ]
    assert all(d.severity == "warning" for d in report.warnings)


def test_a_phone_number_in_the_text_is_a_call_to_action() -> None:
    for text in ("For help, call 1-800-662-4357.", "Call 911 right away."):
        report = measure_brochure(brochure(section(para(text))))
        assert messages(report) == ["brochure has no contact block"]
    link = Paragraph((Link("tel:+18006624357", (Text("our helpline"),)),), at(10))
    assert messages(measure_brochure(brochure(section(link)))) == ["brochure has no contact block"]


def test_a_contact_block_without_lines_or_numbers_has_no_call_to_action() -> None:
    empty = Contact("Get help", (Text("Ask us."),), (), None, None, None, None, None, at(90))
    assert messages(measure_brochure(brochure(section(para("It is free.")), contact=empty))) == [
        "brochure has no call to action: no contact lines and no phone number"
    ]


# ---------------------------------------------------------------- other languages and the table


def test_other_languages_are_not_measured() -> None:
    content = brochure(section(para("palabra " * 70), heading="NO DEJE DE LEER ESTO"), lang="es")
    report = measure_brochure(content)
    assert (report.lang, report.measured, report.sections, report.overall_fk) == ("es", False, (), None)
    assert "not measured for es" in report.table()
    # word counts are English-only; capitals and the contact checks are not
    assert messages(report) == [
        "5 words in a row in capitals: 'NO DEJE DE LEER ESTO'",
        "brochure has no contact block",
        "brochure has no call to action: no contact lines and no phone number",
    ]


def test_table() -> None:
    report = ReadabilityReport(
        "en",
        True,
        (
            SectionReading("intro", "Intro", 12, 2, 3.5, None, ()),
            SectionReading("withdrawal", "Withdrawal", 150, 12, 9.4, 10.2, ()),
        ),
        8.1,
        (),
    )
    lines = report.table().splitlines()
    assert [line.split() for line in lines] == [
        ["section", "words", "sentences", "FK", "SMOG"],
        ["intro", "12", "2", "3.5", "-"],
        ["withdrawal", "150", "12", "9.4", "10.2"],
        ["overall", "162", "14", "8.1"],
    ]
    # the section ids are left-aligned, the numbers right-aligned under their headings
    ends = [[m.end() for m in re.finditer(r"\S+", line)] for line in lines]
    assert ends[1][1:] == ends[2][1:] == ends[0][1:]
    assert ends[3][1:] == ends[0][1:4]
    assert all(line[0] != " " for line in lines)


# ---------------------------------------------------------------- the shipped content


def test_every_section_of_the_shipped_content_is_measured(capsys: pytest.CaptureFixture[str]) -> None:
    content, _ = load_brochure(CONTENT)
    report = measure_brochure(content)
    assert report.measured
    assert [s.id for s in report.sections] == [s.id for s in content.sections]
    for reading in report.sections:
        assert reading.sentences > 0, reading.id
        assert reading.words > reading.sentences, reading.id
        assert reading.fk_grade is not None, reading.id
        assert (reading.smog_grade is None) == (reading.sentences < 10), reading.id
        assert 1 <= len(reading.hardest) <= 3, reading.id
    assert report.overall_fk is not None
    assert len(report.table().splitlines()) == len(content.sections) + 2
    assert capsys.readouterr() == ("", "")
