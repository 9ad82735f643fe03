"""Which programmes' records a user may read through the API: the pages' rules.

Every endpoint names the permission its page asks (``outcomes.read_outcome``,
``meetings.read_meeting``...). A user reads a record when that permission holds
for the record's programme. Records of programmes the user is not a member of do
not exist for them (404); a member without the right is refused (403), as on the
pages. Memberships are cached on the user, so these checks cost one query per
request whatever the number of programmes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from rest_framework.exceptions import PermissionDenied, ValidationError

from jointprogramme.access import memberships
from jointprogramme.models import Programme

_SUPERUSER_CACHE = "_api_all_programme_ids"


def member_programme_ids(user) -> set[int]:
    """Programmes the user belongs to (every programme for a superuser: one query,
    cached on the user like the memberships)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        cached = getattr(user, _SUPERUSER_CACHE, None)
        if cached is None:
            cached = set(Programme.objects.values_list("pk", flat=True))
            setattr(user, _SUPERUSER_CACHE, cached)
        return cached
    return set(memberships(user))


def programme_ids_with(user, perm: str, among: set[int]) -> set[int]:
    """Those of ``among`` in which the user holds ``perm`` (no query: the rules read
    the cached memberships; a programme is named by an unsaved stand-in)."""
    return {pk for pk in among if user.has_perm(perm, Programme(pk=pk))}


@dataclass(frozen=True)
class Scope:
    """The programmes a list answers for, after the ``programme`` filter."""

    programme_ids: frozenset[int]
    filtered: bool  # a single programme was asked for


NOT_AN_ID = "Give a programme id (a whole number)."


def parse_programme_filter(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({"programme": [NOT_AN_ID]}) from None
    if value < 1:
        raise ValidationError({"programme": [NOT_AN_ID]})
    return value


def list_scope(user, perm: str, programme_param: str | None) -> Scope:
    """The programmes whose records a list shows.

    ``?programme=<id>``: that programme, 404 when the user is not a member of it,
    403 when they are but may not read these records. Without it: every programme
    where the user may read them, 403 when there is none.
    """
    members = member_programme_ids(user)
    wanted = parse_programme_filter(programme_param)
    if wanted is not None:
        if wanted not in members:
            raise Http404("No programme found.")
        if not user.has_perm(perm, Programme(pk=wanted)):
            raise PermissionDenied("You may not read these records of this programme.")
        return Scope(frozenset({wanted}), filtered=True)
    allowed = programme_ids_with(user, perm, members)
    if not allowed:
        raise PermissionDenied("You may not read these records in any of your programmes.")
    return Scope(frozenset(allowed), filtered=False)


def check_record(user, perm: str, programme_id: int | None) -> None:
    """One record: 404 outside the user's programmes, 403 without the right."""
    if programme_id is None or programme_id not in member_programme_ids(user):
        raise Http404("Not found.")
    if not user.has_perm(perm, Programme(pk=programme_id)):
        raise PermissionDenied("You may not read this record.")
