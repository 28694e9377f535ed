"""Runs of one text → ReportLab paragraph markup: escaping, font fallback per script, language settings.

Everything the content says is escaped here, so no markup written in the YAML is ever
interpreted; the only tags in the output are the ones this module writes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .fonts import FontPlan

_HYPHENATION = {
    "en": "en_US",
    "es": "es",
    "fr": "fr",
    "de": "de_DE",
    "it": "it_IT",
    "pt": "pt_PT",
    "pl": "pl_PL",
    "ru": "ru_RU",
    "nl": "nl_NL",
}
_NO_HYPHENATION = {"ar", "he", "fa", "ur", "zh", "ja", "ko", "vi", "th"}


def hyphenation_lang(lang: str) -> str:
    """The pyphen dictionary for a BCP 47 tag, or '' where words must not be hyphenated."""
    base = lang.split("-")[0].lower()
    if base in _NO_HYPHENATION:
        return ""
    return _HYPHENATION.get(base, "")


def markup_text(text: str, plan: FontPlan) -> str:
    """Escape literal text and switch to a fallback family for characters the main one lacks."""
    if not plan.fallback:
        return escape(text)
    out: list[str] = []
    current = 0
    buf: list[str] = []

    def flush() -> None:
        if not buf:
            return
        chunk = escape("".join(buf))
        out.append(chunk if current == 0 else f"<font name={quoteattr(plan.names[current])}>{chunk}</font>")
        buf.clear()

    for ch in text:
        family = plan.family_of(ch)
        if family != current and not (ch == " " and buf):
            flush()
            current = family
        buf.append(ch)
    flush()
    return "".join(out)


def attr(value: str) -> str:
    """A value quoted and escaped for a markup attribute."""
    return quoteattr(value)
