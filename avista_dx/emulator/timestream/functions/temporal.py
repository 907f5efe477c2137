"""Date and time functions (Trino semantics, Timestream's UTC, nanosecond timestamps).

Fields are BIGINT as in Trino; a varchar literal where a timestamp is expected is read as
a timestamp (AWS's examples pass them so); Joda patterns of ``format_datetime`` /
``parse_datetime`` are translated to strftime patterns when the query is translated.
"""

from __future__ import annotations

from sqlglot import exp

from ..durations import Duration, sub_microsecond_error
from ..errors import QueryValidationError
from .registry import Function, as_timestamp, cast, function, macro, string_literal, typed_call
from .static_types import mark, static_type

# Trino field name -> DuckDB datepart (all BIGINT in Trino).
FIELDS = {
    "year": "year",
    "quarter": "quarter",
    "month": "month",
    "week": "week",
    "week_of_year": "week",
    "day": "day",
    "day_of_month": "day",
    "day_of_week": "isodow",
    "dow": "isodow",
    "day_of_year": "dayofyear",
    "doy": "dayofyear",
    "year_of_week": "isoyear",
    "yow": "isoyear",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
}
# The zone fields (UTC: the offset is always 0), as EXTRACT fields and as functions.
_ZONE_FIELDS = {"timezone_hour", "timezone_minute"}

MACROS: dict[str, str] = {
    "date_field(part, t)": "CAST(datepart(part, t) AS BIGINT)",
    "zone_field(t)": "CAST(0 AS BIGINT)",
    "millisecond(t)": "CAST(datepart('millisecond', t) % 1000 AS BIGINT)",
    "nanosecond(t)": "CAST(epoch_ns(CAST(t AS TIMESTAMP_NS)) % 1000000000 AS BIGINT)",
    "to_date(x)": "CAST(x AS DATE)",
    "last_day_of_month(x)": "CAST(last_day(x) AS DATE)",
    "to_iso8601(x)": (
        "CASE WHEN typeof(x) = 'DATE' THEN strftime(CAST(x AS DATE), '%Y-%m-%d')"
        " ELSE strftime(CAST(x AS TIMESTAMP_NS), '%Y-%m-%dT%H:%M:%S.%n') END"
    ),
    "format_datetime(t, pattern)": "strftime(CAST(t AS TIMESTAMP_NS), pattern)",
    "parse_datetime(s, pattern)": "CAST(strptime(s, pattern) AS TIMESTAMP_NS)",
    # bin() on epoch nanoseconds: the timestamp is never rounded to microseconds first.
    "bin_ns(t, width)": (
        "make_timestamp_ns(epoch_ns(CAST(t AS TIMESTAMP_NS))"
        " - epoch_ns(CAST(t AS TIMESTAMP_NS)) % epoch_ns(width))"
    ),
    "current_time()": "CAST(CAST(current_timestamp AS TIMESTAMP) AS TIME)",
    "bin_width_ns(t, width)": (
        "make_timestamp_ns(epoch_ns(CAST(t AS TIMESTAMP_NS))"
        " - epoch_ns(CAST(t AS TIMESTAMP_NS)) % width)"
    ),
    "plus_ns(t, n)": "make_timestamp_ns(epoch_ns(CAST(t AS TIMESTAMP_NS)) + n)",
    "date_plus(d, i)": "CAST(d + i AS DATE)",
    "date_minus(d, i)": "CAST(d - i AS DATE)",
}


def _field(name: str) -> Function:
    part = FIELDS[name]
    return function(
        name,
        [1],
        f"{name}(timestamp) bigint",
        lambda args: mark(
            macro("date_field", exp.Literal.string(part), as_timestamp(args[0])), "bigint"
        ),
    )


def extract(node: exp.Extract) -> exp.Expr:
    """``EXTRACT(field FROM x)`` with every field Trino accepts."""
    field = node.name.lower()
    argument = as_timestamp(node.expression)
    if field in FIELDS:
        return mark(macro("date_field", exp.Literal.string(FIELDS[field]), argument), "bigint")
    if field in _ZONE_FIELDS:
        return mark(macro("zone_field", argument), "bigint")
    raise QueryValidationError(f"Invalid EXTRACT field: {node.name}")


# Joda pattern letters -> strftime, by run length (the longest matching count wins).
_JODA: dict[str, dict[int, str]] = {
    "y": {1: "%Y", 2: "%y", 3: "%Y"},
    "Y": {1: "%Y", 2: "%y", 3: "%Y"},
    "x": {1: "%G", 2: "%g", 3: "%G"},
    "M": {1: "%-m", 2: "%m", 3: "%b", 4: "%B"},
    "d": {1: "%-d", 2: "%d"},
    "D": {1: "%-j", 3: "%j"},
    "H": {1: "%-H", 2: "%H"},
    "h": {1: "%-I", 2: "%I"},
    "m": {1: "%-M", 2: "%M"},
    "s": {1: "%-S", 2: "%S"},
    "S": {3: "%g", 6: "%f", 9: "%n"},
    "a": {1: "%p"},
    "E": {1: "%a", 4: "%A"},
    "e": {1: "%u"},
    "w": {1: "%-V", 2: "%V"},
    "Z": {1: "+0000", 2: "+00:00", 3: "UTC"},
    "z": {1: "UTC"},
}


def joda_to_strftime(pattern: str, *, parsing: bool = False) -> str:
    """A Joda-Time pattern as a DuckDB strftime/strptime pattern; raises for letters the
    emulator does not translate."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "'":
            end = pattern.find("'", index + 1)
            if end == index + 1:
                out.append("'")
                index += 2
                continue
            if end < 0:
                raise QueryValidationError(f"Invalid format: unterminated quote in {pattern!r}")
            out.append(pattern[index + 1 : end].replace("%", "%%"))
            index = end + 1
            continue
        if not char.isalpha():
            out.append("%%" if char == "%" else char)
            index += 1
            continue
        run = 1
        while index + run < len(pattern) and pattern[index + run] == char:
            run += 1
        choices = _JODA.get(char)
        if choices is None:
            raise QueryValidationError(
                f"The Joda pattern letter {char!r} is not supported by the emulator."
            )
        fitting = [count for count in choices if count <= run]
        if not fitting or (char == "S" and run not in choices):
            raise QueryValidationError(
                f"The Joda pattern {char * run!r} is not supported by the emulator."
            )
        text = choices[max(fitting)]
        if parsing:
            text = "%z" if char == "Z" else text.replace("%-", "%")
        out.append(text)
        index += run
    return "".join(out)


def _format_datetime(args: list[exp.Expr]) -> exp.Expr:
    pattern = joda_to_strftime(string_literal(args[1], "format_datetime pattern"))
    return mark(
        macro("format_datetime", as_timestamp(args[0]), exp.Literal.string(pattern)), "varchar"
    )


def _parse_datetime(args: list[exp.Expr]) -> exp.Expr:
    pattern = joda_to_strftime(string_literal(args[1], "parse_datetime pattern"), parsing=True)
    return mark(macro("parse_datetime", args[0], exp.Literal.string(pattern)), "timestamp")


def _current_timezone(args: list[exp.Expr]) -> exp.Expr:
    return mark(cast(exp.Literal.string("UTC"), "VARCHAR"), "varchar")


NANOSECOND_DURATION = "__nanosecond_duration"


def nanosecond_duration(duration: Duration) -> exp.Expr:
    """A day-to-second duration with nanoseconds, as a marker only bin() and timestamp ±
    duration consume (anything else refuses it, see :func:`refuse_nanosecond_durations`)."""
    node = exp.Anonymous(
        this=NANOSECOND_DURATION,
        expressions=[exp.Literal.number(duration.total_nanoseconds)],
    )
    node.meta["literal"] = duration.literal
    return node


def _nanoseconds(node: exp.Expr) -> exp.Expr | None:
    if isinstance(node, exp.Anonymous) and node.name == NANOSECOND_DURATION:
        amount: exp.Expr = node.expressions[0]
        return amount
    return None


def refuse_nanosecond_durations(tree: exp.Expr) -> None:
    for node in tree.find_all(exp.Anonymous):
        if node.name == NANOSECOND_DURATION:
            raise sub_microsecond_error(str(node.meta.get("literal", "")))


def _bin(args: list[exp.Expr]) -> exp.Expr:
    width = _nanoseconds(args[1])
    if width is not None:
        return mark(macro("bin_width_ns", as_timestamp(args[0]), width), "timestamp")
    return mark(macro("bin_ns", as_timestamp(args[0]), args[1]), "timestamp")


def timestamp_plus_nanoseconds(node: exp.Add | exp.Sub) -> exp.Expr | None:
    """``t ± 1ns`` on epoch nanoseconds (a DuckDB INTERVAL would round it to microseconds)."""
    amount = _nanoseconds(node.expression)
    if amount is None:
        return None
    if isinstance(node, exp.Sub):
        amount = exp.Neg(this=amount)
    return mark(macro("plus_ns", as_timestamp(node.this), amount), "timestamp")


def read_varchar_timestamps(node: exp.Expr) -> None:
    """Varchar literals as the timestamp arguments of date_trunc, date_add, date_diff, …"""
    for key in ("this", "expression"):
        argument = node.args.get(key)
        if isinstance(argument, exp.Literal) and argument.is_string:
            node.set(key, as_timestamp(argument))


def _epoch(name: str, returns: str) -> Function:
    return function(
        name,
        [1],
        f"{name}(timestamp) {returns}, {name}(interval day to second) {returns}",
        lambda args: mark(macro(name, as_timestamp(args[0])), returns),
    )


FUNCTIONS: tuple[Function, ...] = (
    *(
        typed_call(name, [1], f"{name}(timestamp) bigint", "bigint", macro_name="zone_field")
        for name in sorted(_ZONE_FIELDS)
    ),
    _epoch("to_milliseconds", "bigint"),
    _epoch("to_nanoseconds", "bigint"),
    *(_field(name) for name in FIELDS),
    typed_call("millisecond", [1], "millisecond(timestamp) bigint", "bigint", temporal=True),
    typed_call("nanosecond", [1], "nanosecond(timestamp) bigint", "bigint", temporal=True),
    typed_call(
        "date", [1], "date(varchar(x)) date, date(timestamp) date", "date", macro_name="to_date"
    ),
    typed_call(
        "last_day_of_month",
        [1],
        "last_day_of_month(timestamp) date, last_day_of_month(date) date",
        "date",
        temporal=True,
    ),
    typed_call(
        "to_iso8601",
        [1],
        "to_iso8601(timestamp) varchar, to_iso8601(date) varchar",
        "varchar",
        temporal=True,
    ),
    function(
        "format_datetime", [2], "format_datetime(timestamp, varchar(x)) varchar", _format_datetime
    ),
    function(
        "parse_datetime", [2], "parse_datetime(varchar(x), varchar(y)) timestamp", _parse_datetime
    ),
    function("current_timezone", [0], "current_timezone() varchar", _current_timezone),
    function("bin", [2], "bin(timestamp, interval day to second) timestamp", _bin),
)


_SUB_DAY_UNITS = {"HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND"}
_MICROSECONDS_PER_DAY = 86_400_000_000


def _has_time_of_day(interval: exp.Interval) -> bool | None:
    """Whether an interval literal has an hour/minute/second part (None: not a literal)."""
    unit = interval.args.get("unit")
    amount = interval.this
    if unit is None or not isinstance(amount, exp.Literal):
        return None
    name = unit.name.upper()
    if name == "MICROSECOND":
        return int(amount.this) % _MICROSECONDS_PER_DAY != 0
    return name in _SUB_DAY_UNITS


def date_arithmetic_error(node: exp.Add | exp.Sub) -> exp.Expr:
    if isinstance(node, exp.Add):
        raise QueryValidationError("Cannot add hour, minute, second or millisecond to a date")
    raise QueryValidationError("Cannot subtract hour, minute, second or millisecond from a date")


def date_arithmetic(node: exp.Add | exp.Sub) -> exp.Expr | None:
    """``DATE ± interval`` is a DATE; hours, minutes or seconds cannot be added to one."""
    if _nanoseconds(node.expression) is not None:
        if static_type(node.this) == "date":
            return date_arithmetic_error(node)
        return timestamp_plus_nanoseconds(node)
    if static_type(node.this) != "date" or not isinstance(node.expression, exp.Interval):
        return None
    interval = node.expression
    if _has_time_of_day(interval):
        return date_arithmetic_error(node)
    name = "date_plus" if isinstance(node, exp.Add) else "date_minus"
    return mark(macro(name, node.this, interval), "date")


_DATE_UNITS = {"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"}


def date_function(node: exp.DateAdd | exp.TimestampTrunc | exp.DateTrunc) -> exp.Expr | None:
    """``date_add`` / ``date_trunc`` of a DATE is a DATE (Trino); adding hours to one fails."""
    read_varchar_timestamps(node)
    if static_type(node.this) != "date":
        return None
    unit = node.args.get("unit")
    unit_name = unit.name.upper() if unit is not None else "DAY"
    if unit_name not in _DATE_UNITS:
        if isinstance(node, exp.DateAdd):
            raise QueryValidationError("Cannot add hour, minute, second or millisecond to a date")
        raise QueryValidationError(f"'{unit_name.lower()}' is not a valid DATE field")
    return mark(cast(node.copy(), "DATE"), "date")


def current_time() -> exp.Expr:
    return mark(macro("current_time"), "time")
