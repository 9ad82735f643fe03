"""Queries of a fixed shape whose SQL is compiled once per process.

Layer 2 (Django only). Some pages run the same query on every request with only
an id changing, and building it through the ORM — subqueries within subqueries —
costs more than the database takes to answer it (the outcome page's history, the
dashboard's fingerprints). Such a query is built once with a stand-in id that no
row has, and run afterwards with the stand-in replaced by the real id in its
parameters: the same SQL, the same parameters, without compiling it again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from django.db import connection

# Stands for the id in a query compiled once: no row has it, and it is always
# replaced before the query runs.
STAND_IN = -314159265

_COMPILED: dict[tuple, tuple[str, tuple]] = {}


def compiled_once(
    key: Hashable, build: Callable[[int], tuple[str, Sequence]], pk: int
) -> tuple[str, list]:
    """The SQL and parameters ``build(id)`` gives, for ``pk``: ``build`` runs once
    per process and database (``key`` names the query), with ``STAND_IN`` as the
    id, which must be among its parameters."""
    full_key = (key, connection.vendor)
    if full_key not in _COMPILED:
        sql, params = build(STAND_IN)
        if STAND_IN not in params:
            raise RuntimeError(f"The query {key!r} does not take the id as a parameter.")
        _COMPILED[full_key] = (sql, tuple(params))
    sql, params = _COMPILED[full_key]
    return sql, [pk if param == STAND_IN else param for param in params]
