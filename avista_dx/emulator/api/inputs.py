"""The one gate every input passes: JSON request bodies and the GraphQL document's literals.

Whatever the emulator stores arrives in a JSON body (``POST /graphql``, ``POST
/_emulator/tokens``) or as a string literal of a GraphQL document, so both are checked here,
before anything runs:

- JSON nests at most ``max_depth`` levels (deeper input would exhaust the recursion of the
  decoder, the coercers and the encoder of the answer), has no ``NaN``/``Infinity`` (not JSON),
  and no number over Python's 4,300-digit conversion limit;
- no string holds a lone surrogate (category Cs, which no UTF-8 text or database can hold) or
  one of Unicode's 66 noncharacters (U+FDD0..U+FDEF and the last two code points of every
  plane).
"""

from __future__ import annotations

import json
import re
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit

from ..config import RequestLimits

DEFAULT_JSON_DEPTH = RequestLimits().max_json_depth

_UNSTORABLE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


class MalformedRequestError(Exception):
    """The HTTP body is not an acceptable request (HTTP 400 MalformedHttpRequestException)."""


def unstorable_character(text: str) -> str | None:
    """A description of the first character of ``text`` that cannot be stored, or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a Unicode noncharacter"
    return f"U+{code:04X} ({kind}) at character {found.start() + 1}"


def _no_constants(name: str) -> Any:
    raise MalformedRequestError(f"The request body is not valid JSON: {name} is not a number")


def decode_json_body(body: bytes | str, max_depth: int = DEFAULT_JSON_DEPTH) -> Any:
    """The decoded body (or WebSocket message), or :class:`MalformedRequestError` saying what
    is wrong with it."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        payload = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise _too_deep(max_depth) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedRequestError(f"The request body is not valid JSON: {error}") from None
    except ValueError as error:  # e.g. an integer beyond the conversion limit
        raise MalformedRequestError(f"The request body holds an unusable value: {error}") from None
    # Decoded strings hold only what the text holds, unless it has \u escapes: ASCII text
    # without escapes (what most clients send) needs no look at its strings.
    strings = "\\u" in text or not text.isascii()
    check_json_value(payload, max_depth, strings=strings)
    return payload


def check_json_value(value: Any, max_depth: int, *, strings: bool = True) -> None:
    """Checks nesting and (with ``strings``) every string, keys too, without recursion."""
    if not strings:
        _check_depth(value, max_depth)
        return
    walked: tuple[type, ...] = (str, dict, list) if strings else (dict, list)
    stack: list[tuple[Any, str, int]] = [(value, "the body", 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item, where)
            continue
        if not isinstance(item, (dict, list)):
            continue  # a number, boolean or null at the top
        if depth > max_depth:
            raise _too_deep(max_depth)
        if isinstance(item, dict):
            for key, child in item.items():
                if strings:
                    _check_text(key, f"a key of {where}")
                if isinstance(child, walked):
                    stack.append((child, key if depth == 1 else f"{where}.{key}"[:200], depth + 1))
        else:
            stack.extend((child, where, depth + 1) for child in item if isinstance(child, walked))


def _check_depth(value: Any, max_depth: int) -> None:
    """Nesting only, one level at a time (no paths to name: nothing but depth can fail)."""
    containers = (dict, list)
    level = [value] if type(value) in containers else []
    depth = 1
    while level:
        if depth > max_depth:
            raise _too_deep(max_depth)
        below: list[Any] = []
        for item in level:
            children = item.values() if type(item) is dict else item
            below += [child for child in children if type(child) in containers]
        level = below
        depth += 1


def _check_text(text: str, where: str) -> None:
    problem = unstorable_character(text)
    if problem is not None:
        raise MalformedRequestError(f"The request's {where!r} contains {problem}")


def _too_deep(max_depth: int) -> MalformedRequestError:
    return MalformedRequestError(f"The request body nests deeper than {max_depth} levels")


class _StringLiterals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[GraphQLError] = []

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        problem = unstorable_character(node.value)
        if problem is not None:
            self.errors.append(
                GraphQLError(f"String literal contains {problem}, which cannot be stored", node)
            )


def literal_errors(document: DocumentNode) -> list[GraphQLError]:
    """Errors for string literals of the document (escapes such as ``\\uFFFE``) that could
    not be stored."""
    visitor = _StringLiterals()
    visit(document, visitor)
    return visitor.errors
