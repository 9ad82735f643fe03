"""Records an import inserts in bulk, with their audit history.

simple-history's ``bulk_create_with_history`` builds a historical record in Python
for every record inserted and sends it back to the database: for a file of 10,000
pledges that took longer than checking the whole file. ``bulk_create_audited``
writes the same history rows (every tracked field as inserted, "+" for created,
the user who imported, no change reason) with one ``INSERT … SELECT`` a batch,
copied in the database from the rows just inserted. A history model with fields
of its own, a custom history id, or a database that does not return the ids of
a bulk insert is left to simple-history.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)

#: The history model's own fields that ``bulk_create_audited`` knows how to fill.
HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}


def bulk_create_audited(model, instances: list, *, batch_size: int | None, default_user) -> None:
    """Insert ``instances`` of an audited ``model`` and their history, as
    ``bulk_create_with_history(instances, model, batch_size=…, default_user=…)``."""
    using = router.db_for_write(model)
    history_model = get_history_manager_for_model(model).model
    if not _copyable(model, history_model, connections[using]):
        bulk_create_with_history(instances, model, batch_size=batch_size, default_user=default_user)
        return
    with transaction.atomic(using=using, savepoint=False):
        model._default_manager.using(using).bulk_create(instances, batch_size=batch_size)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            _copy_history(model, history_model, instances, using, batch_size, default_user)


def _copyable(model, history_model, connection) -> bool:
    if not connection.features.can_return_rows_from_bulk_insert:
        return False  # simple-history finds the records again by their values
    if not isinstance(history_model._meta.pk, AutoFieldMixin):
        return False
    tracked = {f.name for f in history_model.tracked_fields}
    for field in history_model._meta.concrete_fields:
        if field.name in tracked:
            if model._meta.get_field(field.name).column != field.column:
                return False
        elif field.name not in HISTORY_FIELDS and field.attname != "history_user_id":
            return False
    return True


def _copy_history(model, history_model, instances, using, batch_size, default_user) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    tracked = {f.name for f in history_model.tracked_fields}
    # Who and why, as simple-history asks each record; in an import one group.
    groups = defaultdict(list)
    for instance in instances:
        user = getattr(
            instance,
            "_history_user",
            default_user or history_model.get_default_history_user(instance),
        )
        reason = get_change_reason_from_object(instance) or None
        groups[(getattr(user, "pk", None), reason)].append(instance.pk)
    moment = timezone.now()
    per_query = batch_size or 1000  # ids a statement, as many as the database takes
    if connection.features.max_query_params:
        per_query = min(per_query, connection.features.max_query_params - len(HISTORY_FIELDS))
    for (user_pk, reason), pks in groups.items():
        values = {
            "history_date": moment,
            "history_change_reason": reason,
            "history_type": "+",
            "history_user_id": user_pk,
        }
        columns, selected, params = [], [], []
        for field in history_model._meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(quote(field.column))
            if field.name in tracked:
                selected.append(quote(field.column))
            else:
                selected.append("%s")
                params.append(field.get_db_prep_save(values[field.attname], connection))
        insert = (
            f"INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} IN "
        )
        with connection.cursor() as cursor:
            for start in range(0, len(pks), per_query):
                chunk = pks[start : start + per_query]
                cursor.execute(insert + f"({', '.join(['%s'] * len(chunk))})", params + chunk)
