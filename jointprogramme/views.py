"""The programme dashboard and the platform pages that belong to no one app.

Layer 5: reads every app through its selectors.
"""

from collections import Counter
from decimal import Decimal
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from funding.reports import PledgeRow, summarise_funding
from funding.selectors import pledges_for_programme, rate_table_for
from meetings.selectors import meetings_around, overdue_actions
from outcomes.alignment_reports import choose_plan
from outcomes.selectors import action_plans, pillars_with_outcomes, plan_report

from .caching import cached_alignment, cached_funding
from .models import Programme
from .selectors import SESSION_KEY, current_programme


@login_required
@require_GET
def dashboard(request):
    """Everything about the current programme on one page, in a fixed number of queries."""
    programme = current_programme(request)
    if programme is None:
        return render(request, "jointprogramme/no_programme.html", status=403)
    pillars = pillars_with_outcomes(programme)
    status_counts = Counter(o.status for p in pillars for o in p.outcome_list)
    funding, donor_count = cached_funding(programme, partial(_funding_figures, programme))
    context = {
        "programme": programme,
        "pillars": pillars,
        "outcome_count": sum(status_counts.values()),
        "status_counts": status_counts,
        "funding": funding,
        "donor_count": donor_count,
        "meetings": meetings_around(programme, today=timezone.localdate()),
        "alignment": _alignment_figures(programme),
        # Follow-up actions are meeting records, which donors do not see.
        "overdue_actions": (
            overdue_actions(programme, timezone.localdate())
            if request.user.has_perm("meetings.read_meeting", programme)
            else []
        ),
    }
    return render(request, "jointprogramme/dashboard.html", context)


def _alignment_figures(programme):
    """Coverage of the programme's National Action Plan (the adopted one, else the
    newest draft): the alignment report's overall figures and its gaps, or None.
    Cached until the plan's objectives or links change."""
    plan = choose_plan(action_plans(programme))
    if plan is None:
        return None

    def figures():
        _rows, report = plan_report(plan)
        return {"figures": report.overall, "gaps": len(report.gaps)}

    return {"plan": plan, **cached_alignment(plan, figures)}


def _funding_figures(programme, budget: Decimal):
    """The funding summary and the number of donors (cached by the dashboard)."""
    pledge_objects = list(pledges_for_programme(programme))
    pledges = [PledgeRow(p.amount, p.currency, p.pledged_on, p.status) for p in pledge_objects]
    rates = rate_table_for(currencies={p.currency for p in pledges}, target=programme.currency)
    funding = summarise_funding(budget=budget, pledges=pledges, rates=rates)
    return funding, len({p.donor_id for p in pledge_objects})


@login_required
@require_POST
def select_programme(request):
    """Make another of the user's programmes the current one."""
    try:
        programme_id = int(request.POST.get("programme", ""))
    except ValueError:
        raise PermissionDenied("Unknown programme.") from None
    programme = get_object_or_404(Programme, pk=programme_id)
    if not request.user.has_perm("jointprogramme.use_programme", programme):
        raise PermissionDenied("You are not a member of that programme.")
    request.session[SESSION_KEY] = programme.pk
    return redirect("dashboard")


@never_cache
@require_GET
def healthz(request):
    """200 and "ok" when the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
