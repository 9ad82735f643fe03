"""The reporting cycle's pages and posts: a result's steps (submit, withdraw,
approve, return, reopen), the reporting status page, locking periods, and the
approved results as CSV or XLSX.

Access as on the other outcome pages: anonymous visitors sign in; an outcome of a
programme the user is not a member of is a 404; a member without the right gets
a 403. A step the cycle refuses (a locked period, a result changed meanwhile, a
status the step does not start from) is a 409 that says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jointprogramme.access import organisation_in
from jointprogramme.fingerprints import cached_content
from jointprogramme.selectors import current_programme

from . import reporting_exports, reporting_selectors, selectors
from .forms import PeriodLockForm, ReportingPeriodChoiceForm, StepForm
from .models import ReportingPeriod, Result
from .reporting import (
    COMMENT_REQUIRED,
    REVIEW_STEPS,
    Step,
    current_period,
    is_author,
    reporting_status,
)
from .services import (
    ResultConflict,
    ResultRefused,
    period_lock,
    period_unlock,
    result_step,
    result_token,
)

Status = Result.Status
STEP_PERMS = {
    Step.SUBMIT: "outcomes.submit_result",
    Step.WITHDRAW: "outcomes.submit_result",
    Step.APPROVE: "outcomes.approve_result",
    Step.RETURN: "outcomes.approve_result",
    Step.REOPEN: "outcomes.reopen_result",
}
STEP_BUTTONS = {  # label, button style
    Step.SUBMIT: (gettext_lazy("Submit"), "btn-primary"),
    Step.WITHDRAW: (gettext_lazy("Withdraw"), "btn-outline-secondary"),
    Step.APPROVE: (gettext_lazy("Approve"), "btn-success"),
    Step.RETURN: (gettext_lazy("Return"), "btn-outline-danger"),
    Step.REOPEN: (gettext_lazy("Reopen"), "btn-outline-danger"),
}
STEP_MESSAGES = {  # after the step, for the person who took it
    Step.SUBMIT: gettext_lazy("Result for %(result)s submitted."),
    Step.WITHDRAW: gettext_lazy("Result for %(result)s withdrawn."),
    Step.APPROVE: gettext_lazy("Result for %(result)s approved."),
    Step.RETURN: gettext_lazy("Result for %(result)s returned."),
    Step.REOPEN: gettext_lazy("Result for %(result)s reopened."),
}
_STEPS_FROM = {
    Status.DRAFT: [Step.SUBMIT],
    Status.RETURNED: [Step.SUBMIT],
    Status.SUBMITTED: [Step.APPROVE, Step.RETURN, Step.WITHDRAW],
    Status.APPROVED: [Step.REOPEN],
}


def result_actions(user, result: Result) -> dict:
    """What ``user`` may do with ``result`` (indicator and outcome loaded): the
    step buttons, whether it can be corrected, and why it waits for someone else.
    No query: the rules read cached memberships and loaded relations."""
    if result.period.is_locked:
        return {"steps": [], "can_correct": False, "waiting": ""}
    steps = []
    for step in _STEPS_FROM[result.status]:
        if user.has_perm(STEP_PERMS[step], result):
            label, style = STEP_BUTTONS[step]
            steps.append(
                {
                    "step": step.value,
                    "label": str(label),
                    "style": style,
                    "needs_comment": step in COMMENT_REQUIRED,
                }
            )
    can_report = user.has_perm("outcomes.submit_result", result)
    waiting = ""
    if result.status == Status.SUBMITTED and can_report:
        own = is_author(
            user.pk, submitted_by_id=result.submitted_by_id, reported_by_id=result.reported_by_id
        )
        if own:
            waiting = _("Waiting for someone else to approve it.")
    return {
        "steps": steps,
        "can_correct": can_report and result.status in (Status.DRAFT, Status.RETURNED),
        "waiting": waiting,
        "token": result_token(result),
    }


def _refused(request, message: str, *, outcome=None, status: int = 409, title: str = ""):
    context = {
        "title": title or _("That could not be done"),
        "message": message,
        "outcome": outcome,
        "back": _next_url(request) or (outcome.get_absolute_url() if outcome else None),
    }
    return render(request, "outcomes/refused.html", context, status=status)


def _next_url(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_POST
def result_step_view(request, pk: int, result_pk: int, step: str):
    """One step of a result through the reporting cycle, from a button."""
    outcome = selectors.outcome_for_access(pk)
    if outcome is None or not request.user.has_perm("outcomes.read_outcome", outcome):
        raise Http404("No outcome found.")
    result = reporting_selectors.result_for_step(outcome, result_pk)
    if result is None:
        raise Http404("No such result in this outcome.")
    try:
        step = Step(step)
    except ValueError:
        raise Http404("No such step.") from None
    if not request.user.has_perm(STEP_PERMS[step], result):
        if step in REVIEW_STEPS and is_author(
            request.user.pk,
            submitted_by_id=result.submitted_by_id,
            reported_by_id=result.reported_by_id,
        ):
            return _refused(
                request,
                _("You entered or submitted this result: someone else must approve or return it."),
                outcome=outcome,
                status=403,
                title=_("Not your own result"),
            )
        raise PermissionDenied("You may not do this with this result.")
    form = StepForm(request.POST, comment_required=step in COMMENT_REQUIRED)
    if not form.is_valid():
        return _refused(
            request, " ".join(form.errors.get("comment", [])), outcome=outcome, status=400
        )
    label = f"{result.indicator.code}, {result.period.name}"
    try:
        result_step(
            result=result,
            step=step,
            based_on=form.cleaned_data["based_on"],
            by=request.user,
            comment=form.cleaned_data["comment"],
        )
    except ResultConflict as conflict:
        current = conflict.current
        return _refused(
            request,
            _(
                "The result for %(result)s changed after you opened the page (it is now "
                "%(status)s, value %(value)s). Nothing was done: look at it again."
            )
            % {
                "result": label,
                "status": current.get_status_display().lower(),
                "value": format(current.value.normalize(), "f"),
            },
            outcome=outcome,
            title=_("The result changed meanwhile"),
        )
    except ResultRefused as refused:
        return _refused(request, str(refused), outcome=outcome)
    messages.success(request, STEP_MESSAGES[step] % {"result": label})
    return redirect(
        _next_url(request) or f"{outcome.get_absolute_url()}#indicator-{result.indicator_id}"
    )


@login_required
@require_GET
def reporting_status_view(request):
    """Where the current (or chosen) period's reporting stands: per agency, per
    outcome, and indicator by indicator with what is overdue first. Managers see
    every agency; agency staff the outcomes their agency leads or takes part in."""
    programme = current_programme(request)
    if programme is None:
        return render(request, "jointprogramme/no_programme.html", status=403)
    if not request.user.has_perm("outcomes.view_reporting_status", programme):
        raise PermissionDenied("Only programme managers and agency staff follow the reporting.")
    today = timezone.localdate()
    periods = reporting_selectors.period_list(programme)
    form = ReportingPeriodChoiceForm(request.GET or None, periods=periods)
    period = form.chosen()
    if period is None:
        current = current_period([reporting_selectors.period_info(p) for p in periods], today)
        period = next((p for p in periods if current and p.pk == current.id), None)
    agency = None
    if not request.user.has_perm("jointprogramme.manage_programme", programme):
        agency = organisation_in(request.user, programme)
    context = {
        "programme": programme,
        "form": form,
        "period": period,
        "agency": agency,
        "today": today,
        "can_lock": request.user.has_perm("outcomes.lock_period", programme),
    }
    if period is not None:
        indicators = reporting_selectors.indicators_to_report(programme, agency=agency)
        statuses = reporting_selectors.period_statuses(period)
        context["report"] = reporting_status(
            indicators, statuses, due_date=period.due_date, today=today
        )
        context["lock_events"] = reporting_selectors.lock_events(period)
        context["lock_form"] = PeriodLockForm(unlocking=period.is_locked)
    return render(request, "outcomes/reporting_status.html", context)


@login_required
@require_POST
def period_lock_view(request, period_pk: int, action: str):
    """Lock a period (its results stop changing) or unlock it, with a reason."""
    period = get_object_or_404(ReportingPeriod.objects.select_related("programme"), pk=period_pk)
    if not request.user.has_perm("outcomes.read_outcome", period.programme):
        raise Http404("No such period.")
    if not request.user.has_perm("outcomes.lock_period", period):
        raise PermissionDenied("Only programme managers lock and unlock periods.")
    if action not in ("lock", "unlock"):
        raise Http404("No such action.")
    unlocking = action == "unlock"
    form = PeriodLockForm(request.POST, unlocking=unlocking)
    if not form.is_valid():
        return _refused(
            request, " ".join(form.errors.get("reason", [])), status=400, title=_("Give a reason")
        )
    change = period_unlock if unlocking else period_lock
    try:
        change(period=period, reason=form.cleaned_data["reason"], by=request.user)
    except ResultRefused as refused:
        return _refused(request, str(refused))
    done = _("%(period)s unlocked.") if unlocking else _("%(period)s locked.")
    messages.success(request, done % {"period": period.name})
    return redirect(f"{reverse('outcomes:reporting_status')}?period={period.pk}")


@login_required
@require_GET
def results_export(request, kind: str):
    """The current programme's approved results as CSV or XLSX: survivor-safe for
    donors, exact for staff, managers and the coordinator."""
    programme = current_programme(request)
    if programme is None:
        return render(request, "jointprogramme/no_programme.html", status=403)
    if not request.user.has_perm("outcomes.read_outcome", programme):
        raise PermissionDenied("You are not a member of this programme.")
    suppress = not request.user.has_perm("outcomes.view_exact_figures", programme)
    minimum = programme.min_cell_size

    def build() -> bytes:
        rows = reporting_exports.export_rows(
            reporting_selectors.approved_results(programme), minimum=minimum, suppress=suppress
        )
        return reporting_exports.write(rows, kind)

    # The file of a large programme takes most of a second to write: it is kept
    # until any of the tables it is built from changes.
    models = reporting_exports.sources()
    body = cached_content("results-export", (programme.pk, kind, minimum, suppress), models, build)
    name = reporting_exports.filename(programme, timezone.localdate(), kind)
    return reporting_exports.response(body, kind=kind, filename=name)
