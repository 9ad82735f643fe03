"""Writes about pledges and payments: one function per use case, in one transaction,
with keyword-only arguments; nothing hides in ``save()`` or a signal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from jointprogramme.models import Programme
from stakeholders.models import Organisation

from .models import Payment, Pledge


@transaction.atomic
def pledge_record(
    *,
    programme: Programme,
    by,
    donor: Organisation,
    amount: Decimal,
    currency: str,
    pledged_on: date,
    status: str,
    earmark: dict,
    reference: str = "",
    note: str = "",
    is_anonymous: bool = False,
) -> Pledge:
    """A donor's pledge to ``programme``; ``earmark`` names at most one earmark id."""
    pledge = Pledge(
        programme=programme,
        donor=donor,
        amount=amount,
        currency=currency,
        pledged_on=pledged_on,
        status=status,
        reference=reference,
        note=note,
        is_anonymous=is_anonymous,
        **earmark,
    )
    pledge._history_user = by
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def payment_record(
    *,
    pledge: Pledge,
    by,
    amount: Decimal,
    currency: str,
    received_on: date,
    received_by: Organisation,
    reference: str = "",
) -> Payment:
    """Money received against a pledge. A pledge still only "pledged" becomes
    "committed": money that has arrived was committed, and committed is never less
    than paid on the funding page."""
    payment = Payment(
        pledge=pledge,
        amount=amount,
        currency=currency,
        received_on=received_on,
        received_by=received_by,
        reference=reference,
    )
    payment.full_clean()
    payment.save()
    locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if locked.status == Pledge.Status.PLEDGED:
        locked.status = Pledge.Status.COMMITTED
        locked.version += 1
        locked._history_user = by
        locked.save(update_fields=["status", "version"])
    return payment
