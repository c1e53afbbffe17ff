from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.markdown_tokens import UNSAFE_TOKEN_TYPES, all_tokens, parse_markdown

from gate.report.escape import (
    MAX_TEXT_LENGTH,
    REFERENCE_BREAKER,
    fmt_level,
    fmt_num,
    fmt_p,
    fmt_pct,
    md_escape,
    one_line,
)

# Every code point (lone surrogates included), and text dense in Markdown syntax
markdown_pieces = [
    *"|\\`*_[]()<>#!&@~-+=.:;'\"/$^{}\n\t a1",
    "http://x",
    "www.x.io",
    "&amp;",
    "<b>",
]
any_text = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.lists(st.sampled_from(markdown_pieces)).map("".join),
)


def is_address(text: str) -> bool:
    """Text the escape shows as a code span: it holds an address, and no table pipe."""
    flat = one_line(text)
    return ("://" in flat or "www." in flat) and "|" not in flat


def shown(text: str) -> str:
    """What the rendered escape of ``text`` should display."""
    if is_address(text):
        return one_line(text)  # as it is, so that it copies as it is
    return (
        one_line(text)
        .replace("@", "@" + REFERENCE_BREAKER)
        .replace("#", "#" + REFERENCE_BREAKER)
        .replace("://", ":" + REFERENCE_BREAKER + "//")
        .replace("www.", "www" + REFERENCE_BREAKER + ".")
    )


def test_escapes_ascii_punctuation() -> None:
    assert md_escape("a|b*c_d _e_") == r"a\|b\*c_d \_e\_"
    assert md_escape("lr=0.001 (seed: 3/5)") == "lr=0.001 (seed: 3/5)"
    assert md_escape("- item") == r"\- item"
    assert md_escape("12) x") == r"12\) x"
    assert md_escape("$x$ ~y~ &amp; `z`") == r"\$x\$ \~y\~ \&amp; \`z\`"
    assert md_escape("\\") == "\\\\"
    assert md_escape("<script>") == r"\<script>"
    assert md_escape("p <= 0.05, a<b, 1 < 2 > 0") == r"p <= 0.05, a\<b, 1 < 2 > 0"
    assert md_escape("> quoted") == r"\> quoted"
    assert md_escape("0.001") == "0.001"
    assert md_escape("1. first") == r"1\. first"
    assert md_escape("plain words 42") == "plain words 42"


def test_addresses_are_code_spans_that_copy_as_they_are() -> None:
    assert md_escape("sqlite:///mlflow.db") == "`sqlite:///mlflow.db`"
    assert md_escape("see http://evil.example @me") == "`see http://evil.example @me`"
    assert md_escape("`www.x` ``y``") == "``` `www.x` ``y`` ```"
    # A table pipe cannot go inside a code span, so there the link is broken instead.
    assert md_escape("a|http://evil.example") == "a\\|http:\u200d//evil.example"


def test_breaks_mentions_and_issue_references() -> None:
    assert md_escape("@octocat") == "\\@\u200doctocat"
    assert md_escape("#12") == "\\#\u200d12"


def test_control_characters_become_spaces() -> None:
    assert md_escape("a\nb\rc\td\x00e\x1bf\x7fg\u2028h\u202ei") == "a b c d e f g h i"
    assert one_line(" \n padded\t") == "padded"


def test_lone_surrogates_become_spaces() -> None:
    assert one_line("a\ud800b") == "a b"


def test_long_text_is_cut() -> None:
    cut = one_line("x" * 500)
    assert len(cut) == MAX_TEXT_LENGTH
    assert cut.endswith("…")
    assert one_line("x" * MAX_TEXT_LENGTH) == "x" * MAX_TEXT_LENGTH
    assert md_escape("|" * 10, max_length=5) == r"\|\|\|\|…"


def _only_cell(markdown_cell: str, *, literal: str) -> str:
    """The cell's text; ``literal``: the one child type allowed (text, or one code span)."""
    tokens = parse_markdown(f"| head |\n|--|\n| {markdown_cell} |\n")
    types = [token.type for token in all_tokens(tokens)]
    assert types.count("th_open") == 1
    assert types.count("td_open") == 1
    assert not (UNSAFE_TOKEN_TYPES - {literal}).intersection(types)
    cell = tokens[[token.type for token in tokens].index("td_open") + 1]
    children = cell.children or []
    assert all(child.type == literal for child in children), children
    if literal == "code_inline":
        assert len(children) == 1, children
    return "".join(child.content for child in children)


@given(any_text)
def test_escaped_text_is_exactly_one_literal_table_cell(text: str) -> None:
    literal = "code_inline" if is_address(text) else "text"
    assert _only_cell(md_escape(text), literal=literal) == shown(text)


@given(any_text)
def test_escaped_text_starts_no_block(text: str) -> None:
    escaped = md_escape(text)
    tokens = parse_markdown(f"- {escaped}\n")
    types = [token.type for token in all_tokens(tokens)]
    assert types.count("bullet_list_open") == 1
    assert not {"heading_open", "hr", "ordered_list_open", "blockquote_open"}.intersection(types)
    allowed = {"code_inline"} if is_address(text) else set()
    assert not (UNSAFE_TOKEN_TYPES - allowed).intersection(types)
    inline = [token for token in tokens if token.type == "inline"]
    assert "".join(child.content for token in inline for child in token.children or []) == (
        shown(text)
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.90123456, "0.9012"),
        (-0.0489, "-0.0489"),
        (1.0, "1"),
        (123456.7, "123457"),
        (1234.56, "1235"),
        (1.234e-7, "1.234e-07"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_fmt_num(value: float | None, expected: str) -> None:
    assert fmt_num(value) == expected


def test_fmt_num_signed_and_digits() -> None:
    assert fmt_num(0.0123, signed=True) == "+0.0123"
    assert fmt_num(-0.0123, signed=True) == "-0.0123"
    assert fmt_num(0.0, signed=True) == "0"
    assert fmt_num(3.14159, digits=2) == "3.1"


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (None, "—"),
        (0.0, "0%"),
        (-5.4261, "-5.4%"),
        (54.26, "54.3%"),
        (0.0888, "0.089%"),
        (math.nan, "nan"),
        (math.inf, "inf"),
    ],
)
def test_fmt_pct(percent: float | None, expected: str) -> None:
    assert fmt_pct(percent) == expected


def test_fmt_pct_signed() -> None:
    assert fmt_pct(6.11, signed=True) == "+6.1%"
    assert fmt_pct(-0.5, signed=True) == "-0.5%"


@pytest.mark.parametrize(
    ("p_value", "expected"),
    [
        (None, "—"),
        (0.0, "<0.001"),
        (0.00099, "<0.001"),
        (0.001, "0.001"),
        (0.0712, "0.071"),
        (1.0, "1.000"),
        (math.nan, "nan"),
    ],
)
def test_fmt_p(p_value: float | None, expected: str) -> None:
    assert fmt_p(p_value) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.9, "90%"), (0.95, "95%"), (0.999, "99.9%"), (None, "—"), (math.nan, "nan")],
)
def test_fmt_level(fraction: float | None, expected: str) -> None:
    assert fmt_level(fraction) == expected
