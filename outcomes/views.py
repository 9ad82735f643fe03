"""The results framework pages: the list, one outcome, editing, reporting results.

Access: anonymous visitors are sent to sign in; an outcome of a programme the
user is not a member of is a 404 (its existence is not revealed); a member
without the right gets a 403, for a page and for a post alike. Every check is a
``has_perm`` against the object (``outcomes/rules.py``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jointprogramme.selectors import current_programme

from . import selectors
from .forms import OutcomeEditor, OutcomeFilterForm, ResultForm, plain_number
from .models import Outcome
from .reporting import edit_refusal
from .reporting_views import result_actions
from .services import (
    BreakdownInvalid,
    EditConflict,
    ResultConflict,
    ResultRefused,
    locked_message,
    outcome_update,
    result_report,
    result_token,
)

PAGE_SIZE = 10


def _outcome_or_404(request, outcome: Outcome | None) -> Outcome:
    """The outcome if the user may read it; a 404 otherwise, so that outcomes of
    other programmes are not revealed to their non-members."""
    if outcome is None or not request.user.has_perm("outcomes.read_outcome", outcome):
        raise Http404("No outcome found.")
    return outcome


def _require(request, perm: str, obj, message: str) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


@login_required
@require_GET
def outcome_list(request):
    """The current programme's results framework, grouped by pillar, filtered, paginated."""
    programme = current_programme(request)
    if programme is None:
        return render(request, "jointprogramme/no_programme.html", status=403)
    _require(request, "outcomes.read_outcome", programme, "You are not a member of this programme.")
    filter_form = OutcomeFilterForm(
        request.GET or None,
        pillars=list(selectors.programme_pillars(programme)),
        agencies=list(selectors.programme_agencies(programme)),
    )
    filters = filter_form.filters()
    outcomes = selectors.outcomes_for_list(programme, **filters)
    page = Paginator(outcomes, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.progress_for(
        page.object_list,
        suppress=not request.user.has_perm("outcomes.view_exact_figures", programme),
        minimum=programme.min_cell_size,
    )
    rows = [
        {
            "outcome": outcome,
            "progress": progress[outcome.pk],
            "can_edit": request.user.has_perm("outcomes.edit_outcome", outcome),
        }
        for outcome in page.object_list
    ]
    context = {
        "programme": programme,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "page": page,
        "rows": rows,
        "can_follow_reporting": request.user.has_perm("outcomes.view_reporting_status", programme),
    }
    return render(request, "outcomes/outcome_list.html", context)


@login_required
@require_GET
def outcome_detail(request, pk: int):
    """One outcome: outputs, indicators and results, NAP links, feedback, history.

    Results show where they stand in the reporting cycle, with the steps the user
    may take. Donors and the coordinator see approved results only, and donors
    see sensitive figures survivor-safe.
    """
    outcome = _outcome_or_404(request, selectors.outcome_for_access(pk))
    user = request.user
    unapproved = user.has_perm("outcomes.view_unapproved_results", outcome)
    suppress = not user.has_perm("outcomes.view_exact_figures", outcome)
    selectors.outcome_detail(
        outcome,
        include_unapproved=unapproved,
        suppress=suppress,
        expand=request.GET.get("results"),
    )
    for indicator in outcome.indicator_list:
        for result in indicator.result_list:
            result.actions = result_actions(user, result)
    show_feedback = user.has_perm("meetings.read_meeting", outcome.programme)
    feedback = selectors.outcome_feedback(outcome) if show_feedback else []
    history, history_truncated = selectors.outcome_history(
        outcome,
        include_results=unapproved,
        hide_below=outcome.programme.min_cell_size if suppress else 0,
    )
    context = {
        "outcome": outcome,
        "show_feedback": show_feedback,
        "feedback": feedback,
        "history": history,
        "history_truncated": history_truncated,
        "history_limit": selectors.HISTORY_LIMIT,
        "show_status": unapproved,
    }
    return render(request, "outcomes/outcome_detail.html", context)


def _editor(outcome: Outcome, *, can_assign_agencies: bool, data=None) -> OutcomeEditor:
    return OutcomeEditor(
        outcome=outcome,
        outputs=outcome.output_list,
        pillars=selectors.programme_pillars(outcome.programme),
        agencies=selectors.programme_agencies(
            outcome.programme,
            including=[
                outcome.lead_agency_id,
                *(a.pk for a in outcome.participating_agencies.all()),
            ],
        ),
        can_assign_agencies=can_assign_agencies,
        data=data,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk: int):
    """Edit an outcome with its outputs and indicators, saved together.

    The form carries the version it was loaded at; if someone saved in between,
    nothing is written and the form comes back with their values beside yours.
    """
    outcome = _outcome_or_404(request, selectors.outcome_for_edit(pk))
    _require(request, "outcomes.edit_outcome", outcome, "You may not edit this outcome.")
    can_assign = request.user.has_perm("jointprogramme.manage_programme", outcome.programme)
    conflict = None
    if request.method == "POST":
        editor = _editor(outcome, can_assign_agencies=can_assign, data=request.POST)
        valid = editor.is_valid()
        if editor.posted_version() != outcome.version:
            # Someone saved since this form was loaded: say so before anything else,
            # even if the form is invalid because of their change.
            editor, conflict = _conflict(request, pk, editor, can_assign=can_assign)
        elif valid:
            if not editor.has_changed():
                messages.info(request, _("Nothing was changed."))
                return redirect(outcome)
            try:
                outcome_update(
                    expected_version=editor.expected_version, by=request.user, **editor.changes()
                )
            except ResultRefused as refused:  # deleting an indicator with counted results
                editor.form.add_error(None, str(refused))
            except EditConflict:  # lost the race between the check above and the save
                editor, conflict = _conflict(request, pk, editor, can_assign=can_assign)
            except IntegrityError:
                editor.form.add_error(
                    None,
                    _(
                        "The changes could not be saved as they are: two rows would have the "
                        "same code at the same moment (e.g. codes swapped). Save in two steps."
                    ),
                )
            else:
                messages.success(request, _("Outcome %(code)s saved.") % {"code": outcome.code})
                return redirect(outcome)
    else:
        editor = _editor(outcome, can_assign_agencies=can_assign)
    context = {"outcome": editor.outcome, "editor": editor, "conflict": conflict}
    status = 409 if conflict else 200
    return render(request, "outcomes/outcome_edit.html", context, status=status)


def _conflict(request, pk: int, submitted: OutcomeEditor, *, can_assign: bool):
    """The edit form again after a lost race: your values, the version now saved
    (so saving again is a deliberate choice), and what the others changed."""
    saved_outcome = selectors.outcome_for_edit(pk)
    if saved_outcome is None:
        raise Http404("The outcome was deleted.")
    saved = _editor(saved_outcome, can_assign_agencies=can_assign)
    data = request.POST.copy()
    data["version"] = str(saved_outcome.version)
    rebound = _editor(selectors.outcome_for_edit(pk), can_assign_agencies=can_assign, data=data)
    rebound.is_valid()  # for cleaned values and messages beside changed rows
    conflict = {
        "changes": selectors.outcome_changes_since(
            saved_outcome, version=submitted.posted_version() or 0
        ),
        "differences": rebound.differences_from(saved),
    }
    return rebound, conflict


@login_required
@require_http_methods(["GET", "POST"])
def result_report_view(request, pk: int, indicator_pk: int):
    """Report an indicator's result for a period (as a draft, or submitted at once),
    or correct a draft or returned one, broken down by the indicator's dimensions.

    A locked period, or a result submitted or approved, is refused with a 409 and
    the reason above the form; nothing is written.
    """
    outcome = _outcome_or_404(request, selectors.outcome_for_access(pk))
    indicator = selectors.indicator_for_report(outcome, indicator_pk)
    if indicator is None:
        raise Http404("No such indicator in this outcome.")
    _require(request, "outcomes.report_result", indicator, "You may not report on this outcome.")
    periods = selectors.reporting_periods(outcome.programme)
    form_args = {
        "periods": periods,
        "unit": indicator.unit,
        "dimensions": indicator.dimension_list,
    }
    conflict = None
    status = 200
    if request.method == "POST":
        form = ResultForm(request.POST, **form_args)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            data = form.cleaned_data
            try:
                result_report(
                    indicator=indicator,
                    period=data["period"],
                    value=data["value"],
                    note=data["note"],
                    evidence_url=data["evidence_url"],
                    based_on=data["based_on"],
                    by=request.user,
                    breakdown=form.breakdown() if indicator.dimension_list else None,
                    submit=submit,
                )
            except ResultConflict as exc:
                conflict = exc.current
                post = request.POST.copy()
                post["based_on"] = result_token(conflict)
                form = ResultForm(post, **form_args)
                form.is_valid()
                status = 409
            except BreakdownInvalid as invalid:
                for problem in invalid.problems:
                    form.add_error(None, problem)
            except ResultRefused as refused:  # a locked period, a submitted or approved result
                form.add_error(None, str(refused))
                status = 409
            else:
                done = (
                    _("Result for %(result)s saved and submitted for approval.")
                    if submit
                    else _(
                        "Result for %(result)s saved. It is a draft: submit it for approval "
                        "when it is ready."
                    )
                )
                result = f"{indicator.code}, {data['period']}"
                messages.success(request, done % {"result": result})
                return redirect(f"{outcome.get_absolute_url()}#indicator-{indicator.pk}")
    else:
        form = ResultForm(
            initial=_result_initial(indicator, request.GET.get("period"), periods),
            **form_args,
        )
    context = {
        "outcome": outcome,
        "indicator": indicator,
        "form": form,
        "conflict": conflict,
        "notice": _period_notice(indicator, form, periods),
    }
    return render(request, "outcomes/result_report.html", context, status=status)


def _period_notice(indicator, form, periods) -> str:
    """Why the chosen period's result cannot be changed now, if it cannot."""
    period = form["period"].value()
    try:
        period_id = int(period) if period else None
    except (TypeError, ValueError):
        return ""
    chosen = next((p for p in periods if p.pk == period_id), None)
    if chosen is not None and chosen.is_locked:
        return locked_message(chosen)
    result = next((r for r in indicator.result_list if r.period_id == period_id), None)
    return (edit_refusal(result.status) or "") if result else ""


def _result_initial(indicator, period_param: str | None, periods) -> dict:
    """Start from the asked period's result (to correct it) or the first open
    period without one (to report it)."""
    results = {r.period_id: r for r in indicator.result_list}
    try:
        period_id = int(period_param) if period_param else None
    except ValueError:
        period_id = None
    if period_id is not None and period_id in results:
        result = results[period_id]
        return {
            "period": period_id,
            "value": plain_number(result.value),
            "note": result.note,
            "evidence_url": result.evidence_url,
            "based_on": result_token(result),
            **ResultForm.breakdown_initial(result),
        }
    if period_id is None:
        period_id = next((p.pk for p in periods if p.pk not in results and not p.is_locked), None)
    return {"period": period_id, "based_on": ""}
