"""Reads of organisations and contacts for the stakeholder directory."""

from __future__ import annotations

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from .models import Contact, Organisation

Kind = Organisation.Kind
# The order the directory lists kinds in: the agencies, the government, donors, others.
KIND_ORDER = [
    Kind.UN_AGENCY,
    Kind.MINISTRY,
    Kind.GOVERNMENT_OFFICE,
    Kind.EMBASSY,
    Kind.DEVELOPMENT_AGENCY,
    Kind.FUND,
    Kind.INTERNATIONAL,
    Kind.CIVIL_SOCIETY,
]
kind_rank = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)),
    default=Value(len(KIND_ORDER)),
)


def _matching(search: str) -> Q:
    """Organisations whose name, acronym or country, or one of whose people, matches."""
    people = Contact.objects.filter(organisation=OuterRef("pk")).filter(
        Q(name__icontains=search) | Q(position__icontains=search) | Q(email__icontains=search)
    )
    return (
        Q(name__icontains=search)
        | Q(acronym__icontains=search)
        | Q(country__icontains=search)
        | Q(description__icontains=search)
        | Q(Exists(people))
    )


def organisation_directory(*, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    """Organisations by kind, then name, each with its ``contacts`` prefetched."""
    organisations = Organisation.objects.all()
    if search:
        organisations = organisations.filter(_matching(search))
    if kind:
        organisations = organisations.filter(kind=kind)
    return (
        organisations.annotate(kind_rank=kind_rank)
        .order_by("kind_rank", "name")
        .prefetch_related("contacts")
    )


def kind_counts(*, search: str = "") -> list[tuple[str, str, int]]:
    """(kind, label, number of organisations) for every kind, matching ``search``. One query."""
    organisations = Organisation.objects.all()
    if search:
        organisations = organisations.filter(_matching(search))
    counts = dict(organisations.order_by().values_list("kind").annotate(n=Count("pk")))
    return [(kind.value, kind.label, counts.get(kind.value, 0)) for kind in KIND_ORDER]


def get_organisation(pk: int) -> Organisation | None:
    return Organisation.objects.prefetch_related("contacts").filter(pk=pk).first()
