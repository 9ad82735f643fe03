"""The stakeholder directory: organisations and their people, and what each has
done in the current programme — meetings, feedback, pledges, NAP objectives.

Layer 5: organisations are shared by every programme, but their engagement is
read from each app's selectors for the current programme only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from funding.selectors import pledges_by_donor
from meetings.models import Feedback
from meetings.selectors import engagement_counts, organisation_engagement
from outcomes.selectors import objectives_by_ministry
from stakeholders.models import Organisation
from stakeholders.selectors import get_organisation, kind_counts, organisation_directory

from .selectors import current_programme, participation_of

PAGE_SIZE = 25


def _programme(request):
    programme = current_programme(request)
    if programme is None or not request.user.has_perm("jointprogramme.view_directory", programme):
        raise PermissionDenied("The stakeholder directory is open to the programme team.")
    return programme


@login_required
@require_GET
def organisation_list(request):
    """Organisations by kind with their contacts and engagement; searchable."""
    programme = _programme(request)
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organisation.Kind.values else ""
    page = Paginator(organisation_directory(search=search, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    organisations = list(page.object_list)
    ids = [o.pk for o in organisations]
    counts = engagement_counts(programme, ids)
    pledges = pledges_by_donor(programme, ids)
    objectives = objectives_by_ministry(programme, ids)
    for organisation in organisations:
        organisation.engagement = counts.get(organisation.pk)
        organisation.pledge_count = len(pledges.get(organisation.pk, []))
        organisation.objective_count = len(objectives.get(organisation.pk, []))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "page": page,
        "organisations": organisations,
        "search": search,
        "kind": kind,
        "kinds": kind_counts(search=search),
        "query": query.urlencode(),
    }
    return render(request, "stakeholders/list.html", context)


@login_required
@require_GET
def organisation_detail(request, pk: int):
    """One organisation: its people and everything it did in the current programme."""
    programme = _programme(request)
    organisation = get_organisation(pk)
    if organisation is None:
        raise Http404("No such organisation.")
    engagement = organisation_engagement(programme, organisation)
    participation = participation_of(programme, organisation)
    context = {
        "programme": programme,
        "organisation": organisation,
        "contacts": list(organisation.contacts.all()),
        "participation": participation,
        "engagement": engagement,
        "feedback_answered": sum(
            1 for f in engagement.feedback if f.status != Feedback.Status.OPEN
        ),
        "pledges": pledges_by_donor(programme, [organisation.pk]).get(organisation.pk, []),
        "objectives": objectives_by_ministry(programme, [organisation.pk]).get(organisation.pk, []),
        "can_see_meetings": request.user.has_perm("meetings.read_meeting", programme),
    }
    return render(request, "stakeholders/organisation.html", context)
