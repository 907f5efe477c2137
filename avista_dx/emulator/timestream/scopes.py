"""Table names resolve by scope: a name without a database is a CTE visible where it is used.

SQL's scoping: a query's WITH list is visible in its body and in the queries nested in it; a
CTE's own definition sees the CTEs listed before it (and itself when the WITH is RECURSIVE),
never those after it. A nested WITH shadows the outer ones. Anything else a bare name could
mean (DuckDB's catalog: ``duckdb_tables``, ``sqlite_master``, ``pg_settings``…) must never
resolve, so each CTE gets a name no catalog object has and every reference is pointed at it:
even where DuckDB's own scoping differed from this one, a reference could only miss.
"""

from __future__ import annotations

from sqlglot import exp

_INTERNAL_PREFIX = "__ts_cte_"


def _same_name(left: str, right: str) -> bool:
    # DuckDB matches relation names case-insensitively, quoted or not.
    return left.casefold() == right.casefold()


def _match(ctes: list[exp.CTE], name: str) -> exp.CTE | None:
    for cte in reversed(ctes):  # the last definition of a repeated name wins
        if _same_name(cte.alias_or_name, name):
            return cte
    return None


def visible_cte(table: exp.Table) -> exp.CTE | None:
    """The CTE an unqualified ``table`` reference means, or None if no CTE of that name is
    in scope at that point."""
    name = table.name
    child: exp.Expr = table
    node = table.parent
    while node is not None:
        if isinstance(node, exp.With):
            ctes = list(node.expressions)
            position = next(i for i, cte in enumerate(ctes) if cte is child)
            seen = ctes[: position + 1] if node.args.get("recursive") else ctes[:position]
            found = _match(seen, name)
            if found is not None:
                return found
            # The query owning this WITH: its other CTEs are not in scope here.
            child = node.parent if node.parent is not None else node
            node = child.parent
            continue
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With) and child is not with_:
            found = _match(list(with_.expressions), name)
            if found is not None:
                return found
        child, node = node, node.parent
    return None


def rename_ctes(tree: exp.Expr) -> None:
    """Gives every CTE of ``tree`` an internal name (:func:`user_name` keeps the caller's)."""
    for index, cte in enumerate(tree.find_all(exp.CTE)):
        internal = f"{_INTERNAL_PREFIX}{index}"
        alias = cte.args.get("alias")
        cte.meta["user_name"] = cte.alias_or_name
        renamed = exp.TableAlias(
            this=exp.to_identifier(internal, quoted=True),
            columns=[column.copy() for column in alias.columns] if alias is not None else [],
        )
        cte.set("alias", renamed)


def user_name(cte: exp.CTE) -> str:
    return str(cte.meta.get("user_name", cte.alias_or_name))
