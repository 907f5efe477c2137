"""Timestream SQL to DuckDB SQL, on sqlglot's tokens and syntax tree (never on raw text).

1. A token pre-pass turns duration literals (a NUMBER token directly followed by a unit
   word, e.g. ``15m``) into ``__ts_duration('15m')`` calls, so the Trino parser accepts them
   and ``time + 1h`` is never read as ``time + 1 AS h``.
2. The Trino parse tree is rewritten: tables through the catalog (with the access check),
   ``measure_value::x`` pseudo-columns, Timestream functions to ``ts_fn`` macros, Trino
   semantics DuckDB lacks (``date_diff``, decimal literals as DOUBLE), ``UNNEST … AS t(a, b)``,
   ``_colN`` names for unnamed results.
3. Every function left in the tree must be on an allow-list of functions whose DuckDB
   translation was checked; anything else is rejected by name rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.trino import Trino
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

from . import functions
from .durations import DURATION_UNITS, Duration, parse_duration, parse_duration_text
from .errors import QueryValidationError
from .positions import SourceMap
from .scopes import rename_ctes, user_name, visible_cte
from .sql_functions import FUNCTION_SCHEMA, TIMESTREAM_MACROS

_DURATION_FUNCTION = "__ts_duration"
_MEASURE_VALUE_TYPES = {"double", "bigint", "varchar", "boolean"}
_INTERPOLATIONS = {"interpolate_linear", "interpolate_locf", "interpolate_fill"}

# sqlglot node types whose Trino → DuckDB translation keeps Trino's meaning.
_ALLOWED_FUNCTIONS: frozenset[type[exp.Func]] = frozenset(
    {
        exp.Abs,
        exp.Acos,
        exp.Asin,
        exp.Atan,
        exp.Atan2,
        exp.Cos,
        exp.Sin,
        exp.Tan,
        exp.Cosh,
        exp.Sinh,
        exp.Tanh,
        exp.Cbrt,
        exp.Ceil,
        exp.Floor,
        exp.Exp,
        exp.Ln,
        exp.Pow,
        exp.Sqrt,
        exp.Round,
        exp.Sign,
        exp.Degrees,
        exp.Radians,
        exp.Pi,
        exp.IsNan,
        exp.IsInf,
        exp.Greatest,
        exp.Least,
        exp.Coalesce,
        exp.Nullif,
        exp.If,
        exp.Case,
        exp.Cast,
        exp.TryCast,
        exp.Concat,
        exp.Length,
        exp.Lower,
        exp.Upper,
        exp.Trim,
        exp.Substring,
        exp.Replace,
        exp.Reverse,
        exp.StrPosition,
        exp.SplitPart,
        exp.StartsWith,
        exp.RegexpLike,
        exp.RegexpReplace,
        exp.RegexpExtract,
        exp.Array,
        exp.ArraySize,
        exp.ArrayContains,
        exp.Struct,
        exp.Avg,
        exp.Sum,
        exp.Min,
        exp.Max,
        exp.Count,
        exp.CountIf,
        exp.ApproxQuantile,
        exp.ApproxDistinct,
        exp.ArgMax,
        exp.ArgMin,
        exp.AnyValue,
        exp.ArrayAgg,
        exp.Stddev,
        exp.StddevPop,
        exp.StddevSamp,
        exp.Variance,
        exp.VariancePop,
        exp.Corr,
        exp.CovarPop,
        exp.CovarSamp,
        exp.LogicalAnd,
        exp.LogicalOr,
        exp.RowNumber,
        exp.Rank,
        exp.DenseRank,
        exp.Lag,
        exp.Lead,
        exp.FirstValue,
        exp.LastValue,
        exp.NthValue,
        exp.Ntile,
        exp.PercentRank,
        exp.CumeDist,
        exp.TimestampTrunc,
        exp.DateTrunc,
        exp.Extract,
        exp.Hour,
        exp.Minute,
        exp.Second,
        exp.Day,
        exp.DayOfMonth,
        exp.DayOfWeekIso,
        exp.DayOfYear,
        exp.Month,
        exp.Year,
        exp.Quarter,
        exp.Week,
        exp.WeekOfYear,
        exp.DateAdd,
        exp.TimeToUnix,
        exp.FromISO8601Date,
        exp.TimeToStr,
        exp.Pad,
        exp.ArrayToString,
        exp.Split,
        exp.ConcatWs,
        exp.Log,
        exp.Trunc,
        exp.StrToTime,
        exp.CurrentDate,
        exp.GenerateSeries,
        exp.Unnest,
        exp.Explode,
        exp.And,
        exp.Or,
    }
)
_ALLOWED_ANONYMOUS = frozenset({"date_sub"})
# Nodes that make a statement write or change the session (sqlglot turns `SELECT … INTO t`
# into CREATE TABLE): a query holding any of them anywhere is refused.
_WRITING_NODES: tuple[type[exp.Expr], ...] = (
    exp.Into,
    exp.DDL,
    exp.DML,
    exp.Command,
    exp.Set,
    exp.Pragma,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Copy,
    exp.Attach,
    exp.Detach,
    exp.Export,
    exp.Install,
)


@dataclass(frozen=True, slots=True)
class TableRef:
    database_name: str
    table_name: str


@dataclass(frozen=True, slots=True)
class Translation:
    """DuckDB SQL for a Timestream query, the tables it reads, and interval column hints."""

    sql: str
    tables: tuple[TableRef, ...]
    year_to_month_columns: frozenset[int]


# resolve(database, table) -> the DuckDB relation to read; raises for denied/unknown tables.
TableResolver = Callable[[str, str], str]
# column_types(relation) -> {column name: Timestream type} of a resolved relation.
ColumnTypes = Callable[[str], Mapping[str, str]]


def tokenize(query: str) -> list[Token]:
    try:
        return list(Trino().tokenize(query))
    except TokenError:
        # sqlglot's text quotes its own internals: say what is wrong in the caller's terms.
        raise QueryValidationError(
            "Syntax error: the query has an unterminated string, quoted identifier or comment."
        ) from None


def translate(
    query: str, resolve: TableResolver, column_types: ColumnTypes | None = None
) -> Translation:
    """Translate one Timestream SELECT query; raises :class:`QueryValidationError`.

    ``column_types`` lets the function families apply Trino's type rules to table columns.
    """
    source = SourceMap(query)
    try:
        return _translate(query, source, resolve, column_types)
    except RecursionError:
        raise QueryValidationError("The query is nested too deeply.") from None
    except ParseError as error:
        raise QueryValidationError(_syntax_error(error, source)) from None
    except SqlglotError:
        raise QueryValidationError(
            "The query uses a construct the emulator cannot translate."
        ) from None


def _syntax_error(error: ParseError, source: SourceMap) -> str:
    """Trino's ``line L:C: mismatched input …`` from sqlglot's first error position."""
    if not error.errors:
        return "Syntax error in the query."
    first = error.errors[0]
    highlight = str(first.get("highlight") or "")
    line, column = first.get("line"), first.get("col")
    if not isinstance(line, int) or not isinstance(column, int):
        return "Syntax error in the query."
    text = source.rewritten
    line_start = 0
    for _ in range(line - 1):
        line_start = text.find("\n", line_start) + 1
    end = line_start + column  # sqlglot's column is the highlight's last character
    start = max(line_start, end - len(highlight))
    where = source.location(start)
    if not highlight:
        return f"{where}: Syntax error: unexpected end of the query."
    return f"{where}: Syntax error: mismatched input '{source.original_text(start, end)}'."


def _translate(
    query: str, source: SourceMap, resolve: TableResolver, column_types: ColumnTypes | None
) -> Translation:
    tokens = tokenize(query)
    text, durations = _rewrite_duration_literals(query, tokens, source)
    source.rewritten = text
    statements = [s for s in sqlglot.parse(text, read=functions.TimestreamDialect) if s is not None]
    if len(statements) != 1:
        raise QueryValidationError("Exactly one SQL statement is expected.")
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        raise QueryValidationError(
            f"Only SELECT, SHOW and DESCRIBE statements are supported, not {tree.key.upper()}."
        )
    _refuse_writes(tree)
    year_to_month = _rewrite_durations(tree, durations)
    tables = _rewrite_tables(tree, source, resolve)
    _rewrite_measure_values(tree)
    functions.rewrite(tree, query, tokens, column_types)
    _rewrite_functions(tree)
    _rewrite_unnest(tree)
    _rewrite_decimal_literals(tree)
    _check_functions(tree)
    year_to_month_columns = _year_to_month_columns(tree, year_to_month)
    _name_unnamed_columns(tree)
    return Translation(
        sql=tree.sql(dialect="duckdb"),
        tables=tables,
        year_to_month_columns=year_to_month_columns,
    )


def _refuse_writes(tree: exp.Expr) -> None:
    for node in tree.walk():
        if isinstance(node, _WRITING_NODES):
            what = "SELECT … INTO" if isinstance(node, exp.Into) else node.key.upper()
            raise QueryValidationError(
                f"Only SELECT, SHOW and DESCRIBE statements are supported, not {what}."
            )


def _rewrite_duration_literals(
    query: str, tokens: list[Token], source: SourceMap
) -> tuple[str, list[Duration]]:
    pieces: list[str] = []
    durations: list[Duration] = []
    position = 0
    written = 0  # length of the rewritten text so far
    previous: Token | None = None
    for token in tokens:
        if (
            previous is not None
            and previous.token_type == TokenType.NUMBER
            and token.token_type == TokenType.VAR
            and token.start == previous.end + 1
            and token.text.lower() in DURATION_UNITS
        ):
            durations.append(parse_duration(previous.text, token.text))
            pieces.append(query[position : previous.start])
            written += previous.start - position
            placeholder = f"{_DURATION_FUNCTION}({len(durations) - 1})"
            pieces.append(placeholder)
            original_end = token.end + 1
            source.spans.append((written, written + len(placeholder), previous.start, original_end))
            written += len(placeholder)
            position = token.end + 1
        previous = token
    pieces.append(query[position:])
    return "".join(pieces), durations


def _function_name(node: exp.Expr) -> str:
    return str(node.this).lower() if isinstance(node, exp.Anonymous) else ""


def _rewrite_durations(tree: exp.Expr, durations: list[Duration]) -> set[int]:
    """Replace duration placeholders with INTERVALs; returns ids of year-to-month nodes."""
    year_to_month: set[int] = set()
    for node in list(tree.find_all(exp.Anonymous)):
        name = _function_name(node)
        if name == "parse_duration":
            argument = node.expressions[0] if len(node.expressions) == 1 else None
            if not (isinstance(argument, exp.Literal) and argument.is_string):
                raise QueryValidationError(
                    "parse_duration is supported with one string literal argument only."
                )
            duration = parse_duration_text(argument.this)
        elif name == _DURATION_FUNCTION:
            duration = _placeholder_duration(node, durations)
        else:
            continue
        if duration.nanoseconds:
            # Exact only where the function families consume it (bin, timestamp ± duration).
            node.replace(functions.nanosecond_duration(duration))
            continue
        if duration.year_to_month:
            interval = exp.Interval(
                this=exp.Literal.string(str(duration.months)), unit=exp.Var(this="MONTH")
            )
            year_to_month.add(id(interval))
        else:
            interval = exp.Interval(
                this=exp.Literal.string(str(duration.microseconds)),
                unit=exp.Var(this="MICROSECOND"),
            )
        node.replace(interval)
    for interval in tree.find_all(exp.Interval):
        unit = interval.args.get("unit")
        if unit is not None and unit.name.upper() in ("YEAR", "MONTH"):
            year_to_month.add(id(interval))
    return year_to_month


def _placeholder_duration(node: exp.Anonymous, durations: list[Duration]) -> Duration:
    # Only the token pre-pass writes these calls, but a query could spell one out itself.
    argument = node.expressions[0] if len(node.expressions) == 1 else None
    if isinstance(argument, exp.Literal) and not argument.is_string and argument.this.isdigit():
        position = int(argument.this)
        if position < len(durations):
            return durations[position]
    raise QueryValidationError(f"Function {_DURATION_FUNCTION} is not supported.")


def _rewrite_tables(
    tree: exp.Expr, source: SourceMap, resolve: TableResolver
) -> tuple[TableRef, ...]:
    """Point every table reference at what it may read: a CTE in scope, or (qualified by a
    database) a table the caller can read; nothing else resolves."""
    references: list[TableRef] = []
    ctes: list[tuple[exp.Table, exp.CTE]] = []
    for table in list(tree.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            raise QueryValidationError(
                f"{_where(table, source)}: Table functions are not supported:"
                f" {table.this.sql(dialect='trino')}."
            )
        if table.args.get("catalog") is not None:
            raise QueryValidationError(
                f"{_where(table, source)}: Table reference {table.sql(dialect='trino')} has too"
                ' many parts; use "database"."table".'
            )
        if not table.db:
            cte = visible_cte(table)
            if cte is None:
                raise QueryValidationError(
                    f"{_where(table, source)}: Table '{table.name}' must be qualified by its"
                    ' database: "database"."table".'
                )
            ctes.append((table, cte))
            continue
        reference = TableRef(table.db, table.name)
        relation = resolve(reference.database_name, reference.table_name)
        schema, _, name = relation.partition(".")
        alias = table.alias or table.name
        replacement = exp.Table(
            this=exp.to_identifier(name),
            db=exp.to_identifier(schema),
            alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True)),
        )
        table.replace(replacement)
        if reference not in references:
            references.append(reference)
    rename_ctes(tree)
    for table, cte in ctes:
        # The user's name stays as the alias, so `name.column` keeps working.
        if not table.alias:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(user_name(cte), quoted=True)))
        table.set("this", exp.to_identifier(cte.alias_or_name, quoted=True))
    return tuple(references)


def _where(node: exp.Expr, source: SourceMap) -> str:
    """``line L:C`` of a node's first identifier in the caller's text (``line 1:1`` if unknown)."""
    identifier = node if isinstance(node, exp.Identifier) else node.find(exp.Identifier)
    start = identifier.meta.get("start") if identifier is not None else None
    return source.location(start if isinstance(start, int) else 0)


def _rewrite_measure_values(tree: exp.Expr) -> None:
    # `measure_value::double` is a column name in Timestream, not a cast.
    for cast in list(tree.find_all(exp.Cast)):
        operand = cast.this
        if not (isinstance(operand, exp.Column) and operand.name == "measure_value"):
            continue
        type_name = cast.to.sql(dialect="trino").lower()
        if type_name not in _MEASURE_VALUE_TYPES:
            raise QueryValidationError(f"Column measure_value::{type_name} does not exist.")
        column = exp.column(f"measure_value::{type_name}", table=operand.table or None, quoted=True)
        cast.replace(column)


def _macro(name: str, arguments: list[exp.Expr]) -> exp.Anonymous:
    return exp.Anonymous(this=f"{FUNCTION_SCHEMA}.{name}", expressions=arguments)


def _rewrite_functions(tree: exp.Expr) -> None:
    for node in list(tree.find_all(exp.Func)):
        if isinstance(node, exp.CurrentTimestamp):
            node.replace(_macro("now", []))
        elif isinstance(node, exp.TimeToUnix):
            node.replace(_macro("to_unixtime", [node.this]))
        elif isinstance(node, exp.UnixToTime):
            node.replace(_macro("from_unixtime", [node.this]))
        elif isinstance(node, exp.FromISO8601Timestamp):
            node.replace(_macro("from_iso8601_timestamp", [node.this]))
        elif isinstance(node, exp.DateDiff):
            # Trino counts whole units elapsed (DuckDB's date_sub), not boundaries crossed.
            unit = exp.Literal.string(node.unit.name if node.unit else "day")
            node.replace(
                exp.Anonymous(this="date_sub", expressions=[unit, node.expression, node.this])
            )
        elif isinstance(node, exp.Anonymous):
            name = _function_name(node)
            if name in _INTERPOLATIONS:
                node.replace(_interpolation(name, node.expressions))
            elif name in TIMESTREAM_MACROS:
                node.replace(_macro(name, list(node.expressions)))


def _interpolation(name: str, arguments: list[exp.Expr]) -> exp.Expr:
    expected = 3 if name == "interpolate_fill" else 2
    if len(arguments) != expected:
        raise QueryValidationError(f"{name} takes {expected} arguments, got {len(arguments)}.")
    if isinstance(arguments[1], exp.Array | exp.GenerateSeries):
        return _macro(name, arguments)
    # With one timestamp instead of an array, Timestream returns the interpolated value.
    return _macro("point_value_" + name.removeprefix("interpolate_"), arguments)


def _rewrite_unnest(tree: exp.Expr) -> None:
    for unnest in list(tree.find_all(exp.Unnest)):
        if unnest.args.get("offset"):
            raise QueryValidationError("UNNEST … WITH ORDINALITY is not supported.")
        alias = unnest.args.get("alias")
        columns = alias.columns if isinstance(alias, exp.TableAlias) else []
        if len(columns) < 2 or len(unnest.expressions) != 1:
            continue
        # A timeseries (or an array of rows) unnests into one column per field; DuckDB needs
        # the struct expanded inside a (lateral) subquery for the alias columns to apply.
        expand = exp.Explode(
            this=unnest.expressions[0],
            expressions=[
                exp.PropertyEQ(
                    this=exp.to_identifier("max_depth"), expression=exp.Literal.number(2)
                )
            ],
        )
        assert isinstance(alias, exp.TableAlias)
        subquery = exp.Subquery(this=exp.select(expand), alias=alias.copy())
        unnest.replace(subquery)


def _rewrite_decimal_literals(tree: exp.Expr) -> None:
    # Trino types `1.5` as DOUBLE in Timestream results; DuckDB would keep an exact DECIMAL.
    for literal in list(tree.find_all(exp.Literal)):
        if literal.is_string or not any(ch in literal.this for ch in ".eE"):
            continue
        parent = literal.parent
        if isinstance(parent, exp.ApproxQuantile) and parent.args.get("quantile") is literal:
            continue  # approx_quantile(x, DOUBLE) has no DuckDB overload; keep the DECIMAL.
        if isinstance(parent, exp.Interval | exp.Neg) and isinstance(
            parent.parent, exp.ApproxQuantile
        ):
            continue
        literal.replace(exp.Cast(this=literal.copy(), to=exp.DataType.build("DOUBLE")))


def _check_functions(tree: exp.Expr) -> None:
    for node in tree.find_all(exp.Func):
        if isinstance(node, exp.Anonymous):
            name = str(node.this).lower()
            if name.startswith(f"{FUNCTION_SCHEMA}.") or name in _ALLOWED_ANONYMOUS:
                continue
            raise QueryValidationError(f"Function {node.this} is not supported by the emulator.")
        if type(node) not in _ALLOWED_FUNCTIONS and type(node) not in functions.ALLOWED_NODES:
            raise QueryValidationError(
                f"Function {node.sql_name()} is not supported by the emulator."
            )


def _outermost_select(tree: exp.Expr) -> exp.Select | None:
    node = tree
    while isinstance(node, exp.SetOperation):
        node = node.this
    if isinstance(node, exp.Subquery):
        node = node.unnest()
    return node if isinstance(node, exp.Select) else None


def _name_unnamed_columns(tree: exp.Expr) -> None:
    select = _outermost_select(tree)
    if select is None:
        return
    for position, projection in enumerate(list(select.expressions)):
        if isinstance(projection, exp.Alias | exp.Column | exp.Star):
            continue
        projection.replace(exp.alias_(projection.copy(), f"_col{position}", quoted=True))


def _year_to_month_columns(tree: exp.Expr, year_to_month: set[int]) -> frozenset[int]:
    select = _outermost_select(tree)
    if select is None or not year_to_month:
        return frozenset()
    return frozenset(
        position
        for position, projection in enumerate(select.expressions)
        if any(id(node) in year_to_month for node in projection.find_all(exp.Interval))
    )
