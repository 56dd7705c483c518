"""Just enough SQL tokenising to compare schema text, not to parse SQL.

SQLite's pragmas say most of what a schema is, but not all: AUTOINCREMENT,
the expression of an index on an expression, a partial index's WHERE, and
what a view or trigger does live only in the SQL text ``sqlite_schema``
keeps. Two spellings of the same statement (other whitespace, letter case,
quoted or bare names, comments) must compare equal; a string literal must
keep its exact text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|--[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^']|'')*'?)
  | (?P<quoted>"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_\x80-\U0010ffff][\w$\x80-\U0010ffff]*)
  | (?P<op>\|\||<=|>=|==|!=|<>|<<|>>|->>|->|.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):  # a tuple: made by the thousand, so cheap to make
    kind: str  # "string", "quoted", "number", "word" or "op"
    text: str  # as written

    @property
    def key(self) -> str:
        """The token as compared: names case-folded and unquoted, literals exact."""
        if self.kind == "quoted":
            return unquote(self.text).lower()
        if self.kind == "word":
            return self.text.lower()
        return self.text


def tokens(sql: str) -> list[Token]:
    """The statement's tokens, whitespace and comments left out."""
    found = ((m.lastgroup or "op", m.group()) for m in _TOKEN.finditer(sql))
    return [Token(kind, text) for kind, text in found if kind != "space"]


def unquote(name: str) -> str:
    """``"a""b"`` → ``a"b``; ``[x]`` and backticks too; bare names unchanged."""
    if len(name) >= 2 and name[0] in '"`' and name[-1] == name[0]:
        return name[1:-1].replace(name[0] * 2, name[0])
    if len(name) >= 2 and name[0] == "[" and name[-1] == "]":
        return name[1:-1]
    return name


def normalized(sql: str | None) -> str:
    """One canonical spelling of a statement, for comparing views and triggers."""
    return " ".join(t.key for t in tokens(sql or ""))


def has_word(sql: str | None, word: str) -> bool:
    """Whether ``word`` appears as a keyword (not inside a string or a quoted name)."""
    return any(t.kind == "word" and t.key == word.lower() for t in tokens(sql or ""))


@dataclass(frozen=True)
class IndexTerm:
    """One key of ``CREATE INDEX ... ON t(term, ...)``: its expression, without order/collation."""

    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def key(self) -> str:
        return " ".join(t.key for t in self.tokens)


def index_parts(sql: str | None) -> tuple[list[IndexTerm], str | None]:
    """The key terms of an index statement and its WHERE clause (normalized), if any."""
    toks = tokens(sql or "")
    start = next((i for i, t in enumerate(toks) if t.key == "on"), None)
    if start is None:
        return [], None
    opening = next((i for i in range(start, len(toks)) if toks[i].text == "("), None)
    if opening is None:
        return [], None
    terms: list[IndexTerm] = []
    current: list[Token] = []
    depth = 0
    end = len(toks)
    for i in range(opening + 1, len(toks)):
        tok = toks[i]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")" and depth == 0:
            end = i
            break
        elif tok.text == ")":
            depth -= 1
        if tok.text == "," and depth == 0:
            terms.append(IndexTerm(_strip_order(current)))
            current = []
        else:
            current.append(tok)
    if current:
        terms.append(IndexTerm(_strip_order(current)))
    rest = toks[end + 1 :]
    where = " ".join(t.key for t in rest[1:]) if rest and rest[0].key == "where" else None
    return terms, where


def _strip_order(term: list[Token]) -> tuple[Token, ...]:
    """Drop a trailing ASC/DESC and COLLATE name: the pragmas report those."""
    out = list(term)
    if out and out[-1].key in ("asc", "desc"):
        out.pop()
    if len(out) >= 2 and out[-2].key == "collate":
        del out[-2:]
    return tuple(out)


def is_literal(term: IndexTerm) -> bool:
    """A lone string or number: an index on a constant, which orders nothing.

    SQLite reads a double-quoted word that names no column as a string, so
    ``ON ledger("transaction_id")`` on a ledger without that column is one.
    """
    return len(term.tokens) == 1 and term.tokens[0].kind in ("string", "number", "quoted")


def iter_words(sql: str | None) -> Iterator[str]:
    """The statement's keywords and bare names, case-folded, in order."""
    for match in _TOKEN.finditer(sql or ""):
        if match.lastgroup == "word":
            yield match.group().lower()
