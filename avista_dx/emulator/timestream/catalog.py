"""The catalog: Timestream tables, their columns and measures, persisted in ``ts_meta``.

Each Timestream table is a DuckDB table ``ts_data.t_<id>`` (internal columns first) behind a
view ``ts_data.v_<id>`` that shows Timestream's columns in ``SELECT *`` order. Internal ids
keep Timestream's case-sensitive database and table names away from DuckDB's
case-insensitive identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

DATA_SCHEMA = "ts_data"
META_SCHEMA = "ts_meta"

# The storage table's own columns: no dimension or measure may take these names (any case).
INTERNAL_COLUMNS = frozenset({"__series", "__version"})

DIMENSION = "DIMENSION"
MEASURE_VALUE = "MEASURE_VALUE"
MULTI = "MULTI"

# Timestream type name (lower case, as DESCRIBE shows it) -> DuckDB storage type.
STORAGE_TYPES = {
    "varchar": "VARCHAR",
    "double": "DOUBLE",
    "bigint": "BIGINT",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP_NS",
}
_MEASURE_VALUE_ORDER = ("double", "bigint", "varchar", "boolean")

META_DDL = (
    f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}",
    f"CREATE SCHEMA IF NOT EXISTS {DATA_SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.tables (
        table_id INTEGER PRIMARY KEY, database_name VARCHAR NOT NULL,
        table_name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.columns (
        table_id INTEGER NOT NULL, position INTEGER NOT NULL, name VARCHAR NOT NULL,
        category VARCHAR NOT NULL, type VARCHAR NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.measures (
        table_id INTEGER NOT NULL, measure_name VARCHAR NOT NULL, data_type VARCHAR NOT NULL,
        dimensions VARCHAR[] NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.series (
        table_id INTEGER NOT NULL, series_id BIGINT NOT NULL, series_key VARCHAR NOT NULL)""",
)


def quote(name: str) -> str:
    """A DuckDB quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    category: str
    type: str


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    """A measure name, its data type (``double``… or ``multi``) and the dimensions seen with it."""

    name: str
    data_type: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableSchema:
    """An immutable snapshot of one table's schema; a write swaps in a new snapshot."""

    table_id: int
    database_name: str
    table_name: str
    columns: tuple[Column, ...] = ()
    measures: Mapping[str, MeasureInfo] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def storage_table(self) -> str:
        return f"{DATA_SCHEMA}.t_{self.table_id}"

    @property
    def view(self) -> str:
        return f"{DATA_SCHEMA}.v_{self.table_id}"

    def with_changes(
        self, new_columns: list[Column], measures: Mapping[str, MeasureInfo]
    ) -> TableSchema:
        return replace(
            self,
            columns=self.columns + tuple(new_columns),
            measures=MappingProxyType(dict(measures)),
        )

    def visible_columns(self) -> list[tuple[str, str, str]]:
        """``(name, type, category)`` in Timestream's ``SELECT *`` / DESCRIBE order."""
        dimensions = [(c.name, c.type, DIMENSION) for c in self.columns if c.category == DIMENSION]
        fixed = [("measure_name", "varchar", "MEASURE_NAME"), ("time", "timestamp", "TIMESTAMP")]
        single = {c.type: c for c in self.columns if c.category == MEASURE_VALUE}
        measure_values = [
            (single[t].name, t, MEASURE_VALUE) for t in _MEASURE_VALUE_ORDER if t in single
        ]
        multi = [(c.name, c.type, MULTI) for c in self.columns if c.category == MULTI]
        return dimensions + fixed + measure_values + multi

    def view_ddl(self) -> str:
        names = ", ".join(quote(name) for name, _, _ in self.visible_columns())
        return f"CREATE OR REPLACE VIEW {self.view} AS SELECT {names} FROM {self.storage_table}"

    def storage_ddl(self) -> str:
        return (
            f"CREATE TABLE {self.storage_table} (__series BIGINT NOT NULL,"
            " __version BIGINT NOT NULL, measure_name VARCHAR NOT NULL,"
            " time TIMESTAMP_NS NOT NULL)"
        )


def load_schemas(cursor: Any) -> list[TableSchema]:
    """Every table's schema, read from ``ts_meta``."""
    tables = cursor.execute(
        f"SELECT table_id, database_name, table_name FROM {META_SCHEMA}.tables ORDER BY table_id"
    ).fetchall()
    columns: dict[int, list[Column]] = {}
    for table_id, name, category, type_name in cursor.execute(
        f"SELECT table_id, name, category, type FROM {META_SCHEMA}.columns"
        " ORDER BY table_id, position"
    ).fetchall():
        columns.setdefault(table_id, []).append(Column(name, category, type_name))
    measures: dict[int, dict[str, MeasureInfo]] = {}
    for table_id, name, data_type, dimensions in cursor.execute(
        f"SELECT table_id, measure_name, data_type, dimensions FROM {META_SCHEMA}.measures"
    ).fetchall():
        measures.setdefault(table_id, {})[name] = MeasureInfo(name, data_type, tuple(dimensions))
    return [
        TableSchema(
            table_id=table_id,
            database_name=database_name,
            table_name=table_name,
            columns=tuple(columns.get(table_id, ())),
            measures=MappingProxyType(measures.get(table_id, {})),
        )
        for table_id, database_name, table_name in tables
    ]
