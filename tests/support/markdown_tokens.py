"""Reading rendered Markdown the way GitHub and the HTML report do, to check it is inert."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

UNSAFE_TOKEN_TYPES = frozenset(
    {"html_inline", "html_block", "link_open", "image", "code_inline", "code_block", "fence"}
)


def parse_markdown(markdown: str) -> list[Token]:
    """The token stream of the parser the HTML report uses (CommonMark plus tables)."""
    tokens: list[Token] = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    return tokens


def all_tokens(tokens: list[Token]) -> list[Token]:
    """Block tokens and, after each inline token, its children."""
    flat: list[Token] = []
    for token in tokens:
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def table_rows(markdown: str) -> list[list[str]]:
    """The text each cell of each table row shows (header rows too), markup resolved."""
    rows: list[list[str]] = []
    in_cell = False
    for token in parse_markdown(markdown):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and in_cell:
            rows[-1].append("".join(child.content for child in token.children or []))
    return rows
