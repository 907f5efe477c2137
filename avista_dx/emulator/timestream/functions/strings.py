"""String and regular-expression functions with Trino's results and argument checks."""

from __future__ import annotations

import re

from sqlglot import exp

from ..errors import QueryValidationError
from .registry import Function, function, macro, string_literal, typed_call
from .static_types import mark

# Every (overlapping) position of `sub` in `s`, 1-based, as Trino's instance search sees them.
_POSITIONS = (
    "list_filter(range(1, length(s) - length(sub) + 2), lambda i: substr(s, i, length(sub)) = sub)"
)

MACROS: dict[str, str] = {
    "positions(s, sub)": _POSITIONS,
    "strpos(s, sub, instance)": (
        "CASE WHEN instance = 0"
        " THEN error('''instance'' must be a positive or negative number.')"
        " ELSE CAST(COALESCE(ts_fn.positions(s, sub)[instance], 0) AS BIGINT) END"
    ),
    "strrpos(s, sub, instance)": (
        "CASE WHEN instance <= 0 THEN error('''instance'' must be a positive number.')"
        " ELSE CAST(COALESCE(ts_fn.positions(s, sub)[-instance], 0) AS BIGINT) END"
    ),
    "codepoint(c)": (
        "CASE WHEN length(c) <> 1"
        " THEN error('Unexpected parameters (varchar(' || length(c) || ')) for function"
        " codepoint. Expected: codepoint(varchar(1)) integer')"
        " ELSE CAST(unicode(c) AS INTEGER) END"
    ),
    "chr(n)": (
        "CASE WHEN n < 0 OR n > 1114111 THEN error('Not a valid Unicode code point: ' || n)"
        " ELSE chr(CAST(n AS INTEGER)) END"
    ),
    "hamming_distance(a, b)": (
        "CASE WHEN length(a) <> length(b) THEN error('The input strings to hamming_distance"
        " function must have the same length') ELSE CAST(hamming(a, b) AS BIGINT) END"
    ),
    "levenshtein_distance(a, b)": "CAST(levenshtein(a, b) AS BIGINT)",
    "split_all(s, delimiter)": (
        "CASE WHEN delimiter = '' THEN error('The delimiter may not be the empty string')"
        " ELSE string_split(s, delimiter) END"
    ),
    "split(s, delimiter, parts)": (
        "CASE WHEN parts <= 0 THEN error('Limit must be positive')"
        " WHEN delimiter = '' THEN error('The delimiter may not be the empty string')"
        " WHEN len(string_split(s, delimiter)) <= parts THEN string_split(s, delimiter)"
        " ELSE list_append(string_split(s, delimiter)[1:parts - 1],"
        " array_to_string(string_split(s, delimiter)[parts:], delimiter)) END"
    ),
    "split_part(s, delimiter, index)": (
        "CASE WHEN index <= 0 THEN error('Index must be greater than zero')"
        " WHEN index > len(string_split(s, delimiter)) THEN CAST(NULL AS VARCHAR)"
        " ELSE string_split(s, delimiter)[index] END"
    ),
    "lpad(s, size, pad)": (
        "CASE WHEN size < 0 OR size > 2147483647"
        " THEN error('Target length must be in the range [0..2147483647]')"
        " WHEN pad = '' THEN error('Padding string must not be empty')"
        " ELSE lpad(s, CAST(size AS INTEGER), pad) END"
    ),
    "rpad(s, size, pad)": (
        "CASE WHEN size < 0 OR size > 2147483647"
        " THEN error('Target length must be in the range [0..2147483647]')"
        " WHEN pad = '' THEN error('Padding string must not be empty')"
        " ELSE rpad(s, CAST(size AS INTEGER), pad) END"
    ),
    "regexp_extract_all(s, pattern, grp)": "regexp_extract_all(s, pattern, grp)",
    "regexp_split(s, pattern)": "string_split_regex(s, pattern)",
    "regexp_replace(s, pattern, replacement)": "regexp_replace(s, pattern, replacement, 'g')",
    "concat_strings(a, b)": (
        "CASE WHEN typeof(a) NOT IN ('VARCHAR', '\"NULL\"')"
        " OR typeof(b) NOT IN ('VARCHAR', '\"NULL\"')"
        " THEN error('Unexpected parameters (' || ts_fn.typeof(a) || ', ' || ts_fn.typeof(b)"
        " || ') for function concat. Expected: concat(varchar), concat(array(E))')"
        " ELSE CAST(a || b AS VARCHAR) END"
    ),
}


MAX_LAMBDA_GROUPS = 9


def _lambda_replace_macro(groups: int) -> str:
    # Trino calls the function with the array of capturing groups of each match; the result
    # is the text between matches joined with the function's value for each match.
    group_array = ", ".join(
        f"regexp_extract_all(s, pattern, {number})[__i]" for number in range(1, groups + 1)
    )
    matches = (
        "list_transform(range(1, len(string_split_regex(s, pattern))),"
        f" lambda __i: CAST([{group_array}] AS VARCHAR[]))"
    )
    return matches


MACROS["regexp_stitch(pieces, replaced)"] = (
    "pieces[1] || array_to_string(list_transform(range(1, len(pieces)),"
    " lambda __i: replaced[__i] || pieces[__i + 1]), '')"
)
MACROS["regexp_replace_apply(s, pattern, matches, f)"] = (
    "ts_fn.regexp_stitch(string_split_regex(s, pattern), list_transform(matches, f))"
)
MACROS.update(
    {
        f"regexp_groups{groups}(s, pattern)": _lambda_replace_macro(groups)
        for groups in range(MAX_LAMBDA_GROUPS + 1)
    }
)


def java_replacement(text: str) -> str:
    """A Java (Trino) regex replacement (``$1``, ``${name}``, ``\\$``) in RE2's syntax."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            escaped = text[index + 1]
            out.append("\\\\" if escaped == "\\" else escaped)
            index += 2
        elif char == "$":
            group = re.match(r"\d+", text[index + 1 :])
            if group is None:
                raise QueryValidationError(
                    "Illegal group reference in the regexp_replace replacement."
                    if not text[index + 1 :].startswith("{")
                    else "Named group references are not supported by the emulator."
                )
            out.append("\\" + group.group(0))
            index += 1 + len(group.group(0))
        elif char == "\\":
            raise QueryValidationError("character to be escaped is missing")
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _group_count(pattern: str) -> int:
    """Capturing groups of a regex literal (unescaped ``(`` not followed by ``?``)."""
    count = 0
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "(" and not in_class and not pattern.startswith("(?", index):
            count += 1
        index += 1
    return count


def _regexp_replace(args: list[exp.Expr]) -> exp.Expr:
    if len(args) == 2:
        return mark(macro("regexp_replace", args[0], args[1], exp.Literal.string("")), "varchar")
    replacement = args[2]
    if isinstance(replacement, exp.Lambda):
        return mark(_replace_with_lambda(args[0], args[1], replacement), "varchar")
    text = java_replacement(string_literal(replacement, "regexp_replace replacement"))
    return mark(macro("regexp_replace", args[0], args[1], exp.Literal.string(text)), "varchar")


def _replace_with_lambda(
    source: exp.Expr, pattern_node: exp.Expr, function_node: exp.Lambda
) -> exp.Expr:
    pattern = string_literal(pattern_node, "regexp_replace pattern")
    groups = _group_count(pattern)
    if groups > MAX_LAMBDA_GROUPS:
        raise QueryValidationError(
            f"regexp_replace with a function supports at most {MAX_LAMBDA_GROUPS} groups"
            " in the emulator."
        )
    matches = macro(f"regexp_groups{groups}", source, pattern_node.copy())
    return macro("regexp_replace_apply", source.copy(), pattern_node, matches, function_node)


def _strpos(args: list[exp.Expr]) -> exp.Expr:
    instance = args[2] if len(args) == 3 else exp.Literal.number(1)
    return mark(macro("strpos", args[0], args[1], instance), "bigint")


def _strrpos(args: list[exp.Expr]) -> exp.Expr:
    instance = args[2] if len(args) == 3 else exp.Literal.number(1)
    return mark(macro("strrpos", args[0], args[1], instance), "bigint")


def _regexp_extract_all(args: list[exp.Expr]) -> exp.Expr:
    group = args[2] if len(args) == 3 else exp.Literal.number(0)
    return mark(macro("regexp_extract_all", args[0], args[1], group), "array")


FUNCTIONS: tuple[Function, ...] = (
    typed_call("chr", [1], "chr(bigint) varchar", "varchar"),
    typed_call("codepoint", [1], "codepoint(varchar(1)) integer", "integer"),
    typed_call(
        "hamming_distance", [2], "hamming_distance(varchar(x), varchar(y)) bigint", "bigint"
    ),
    typed_call(
        "levenshtein_distance", [2], "levenshtein_distance(varchar(x), varchar(y)) bigint", "bigint"
    ),
    function(
        "strpos",
        [2, 3],
        "strpos(varchar(x), varchar(y)) bigint, strpos(varchar(x), varchar(y), bigint) bigint",
        _strpos,
    ),
    function(
        "strrpos",
        [2, 3],
        "strrpos(varchar(x), varchar(y)) bigint, strrpos(varchar(x), varchar(y), bigint) bigint",
        _strrpos,
    ),
    function(
        "regexp_extract_all",
        [2, 3],
        "regexp_extract_all(varchar(x), JoniRegExp)"
        " array(varchar(x)), regexp_extract_all(varchar(x), JoniRegExp, bigint)"
        " array(varchar(x))",
        _regexp_extract_all,
    ),
    typed_call(
        "regexp_split", [2], "regexp_split(varchar(x), JoniRegExp) array(varchar(x))", "array"
    ),
    function(
        "regexp_replace",
        [2, 3],
        "regexp_replace(varchar(x), JoniRegExp) varchar(x),"
        " regexp_replace(varchar(x), JoniRegExp, varchar(y)) varchar,"
        " regexp_replace(varchar(x), JoniRegExp, function(array(varchar), varchar(z)))"
        " varchar",
        _regexp_replace,
    ),
    function(
        "split",
        [2, 3],
        "split(varchar(x), varchar(y)) array(varchar(x)),"
        " split(varchar(x), varchar(y), bigint) array(varchar(x))",
        lambda a: mark(macro("split" if len(a) == 3 else "split_all", *a), "array"),
    ),
    typed_call(
        "split_part", [3], "split_part(varchar(x), varchar(y), bigint) varchar(x)", "varchar"
    ),
    typed_call("lpad", [3], "lpad(varchar(x), bigint, varchar(y)) varchar", "varchar"),
    typed_call("rpad", [3], "rpad(varchar(x), bigint, varchar(y)) varchar", "varchar"),
)
