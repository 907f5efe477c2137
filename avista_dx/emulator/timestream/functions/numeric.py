"""Mathematical and bitwise functions with Trino's result types and argument checks."""

from __future__ import annotations

from sqlglot import exp

from .registry import Function, calls, cast, function, macro, typed_call
from .static_types import is_integral, mark, static_type

_DIGITS = "'0123456789abcdefghijklmnopqrstuvwxyz'"
_RADIX_CHECK = "CASE WHEN radix < 2 OR radix > 36 THEN error('Radix must be between 2 and 36') END"

MACROS: dict[str, str] = {
    "e()": "exp(1.0)",
    "infinity()": "CAST('Infinity' AS DOUBLE)",
    "nan()": "CAST('NaN' AS DOUBLE)",
    "is_finite(x)": "isfinite(CAST(x AS DOUBLE))",
    "is_infinite(x)": "isinf(CAST(x AS DOUBLE))",
    "is_nan(x)": "isnan(CAST(x AS DOUBLE))",
    "base_digits(s)": (
        "list_transform(string_split(ltrim(lower(s), '-'), ''),"
        f" lambda c: strpos({_DIGITS}, c) - 1)"
    ),
    "from_base(s, radix)": (
        f"COALESCE({_RADIX_CHECK}, CASE"
        " WHEN NOT regexp_full_match(s, '-?[0-9a-zA-Z]+')"
        " OR list_max(ts_fn.base_digits(s)) >= radix"
        " THEN error('Not a valid base-' || radix || ' number: ' || s)"
        " ELSE CAST(CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END"
        " * list_reduce(ts_fn.base_digits(s), lambda a, b: a * radix + b, CAST(0 AS HUGEINT))"
        " AS BIGINT) END)"
    ),
    "to_base(x, radix)": (
        f"COALESCE({_RADIX_CHECK}, CASE WHEN x < 0"
        " THEN '-' || lower(to_base(-CAST(x AS BIGINT), radix))"
        " ELSE lower(to_base(CAST(x AS BIGINT), radix)) END)"
    ),
    "rand()": "random()",
    "random_below(n)": "floor(random() * n)",
    "bit_count(x, bits)": (
        "CASE WHEN bits < 2 OR bits > 64"
        " THEN error('Bits specified in bit_count must be between 2 and 64, got ' || bits)"
        " WHEN bits < 64 AND (CAST(x AS BIGINT) >= (CAST(1 AS BIGINT) << (bits - 1))"
        " OR CAST(x AS BIGINT) < -(CAST(1 AS BIGINT) << (bits - 1)))"
        " THEN error('Number must be representable with the bits specified. ' || x"
        " || ' cannot be represented with ' || bits || ' bits')"
        " WHEN bits = 64 THEN CAST(bit_count(CAST(x AS BIGINT)) AS BIGINT)"
        " ELSE CAST(bit_count(CAST(x AS BIGINT) & ((CAST(1 AS BIGINT) << bits) - 1)) AS BIGINT) END"
    ),
    "bitwise_and(x, y)": "(CAST(x AS BIGINT) & CAST(y AS BIGINT))",
    "bitwise_or(x, y)": "(CAST(x AS BIGINT) | CAST(y AS BIGINT))",
    "bitwise_xor(x, y)": "xor(CAST(x AS BIGINT), CAST(y AS BIGINT))",
    "bitwise_not(x)": "(~CAST(x AS BIGINT))",
    "bitwise_left_shift(x, s)": "(CAST(x AS BIGINT) << s)",
    # Logical shift: the value's 64 bits read as unsigned.
    "bitwise_right_shift(x, s)": (
        "CASE WHEN s >= 64 THEN CAST(0 AS BIGINT) WHEN s = 0 THEN CAST(x AS BIGINT) ELSE"
        " CAST((CAST(x AS HUGEINT) + CASE WHEN x < 0 THEN CAST(18446744073709551616 AS HUGEINT)"
        " ELSE CAST(0 AS HUGEINT) END) >> s AS BIGINT) END"
    ),
    "bitwise_right_shift_arithmetic(x, s)": "(CAST(x AS BIGINT) >> s)",
    # Java's Math.cbrt is exact on perfect cubes; one Newton step fixes DuckDB's last digit.
    "cbrt_estimate(x)": "cbrt(CAST(x AS DOUBLE))",
    "cbrt(x)": (
        "CASE WHEN CAST(x AS DOUBLE) = 0 OR NOT isfinite(ts_fn.cbrt_estimate(x))"
        " THEN ts_fn.cbrt_estimate(x) ELSE ts_fn.cbrt_estimate(x)"
        " - (ts_fn.cbrt_estimate(x) * ts_fn.cbrt_estimate(x) * ts_fn.cbrt_estimate(x)"
        " - CAST(x AS DOUBLE)) / (3.0 * ts_fn.cbrt_estimate(x) * ts_fn.cbrt_estimate(x)) END"
    ),
    # Trino casts fractional values to integers rounding half away from zero; DuckDB rounds
    # half to even. typeof() is decided when the query is bound, so only one branch runs.
    "integer_text(x, target)": (
        "CASE WHEN typeof(x) = 'VARCHAR'"
        " AND NOT regexp_full_match(trim(CAST(x AS VARCHAR)), '[+-]?[0-9]+')"
        " THEN error('Cannot cast ''' || CAST(x AS VARCHAR) || ''' to ' || target) END"
    ),
    "to_bigint(x)": (
        "CASE WHEN ts_fn.integer_text(x, 'BIGINT') IS NOT NULL THEN NULL"
        " WHEN typeof(x) IN ('DOUBLE', 'FLOAT')"
        " THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS BIGINT) ELSE CAST(x AS BIGINT) END"
    ),
    "to_integer(x)": (
        "CASE WHEN ts_fn.integer_text(x, 'INTEGER') IS NOT NULL THEN NULL"
        " WHEN typeof(x) IN ('DOUBLE', 'FLOAT')"
        " THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS INTEGER) ELSE CAST(x AS INTEGER) END"
    ),
    "to_smallint(x)": (
        "CASE WHEN ts_fn.integer_text(x, 'SMALLINT') IS NOT NULL THEN NULL"
        " WHEN typeof(x) IN ('DOUBLE', 'FLOAT')"
        " THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS SMALLINT) ELSE CAST(x AS SMALLINT) END"
    ),
    "to_tinyint(x)": (
        "CASE WHEN ts_fn.integer_text(x, 'TINYINT') IS NOT NULL THEN NULL"
        " WHEN typeof(x) IN ('DOUBLE', 'FLOAT')"
        " THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS TINYINT) ELSE CAST(x AS TINYINT) END"
    ),
    # Trino prints doubles in Java's notation and timestamps with 9 fraction digits.
    "to_varchar(x)": (
        "CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN ts_fn.java_double(TRY_CAST(x AS DOUBLE))"
        " WHEN starts_with(typeof(x), 'TIMESTAMP')"
        " THEN strftime(TRY_CAST(x AS TIMESTAMP_NS), '%Y-%m-%d %H:%M:%S.%n')"
        " ELSE CAST(x AS VARCHAR) END"
    ),
    "checked_bigint_text(x)": (
        "CASE WHEN x > 9223372036854775807 OR x < -9223372036854775808"
        " THEN error('bigint addition overflow') ELSE CAST(x AS VARCHAR) END"
    ),
    "width_bucket(x, low, high, n)": (
        "CASE WHEN n <= 0 THEN error('bucketCount must be greater than 0')"
        " WHEN low = high THEN error('bound1 cannot equal bound2')"
        " WHEN low < high THEN CASE WHEN x < low THEN CAST(0 AS BIGINT) WHEN x >= high"
        " THEN CAST(n + 1 AS BIGINT) ELSE CAST(floor((CAST(x AS DOUBLE) - low)"
        " / (CAST(high AS DOUBLE) - low) * n) + 1 AS BIGINT) END"
        " ELSE CASE WHEN x > low THEN CAST(0 AS BIGINT) WHEN x <= high"
        " THEN CAST(n + 1 AS BIGINT) ELSE CAST(floor((CAST(low AS DOUBLE) - x)"
        " / (CAST(low AS DOUBLE) - high) * n) + 1 AS BIGINT) END END"
    ),
    # IEEE division: Trino's double x / 0 is ±Infinity or NaN, not an error.
    "divide_double(a, b)": (
        "CASE WHEN CAST(b AS DOUBLE) = 0 THEN CASE"
        " WHEN isnan(CAST(a AS DOUBLE)) OR CAST(a AS DOUBLE) = 0 THEN CAST('NaN' AS DOUBLE)"
        " WHEN (CAST(a AS DOUBLE) > 0) = NOT signbit(CAST(b AS DOUBLE))"
        " THEN CAST('Infinity' AS DOUBLE) ELSE CAST('-Infinity' AS DOUBLE) END"
        " ELSE CAST(a AS DOUBLE) / CAST(b AS DOUBLE) END"
    ),
    "modulo_double(a, b)": (
        "CASE WHEN CAST(b AS DOUBLE) = 0 THEN CAST('NaN' AS DOUBLE)"
        " ELSE fmod(CAST(a AS DOUBLE), CAST(b AS DOUBLE)) END"
    ),
}

CAST_MACROS = {
    exp.DType.BIGINT: "to_bigint",
    exp.DType.INT: "to_integer",
    exp.DType.SMALLINT: "to_smallint",
    exp.DType.TINYINT: "to_tinyint",
}


def _random(args: list[exp.Expr]) -> exp.Expr:
    if not args:
        return mark(macro("rand"), "double")
    bound = args[0]
    target = "INTEGER" if static_type(bound) == "integer" else "BIGINT"
    return mark(cast(macro("random_below", bound), target), target.lower())


def _sign(args: list[exp.Expr]) -> exp.Expr:
    # DuckDB's sign is TINYINT for every input; Trino keeps the argument's type.
    argument_type = static_type(args[0])
    target = {"integer": "INTEGER", "bigint": "BIGINT"}.get(argument_type or "", "DOUBLE")
    if argument_type is None:
        return exp.Sign(this=args[0])
    return mark(cast(exp.Sign(this=args[0]), target), target.lower())


def _rounding(name: str) -> Function:
    # ceil/floor of an integer is that integer, of its type (DuckDB would return a DOUBLE).
    def build(args: list[exp.Expr]) -> exp.Expr:
        if is_integral(static_type(args[0])):
            return args[0]
        node = exp.Ceil(this=args[0]) if name != "floor" else exp.Floor(this=args[0])
        return mark(node, static_type(args[0]))

    return function(name, [1], f"{name}(x) x", build)


def _bigint(name: str, signature: str) -> Function:
    arity = MACRO_ARITY[name]
    return function(name, [arity], signature, lambda args: mark(macro(name, *args), "bigint"))


MACRO_ARITY = {
    "bitwise_and": 2,
    "bitwise_or": 2,
    "bitwise_xor": 2,
    "bitwise_not": 1,
    "bitwise_left_shift": 2,
    "bitwise_right_shift": 2,
    "bitwise_right_shift_arithmetic": 2,
    "bit_count": 2,
    "from_base": 2,
}


def _double(name: str, arity: int, signature: str) -> Function:
    return function(name, [arity], signature, lambda args: mark(macro(name, *args), "double"))


FUNCTIONS: tuple[Function, ...] = (
    _double("e", 0, "e() double"),
    _double("infinity", 0, "infinity() double"),
    _double("nan", 0, "nan() double"),
    _double("cbrt", 1, "cbrt(double) double"),
    function("is_finite", [1], "is_finite(double) boolean", calls("is_finite")),
    function("is_infinite", [1], "is_infinite(double) boolean", calls("is_infinite")),
    function("is_nan", [1], "is_nan(double) boolean", calls("is_nan")),
    _bigint("from_base", "from_base(varchar(x), bigint) bigint"),
    typed_call("to_base", [2], "to_base(bigint, bigint) varchar", "varchar"),
    function("rand", [0], "rand() double", _random),
    function("random", [0, 1], "random() double, random(bigint) bigint", _random),
    function("sign", [1], "sign(x) x", _sign),
    _rounding("ceil"),
    _rounding("ceiling"),
    _rounding("floor"),
    _bigint("bit_count", "bit_count(bigint, bigint) bigint"),
    typed_call(
        "width_bucket", [4], "width_bucket(double, double, double, bigint) bigint", "bigint"
    ),
    _bigint("bitwise_and", "bitwise_and(bigint, bigint) bigint"),
    _bigint("bitwise_or", "bitwise_or(bigint, bigint) bigint"),
    _bigint("bitwise_xor", "bitwise_xor(bigint, bigint) bigint"),
    _bigint("bitwise_not", "bitwise_not(bigint) bigint"),
    _bigint("bitwise_left_shift", "bitwise_left_shift(bigint, bigint) bigint"),
    _bigint("bitwise_right_shift", "bitwise_right_shift(bigint, bigint) bigint"),
    _bigint(
        "bitwise_right_shift_arithmetic", "bitwise_right_shift_arithmetic(bigint, bigint) bigint"
    ),
)


def integral_cast(node: exp.Cast) -> exp.Expr | None:
    """``CAST(x AS bigint|integer|…)`` rounding half away from zero, ``CAST(x AS varchar)`` in
    Trino's text forms; None for other casts."""
    if node.to.this in (exp.DType.VARCHAR, exp.DType.TEXT) and not isinstance(node, exp.TryCast):
        if static_type(node.this) == "varchar":
            return None
        if static_type(node.this) == "interval":  # Timestream's `D HH:MM:SS.nnnnnnnnn` / `Y-M`
            return mark(macro("interval_text", node.this), "varchar")
        return mark(macro("to_varchar", node.this), "varchar")
    name = CAST_MACROS.get(node.to.this)
    if name is None or isinstance(node, exp.TryCast) or is_integral(static_type(node.this)):
        return None
    return mark(macro(name, node.this), static_type(node))


def division(node: exp.Div | exp.Mod) -> exp.Expr | None:
    """Double division (and modulo) by zero as IEEE values; None when not double."""
    if "double" not in (static_type(node.this), static_type(node.expression)):
        return None
    name = "divide_double" if isinstance(node, exp.Div) else "modulo_double"
    return mark(macro(name, node.this, node.expression), "double")
