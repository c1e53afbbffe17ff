"""Making text from run files inert, and formatting numbers, for every report."""

from __future__ import annotations

import math
import re
import unicodedata

MAX_TEXT_LENGTH = 200
ELLIPSIS = "…"
MISSING_VALUE = "—"

# A zero-width joiner after "@" (and "#") keeps the character visible but stops
# GitHub from reading "@name" as a mention (or "#12" as an issue reference, which
# cross-links the comment into that issue). An HTML entity would not: GitHub
# looks for mentions in the rendered text, after entities are decoded.
REFERENCE_BREAKER = "\u200d"
_REFERENCE_SIGILS = frozenset("@#")

# Bidirectional overrides can make a name display as something else, and a lone
# surrogate (which JSON input can carry) cannot be written out as UTF-8 at all.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
# The characters that can start Markdown or GitHub markup inside a line: code, emphasis,
# strike-through, links, raw HTML and autolinks, entities, table cells, math, references.
# Other punctuation (. , : / ( ) - + = ...) is left alone so the raw text stays readable
# in a terminal; the block markers among them only matter at the start, handled below.
_ESCAPED = frozenset("\\`*_~[]<&|$@#")
_BLOCK_MARKER = re.compile(r"^(?:[>+=-]|\d{1,9}[.)](?=\s|$))")


def _is_control(char: str) -> bool:
    return char in _BIDI_CONTROLS or unicodedata.category(char) in _CONTROL_CATEGORIES


def one_line(text: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """``text`` on one line: control characters become spaces, the ends are stripped,
    and anything longer than ``max_length`` is cut and ends in "…"."""
    flat = "".join(" " if _is_control(char) else char for char in text).strip()
    if len(flat) > max_length:
        return flat[: max_length - 1] + ELLIPSIS
    return flat


def md_escape(text: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """``text`` as inert GitHub-flavoured Markdown, safe inside a table cell too.

    The rendered result shows ``one_line(text)`` literally: no markup, links, raw
    HTML, table columns, mentions or issue references. Only an invisible
    zero-width joiner after each "@" and "#" is added; text that holds an address
    (``sqlite:///mlflow.db``) becomes a code span instead, so it copies as it is.
    """
    flat = one_line(text, max_length)
    if ("://" in flat or "www." in flat) and "|" not in flat:
        return code_span(flat)
    escaped: list[str] = []
    for index, char in enumerate(flat):
        if char == "_" and _inside_word(flat, index):
            escaped.append(char)  # `val_loss`: an underscore inside a word cannot emphasise
        elif char == "<" and not _opens_tag(flat, index):
            escaped.append(char)  # `p <= 0.05`: only `<x`, `</`, `<!`, `<?` start HTML or links
        elif char in _ESCAPED:
            escaped.append("\\" + char)
            if char in _REFERENCE_SIGILS:
                escaped.append(REFERENCE_BREAKER)
        else:
            escaped.append(char)
    result = _break_autolinks("".join(escaped))
    # At the start of a list item, "> x", "- x", "+ x" or "1. x" would open a nested block.
    if match := _BLOCK_MARKER.match(result):
        end = match.end()
        result = f"{result[: end - 1]}\\{result[end - 1 :]}"
    return result


def code_span(text: str) -> str:
    """``text`` as a code span: shown literally, never linked or mentioned, and copied as
    it is (an address with an invisible joiner in it would not paste). The fence is one
    backtick longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _break_autolinks(text: str) -> str:
    """GitHub links bare ``http://...`` and ``www....``; a zero-width joiner stops it
    (used only where a code span cannot be: in text with a table pipe in it)."""
    return text.replace("://", ":" + REFERENCE_BREAKER + "//").replace(
        "www.", "www" + REFERENCE_BREAKER + "."
    )


def _opens_tag(text: str, index: int) -> bool:
    following = text[index + 1 : index + 2]
    return following.isalpha() or following in ("/", "!", "?")


def _inside_word(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def fmt_num(value: float | None, digits: int = 4, *, signed: bool = False) -> str:
    """``value`` to ``digits`` significant digits; integers too large for that stay whole."""
    if value is None:
        return MISSING_VALUE
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "0"  # also turns -0.0 into "0"
    sign = "+" if signed else ""
    if abs(value) >= 10**digits:
        return f"{value:{sign}.0f}"
    return f"{value:{sign}.{digits}g}"


def fmt_pct(percent: float | None, *, signed: bool = False) -> str:
    """A value already in percent (``-5.43`` -> ``"-5.4%"``)."""
    if percent is None or not math.isfinite(percent):
        return fmt_num(percent)
    if percent == 0:
        return "0%"
    sign = "+" if signed else ""
    if abs(percent) >= 1:
        return f"{percent:{sign}.1f}%"
    return f"{percent:{sign}.2g}%"


def fmt_level(fraction: float | None) -> str:
    """A confidence level given as a fraction (``0.9`` -> ``"90%"``)."""
    if fraction is None or not math.isfinite(fraction):
        return fmt_num(fraction)
    return f"{fraction * 100:.4g}%"


def fmt_p(p_value: float | None) -> str:
    """A p-value: ``"<0.001"`` below 0.001, otherwise three decimals."""
    if p_value is None or math.isnan(p_value):
        return fmt_num(p_value)
    if p_value < 0.001:
        return "<0.001"
    return f"{p_value:.3f}"
