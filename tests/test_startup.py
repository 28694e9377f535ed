"""brochure.startup: ReportLab's URL pattern is compiled on first use, and behaves as compiled."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import re, sys
    {first}
    import brochure
    import reportlab.platypus.paragraph as paragraph
    from brochure import startup

    pattern = paragraph.uri_pat
    print(type(pattern).__name__)
    print(any(isinstance(finder, startup._Finder) for finder in sys.meta_path))
    real = re.compile(pattern.pattern, pattern.flags)
    for uri in ["https://example.org/a/b", "www.samhsa.gov", "ftp://[::1]/x", "not a url", "http://bücher.de/"]:
        mine, theirs = pattern.match(uri), real.match(uri)
        assert (mine and mine.groups()) == (theirs and theirs.groups()), uri
    print(paragraph._uri_split_pairs("https://example.org/a/b"))
    print(re.compile.__module__ == "re")  # the wrapper is gone once the module is imported
    """
)


def run(first: str = "") -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(first=first)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_url_pattern_is_deferred_and_matches_as_compiled() -> None:
    kind, finder_left, pairs, compile_restored = run()
    assert kind == "DeferredPattern"
    assert finder_left == "False"  # the finder took itself out of sys.meta_path
    assert "example.org/a/" in pairs  # ReportLab's own use of the pattern still works
    assert compile_restored == "True"


def test_reportlab_imported_first_is_left_as_it_is() -> None:
    kind, finder_left, _, _ = run("import reportlab.platypus.paragraph")
    assert kind == "Pattern"
    assert finder_left == "False"
