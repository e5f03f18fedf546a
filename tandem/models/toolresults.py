"""What a tool result says about its call: that it failed, or that it is one page of a longer list.

The chat API has no error flag and no paging fields on a tool message: a result is whatever text the
client sends back. Structure decides first, in any language: MCP's ``isError``, a JSON ``error`` member,
``ok``/``success`` false, a failed ``status`` or an HTTP status of 400 and up; ``has_more``, a next cursor
or token, a page below the page count, an offset short of the total (also inside a ``pagination``, ``meta``
or ``pageInfo`` member). Only a result without such structure is read as words, with
the cues of every language in ``tool_results.toml`` ("Error: ...", "Fehler: ...", "错误：...", "page 1 of 3").
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["More", "is_error_result", "more_results", "next_arguments"]

_DATA = Path(__file__).with_name("tool_results.toml")
# Only a text result's opening and close are read for failure cues: a list that merely mentions "Error" in
# its data stays a result, while "Error: ..." and "... Please try again." are found.
_HEAD, _TAIL = 160, 80
_HTTP_STATUS = re.compile(r"\bHTTP(?:/\d(?:\.\d)?)?\s+(?:status\s+)?[45]\d\d\b", re.I)

# JSON member names, compared without case, "_" or "-" (has_more, hasMore and has-more are one).
_ERROR = ("error", "errors", "exception")
_OK = ("ok", "success", "succeeded")
_STATUS = ("status", "statuscode", "httpstatus", "httpstatuscode")
_FAILED_STATUS = ("error", "failed", "failure", "fail")
_HAS_MORE = ("hasmore", "hasnextpage", "hasnext", "moreresults", "istruncated")
_NEXT = ("nextcursor", "nextpagetoken", "nexttoken", "nextpage", "continuationtoken")
_CURSOR_IF_MORE = ("endcursor", "cursor")  # GraphQL's pageInfo: the cursor to go on from, if there is more
_PAGE = ("page", "currentpage", "pagenumber", "pageno")
_PAGES = ("pages", "totalpages", "pagecount", "lastpage", "numpages")
_OFFSET = ("offset", "skip", "start")
_LIMIT = ("limit", "pagesize", "perpage")
_TOTAL = ("total", "totalcount", "totalresults", "totalitems")
# Members that hold the paging facts of a result (not its data, where a book's "pages" are no paging).
_CONTAINERS = ("pagination", "paging", "pageinfo", "meta", "links")
_CURSOR_PARAMS = ("cursor", "pagetoken", "nextpagetoken", "nextcursor", "continuationtoken", "after",
                  "startingafter", "token")


@dataclass(frozen=True)
class More:
    """A tool result's statement that more results follow it."""

    page: int | None = None  # the page this result is (from 1), when it says
    pages: int | None = None  # how many pages there are, when it says
    token: str | int | None = None  # what fetches the next page (a cursor, a token, a page number), if given
    offset: int | None = None  # where the next page starts, for a result paged by offset and limit


def _key(name: str) -> str:
    return re.sub(r"[_\-]", "", name).lower()


@cache
def _cues() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """The failure cues of every language as one pattern, and every language's "page 1 of 3" patterns."""
    failed: list[str] = []
    pages: list[re.Pattern[str]] = []
    for language in tomllib.loads(_DATA.read_text(encoding="utf-8")).values():
        spaces = language.get("spaces", True)
        before = r"\b" if spaces and not language.get("compounds", False) else ""
        after = r"\b" if spaces else ""
        for cue in sorted(language.get("failed", ()), key=len, reverse=True):
            failed.append(before + re.escape(cue).replace(r"\ ", r"\s+") + after)
        pages += [re.compile(p, re.I) for p in language.get("page", ())]
    return re.compile("|".join(failed), re.I), tuple(pages)


def _parsed(content: str) -> Any:
    """The JSON value of a result, else its text. A result is client input: JSON nested too deeply for the
    parser is read as text too."""
    text = content.strip()
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


def _count(value: Any) -> int | None:
    """A count, page or status as a result gives it: an int, or decimal digits in text; None when it is no
    plausible one (Python's int() refuses more than 4,300 digits, and takes superscripts for digits)."""
    if isinstance(value, str):
        return int(value) if value.isdecimal() and len(value) <= 9 else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _members(value: dict[str, Any]) -> dict[str, Any]:
    return {_key(k): v for k, v in value.items() if isinstance(k, str)}


def _text_of(value: Any) -> str | None:
    """The text of MCP content items (one, or a list of them) as a client may send them on; else None."""
    items = value if isinstance(value, list) else [value]
    texts = [i["text"] for i in items
             if isinstance(i, dict) and i.get("type") == "text" and isinstance(i.get("text"), str)]
    return "\n".join(texts) if texts and len(texts) == len(items) else None


def _status_failed(status: Any) -> bool:
    if isinstance(status, str):
        status = _count(status) if status.isdecimal() else status.lower()
    if isinstance(status, int) and not isinstance(status, bool):
        return 400 <= status < 600
    return status in _FAILED_STATUS


def _object_failed(value: dict[str, Any]) -> bool:
    members = _members(value)
    flag = members.get("iserror")
    if isinstance(flag, bool):  # MCP's own flag says it all
        return flag
    return (any(members.get(k) for k in _ERROR) or any(members.get(k) is False for k in _OK)
            or any(_status_failed(members[k]) for k in _STATUS if k in members))


def _text_failed(text: str) -> bool:
    text = text.strip()
    failed, _ = _cues()
    return bool(failed.search(text[:_HEAD]) or failed.search(text[-_TAIL:]) or _HTTP_STATUS.search(text[:_HEAD]))


def is_error_result(content: str) -> bool:
    """Whether a tool result reports that the call failed (so calling it again is a retry, not a repeat)."""
    value = _parsed(content)
    text = value if isinstance(value, str) else _text_of(value)
    if text is not None:
        return _text_failed(text)
    return isinstance(value, dict) and _object_failed(value)


def _member_count(members: dict[str, Any], names: tuple[str, ...]) -> int | None:
    return _count(next((members[n] for n in names if n in members), None))


def _token(value: Any) -> str | int | None:
    return value if isinstance(value, str | int) and not isinstance(value, bool) and value != "" else None


def _more_here(members: dict[str, Any]) -> More | None:
    has_more = next((members[k] for k in _HAS_MORE if isinstance(members.get(k), bool)), None)
    if has_more is False:
        return None
    page, pages = _member_count(members, _PAGE), _member_count(members, _PAGES)
    token = next((t for k in _NEXT if (t := _token(members.get(k))) is not None), None)
    nxt = members.get("next")  # a URL to the next page (Django REST framework, HAL); other "next"s are data
    if token is None and isinstance(nxt, str) and nxt.startswith(("http://", "https://", "/", "?")):
        token = nxt
    if has_more and token is None:
        token = next((t for k in _CURSOR_IF_MORE if (t := _token(members.get(k))) is not None), None)
    offset, limit, total = (_member_count(members, n) for n in (_OFFSET, _LIMIT, _TOTAL))
    if offset is not None and limit and total is not None and offset + limit < total:
        return More(page, pages, token, offset + limit)
    if has_more or token is not None or (page is not None and pages is not None and page < pages):
        return More(page, pages, token)
    return None


def _more_in(value: dict[str, Any], depth: int = 0) -> More | None:
    found = _more_here(_members(value))
    if found is not None or depth == 2:
        return found
    for name, sub in _members(value).items():  # "pagination": {...}, "meta": {"pagination": {...}}
        if name in _CONTAINERS and isinstance(sub, dict) and (found := _more_in(sub, depth + 1)) is not None:
            return found
    return None


def more_results(content: str) -> More | None:
    """What a tool result says about results that follow it, or None when it says none follow."""
    value = _parsed(content)
    text = value if isinstance(value, str) else _text_of(value)
    if text is None:
        return _more_in(value) if isinstance(value, dict) else None
    for pattern in _cues()[1]:
        found = pattern.search(text)
        page, pages = (_count(found["page"]), _count(found["pages"])) if found else (None, None)
        if page is not None and pages is not None and page < pages:
            return More(page, pages)
    return None


def next_arguments(arguments: dict[str, Any], parameters: dict[str, Any] | None, more: More) -> dict[str, Any] | None:
    """The arguments of the call that fetches the page after ``more``: ``arguments`` with the page number,
    cursor or offset advanced in the parameter the tool's schema has for it; None when it has none."""
    names = {_key(n): n for n in (parameters or {}).get("properties") or {}}

    def parameter(options: tuple[str, ...]) -> str | None:
        return next((names[o] for o in options if o in names), None)

    page, cursor, offset = parameter(_PAGE), parameter(_CURSOR_PARAMS), parameter(_OFFSET)
    if cursor and more.token is not None:
        return {**arguments, cursor: more.token}
    if page and isinstance(more.token, int) and not isinstance(more.token, bool):
        return {**arguments, page: more.token}
    current = more.page if more.page is not None else arguments.get(page or "", 1)
    if page and isinstance(current, int) and not isinstance(current, bool):
        return {**arguments, page: current + 1}
    if offset and more.offset is not None:
        return {**arguments, offset: more.offset}
    return None
