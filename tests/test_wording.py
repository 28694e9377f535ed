"""brochure check: stigmatizing words and placeholders, each at the line and column of the word itself.

The checks are exercised with a word list of the tests' own (not the shipped one), so a change
to the shipped list cannot make them pass or fail; the shipped list is checked for its shape
and for the false alarms the issue names.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ROOT, TINY, position, write

from brochure.cli import main
from brochure.errors import ContentError
from brochure.source import ignore_marks, parse_yaml
from brochure.wording import DATA, check_wording, load_word_list, shipped_word_list

WORDS = """\
lang: en
stigma:
  - say: person who uses drugs
    avoid: [junkie, junkies, dope fiend]
  - say: testing negative
    avoid: [clean test, clean tests]
exempt:
  - Junkie Relief Fund
placeholders:
  - Acme Clinic
"""

CONTENT = """\
lang: en
title: Quitting
publisher: Acme Clinic
sections:
  - id: one
    heading: Help for junkies
    blocks:
      - text: Junkiehood and junkieness are not words we list. A dope   fiend is.
      - text: The Junkie Relief Fund helps. Ask for two clean tests.
      - text: A junkie may need help.  # brochure: ignore
      - text: A junkie may need help.  # brochure: ignore stigma
      - text: A junkie may need help.  # brochure: ignore placeholder
      - text: See https://www.example.org/junkie or write to help@mail.example.com.[^a]
notes:
  a: The junkie files, a book. https://example.net/book
contact:
  heading: Call us
  lines:
    - label: Front desk
      value: Ask at the front desk
    - label: Clinic
      value: 1-800-555-0142
    - label: Real line
      value: 555-0200
  website: https://examples.org/ok
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, int, str]]:
    folder = tmp_path_factory.mktemp("words")
    words = load_word_list(write(folder, WORDS, "words.yaml"))
    root = parse_yaml(CONTENT, "c.yaml")
    warnings = check_wording(root, ignore_marks(CONTENT), words)
    assert all(w.severity == "warning" for w in warnings)
    return sorted((w.location.line, w.location.col, w.message) for w in warnings)


def _at(needle: str, occurrence: int = 0) -> tuple[int, int]:
    return position(CONTENT, needle, occurrence)


def test_a_listed_word_form_is_reported_at_the_word_with_the_preferred_wording(found) -> None:
    line, col = _at("junkies")
    assert (
        line,
        col,
        "'junkies' can stigmatize people who use drugs; say: person who uses drugs (NIDA, Words Matter)",
    ) in found


def test_a_phrase_matches_across_spacing_and_longer_words_never_match(found) -> None:
    line, col = _at("dope   fiend")
    assert any((ln, c) == (line, col) and "'dope   fiend'" in m for ln, c, m in found)
    assert _at("clean tests")[:2] in [(ln, c) for ln, c, _ in found]
    assert not any("Junkiehood" in m or "junkieness" in m for _, _, m in found), "not a substring match"


def test_proper_names_notes_and_addresses_are_exempt(found) -> None:
    stigma = [(ln, c) for ln, c, m in found if "stigmatize" in m]
    assert _at("Junkie Relief Fund") not in stigma
    assert _at("The junkie files") not in stigma and not any(ln == _at("The junkie files")[0] for ln, _ in stigma)
    assert _at("junkie or write")[0] not in [ln for ln, _ in stigma], "a word inside a web address is not prose"


def test_the_ignore_mark_silences_its_own_line_and_names_one_check(found) -> None:
    lines = [i for i, text in enumerate(CONTENT.splitlines(), start=1) if "A junkie may need help." in text]
    stigma_lines = {ln for ln, _, m in found if "stigmatize" in m}
    assert lines[0] not in stigma_lines and lines[1] not in stigma_lines, "ignore, and ignore stigma"
    assert lines[2] in stigma_lines, "ignore placeholder leaves the stigma check on"


def test_placeholders_are_reported_where_they_are_written(found) -> None:
    places = {(ln, c): m for ln, c, m in found if "placeholder" in m}
    assert "'Acme Clinic' is a placeholder value" in places[_at("Acme Clinic")]
    assert "'555-0142' is a placeholder phone number" in places[_at("555-0142")]
    assert "'www.example.org' is a placeholder address" in places[_at("www.example.org")]
    assert "'mail.example.com'" in places[_at("mail.example.com")]
    assert "'example.net'" in places[_at("example.net")], "notes are checked for placeholders too"
    assert not any("555-0200" in m or "examples.org" in m for m in places.values())


def test_a_contact_line_with_neither_number_nor_address_is_reported(found) -> None:
    line, col = _at("Ask at the front desk")
    assert (line, col, "contact line 'Ask at the front desk' has neither a phone number nor an address") in found
    assert len([m for _, _, m in found if "neither" in m]) == 1


def test_a_badly_shaped_word_list_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "stigma:\n  - avoid: [x]\n", "words.yaml")
    with pytest.raises(ContentError) as error:
        load_word_list(path)
    assert error.value.diagnostics[0].location.line == 2


# ---------------------------------------------------------------- through the command line, shipped list


def test_check_warns_at_the_word_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    text = TINY.replace("More text.[^b]", "Many addicts recover; addiction is treatable.[^b]").replace(
        "555-0100", "1-800-662-4357"
    )
    content = write(tmp_path, text)
    line, col = position(text, "addicts")
    relaxed = CliRunner().invoke(main, ["check", str(content)])
    assert relaxed.exit_code == 0, relaxed.output
    assert f"{content}:{line}:{col}: warning: 'addicts' can stigmatize" in relaxed.stderr
    assert "person with a substance use disorder" in relaxed.stderr
    assert "'addiction'" not in relaxed.stderr
    strict = CliRunner().invoke(main, ["check", "--strict", str(content)])
    assert strict.exit_code == 1
    assert f"{content}:{line}:{col}: error: 'addicts' can stigmatize" in strict.stderr


def test_the_shipped_list_exempts_nidas_name_and_knows_the_samples_publisher() -> None:
    words = shipped_word_list("en-US")
    assert words is not None and words is shipped_word_list("en-US"), "read once"
    text = (
        "lang: en\ntitle: T\npublisher: Community Health Outreach\nsections:\n  - id: a\n    heading: H\n"
        "    blocks:\n      - text: The National Institute on Drug Abuse studies addiction. Needles must be clean.\n"
    )
    warnings = check_wording(parse_yaml(text, "c.yaml"), ignore_marks(text), words)
    assert [(w.location.line, w.location.col) for w in warnings] == [(3, 12)]
    other = shipped_word_list("xx")
    assert other is not None and other.terms == () and "Community Health Outreach" in other.placeholders


def test_the_shipped_sample_has_no_stigmatizing_words_and_one_placeholder_in_each_file() -> None:
    """Checked the way check does it: the sample's own publisher is the one placeholder left."""
    for path in [ROOT / "content.yaml", ROOT / "content-trifold.yaml", *sorted(ROOT.glob("content.*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        root = parse_yaml(text, str(path))
        lang = root.get("lang").value  # type: ignore[union-attr]  # every shipped file has its lang
        warnings = check_wording(root, ignore_marks(text), shipped_word_list(lang))
        assert [w.message for w in warnings if "stigmatize" in w.message] == [], path.name
        publisher = root.get("publisher").value  # type: ignore[union-attr]  # and its publisher
        placeholders = [w.message for w in warnings if "placeholder" in w.message]
        if publisher == "Community Health Outreach":
            assert placeholders == ["'Community Health Outreach' is a placeholder value (listed in words.en.yaml)"]
        else:
            assert placeholders == [], path.name


def test_every_shipped_word_list_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "brochure.data" in config["packages"]
    assert config["package-data"]["brochure.data"] == ["*.yaml"]
    files = sorted(DATA.glob("*.yaml"))
    assert files, "brochure/data holds the word lists"
    for path in files:
        words = load_word_list(path)
        phrases = [p.lower() for t in words.terms for p in t.avoid]
        assert len(phrases) == len(set(phrases)), f"{path.name}: a phrase listed twice"
