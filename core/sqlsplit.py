"""Splitting `CREATE TABLE` text into its column definitions, without a full SQL parser.

A rebuild keeps columns it doesn't know exactly as they were declared (type,
default, CHECK, COLLATE), which ``PRAGMA table_info`` does not fully say. So
the table's own SQL is split at its top-level commas; quotes, brackets and
comments are skipped over, never interpreted.
"""

from __future__ import annotations

_QUOTES = {'"': '"', "'": "'", "`": "`", "[": "]"}
CONSTRAINT_WORDS = frozenset({"constraint", "primary", "unique", "check", "foreign"})


def _skip(sql: str, i: int) -> int:
    """Index just past the quoted string or comment starting at ``i`` (or ``i`` itself)."""
    ch = sql[i]
    if ch in _QUOTES:
        end = sql.find(_QUOTES[ch], i + 1)
        while end != -1 and ch != "[" and sql[end + 1 : end + 2] == ch:  # doubled quote
            end = sql.find(ch, end + 2)
        return len(sql) if end == -1 else end + 1
    if sql.startswith("--", i):
        end = sql.find("\n", i)
        return len(sql) if end == -1 else end + 1
    if sql.startswith("/*", i):
        end = sql.find("*/", i + 2)
        return len(sql) if end == -1 else end + 2
    return i


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split at ``separator`` where no bracket, quote or comment is open."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        after = _skip(text, i)
        if after != i:
            i = after
            continue
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def table_body(create_sql: str) -> str:
    """What is between the outer parentheses of ``CREATE TABLE name (...)``."""
    i, depth, start = 0, 0, -1
    while i < len(create_sql):
        after = _skip(create_sql, i)
        if after != i:
            i = after
            continue
        if create_sql[i] == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif create_sql[i] == ")":
            depth -= 1
            if depth == 0:
                return create_sql[start:i]
        i += 1
    raise ValueError("not a CREATE TABLE statement with a column list")


def first_name(item: str) -> tuple[str, bool]:
    """The leading identifier of a column definition, and whether it was quoted."""
    item = item.lstrip()
    if item[:1] in _QUOTES:
        end = _skip(item, 0)
        inner = item[1 : end - 1]
        q = item[0]
        return (inner if q == "[" else inner.replace(q + q, q)), True
    word = ""
    for ch in item:
        if ch.isspace() or ch == "(":
            break
        word += ch
    return word, False


def is_table_constraint(item: str) -> bool:
    name, quoted = first_name(item)
    return not quoted and name.lower() in CONSTRAINT_WORDS


def first_parenthesized(item: str) -> str:
    """The text inside the first top-level ``( ... )`` of ``item`` ('' if none)."""
    try:
        return table_body(item)
    except ValueError:
        return ""


def words(text: str) -> list[str]:
    """Unquoted words of ``text`` in lower case (quoted names and strings left out)."""
    out, i, word = [], 0, ""
    while i < len(text):
        after = _skip(text, i)
        if after != i:
            out.append(word)
            word, i = "", after
            continue
        ch = text[i]
        if ch.isalnum() or ch == "_":
            word += ch.lower()
        else:
            out.append(word)
            word = ""
        i += 1
    out.append(word)
    return [w for w in out if w]
