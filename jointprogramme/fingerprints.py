"""Computed content kept in the cache under a fingerprint of the tables it is
computed from: export files, report figures.

Layer 2 (Django only): each app names the models its own content is built from.

``fingerprint(models)`` reads, in one query, a state of each model's table that
changes whenever a row is added, changed or deleted through Django — the pages, the
admin, the imports, any app server:

- a model with an audit history (django-simple-history): the newest history entry
  (every save and every delete writes one) and the highest id (rows bulk-inserted
  without history: generated data);
- any other model: its row count, highest id and newest ``updated_at`` (an
  ``auto_now`` column, set by every save); a table whose rows are only ever added
  or deleted (many-to-many links) needs no ``updated_at``;
- the user table, which has no ``updated_at``: its row count, highest id and the
  summed lengths of the names (``USER_NAMES``): a renamed person changes them.

The states of the whole installation are read, not one programme's: each is an
index lookup or a scan of a small table, and a change anywhere gives a new key,
which only costs one recomputation. A cached value can therefore not outlive the
data behind it, except after a change made past Django (raw SQL, ``QuerySet.update``
without ``updated_at``) that leaves every state equal: that is seen when the entry
expires (``TIMEOUT``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.utils import translation

TIMEOUT = 5 * 60
UPDATED_AT = "updated_at"
# Shown wherever a person is named (approvers, reviewers, proposers).
USER_NAMES = ("first_name", "last_name", "username")

T = TypeVar("T")
logger = logging.getLogger(__name__)


def digest(row) -> str:
    """A short digest of a fingerprint row: the part of a cache key that changes
    with the data."""
    if isinstance(row, Mapping):
        row = sorted(row.items())
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


@functools.cache
def history_model(model: type[Model]) -> type[Model] | None:
    """The model's audit history (django-simple-history), if it has one (read once
    per model: ``model.history`` builds a manager class at every read)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def table_state(model: type[Model]) -> list[str]:
    """The SQL expressions (scalar subqueries) that make up the model's state."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    states = [f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})"]
    history = history_model(model)
    if history is not None:
        states.append(f"(SELECT MAX({quote('history_id')}) FROM {quote(history._meta.db_table)})")
        return states
    states.append(f"(SELECT COUNT(*) FROM {table})")
    names = {f.name for f in model._meta.concrete_fields}
    if UPDATED_AT in names:
        column = quote(model._meta.get_field(UPDATED_AT).column)
        states.append(f"(SELECT MAX({column}) FROM {table})")
    elif model is get_user_model():
        for name in USER_NAMES:
            column = quote(model._meta.get_field(name).column)
            states.append(f"(SELECT SUM(LENGTH({column})) FROM {table})")
    elif not model._meta.auto_created:
        raise ValueError(
            f"{model._meta.label} has neither an audit history nor {UPDATED_AT}: "
            "a change to one of its rows would not change the fingerprint"
        )
    return states


def fingerprint(models: Iterable[type[Model]]) -> str:
    """A digest of the state of every model's table. One query."""
    states = [state for model in models for state in table_state(model)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(states))
        row = cursor.fetchone()
    return digest(tuple(str(value) for value in row))


def cached(key: str, compute: Callable[[], T], what: str, timeout: int = TIMEOUT) -> T:
    """``compute()``, kept under ``key``. The cache only saves time: if it is
    unreachable (Redis down) the value is computed and served, with a warning."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - any cache failure: compute instead
        logger.warning("cache unavailable; %s computed", what, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable; %s not stored", what, exc_info=True)
    return value


def cached_content(
    name: str,
    parts: Sequence,
    models: Iterable[type[Model]],
    compute: Callable[[], T],
) -> T:
    """``compute()`` — content built in the active language from the rows of
    ``models`` — kept until one of those tables changes. ``parts`` name whatever
    else the content depends on (the programme, the reader's view of it, the file
    kind, the day)."""
    key = f"{name}:{digest((translation.get_language(), *parts))}:{fingerprint(models)}"
    return cached(key, compute, name)
