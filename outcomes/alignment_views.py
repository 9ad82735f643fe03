"""The alignment report (/alignment/): the joint programme against the National
Action Plan, its review, plan versions, imports and exports.

Access: anonymous visitors are sent to sign in; a link or plan of a programme the
user is not a member of is a 404; a member without the right gets a 403, for a
page and a post alike. Every check is a ``has_perm`` (``outcomes/rules.py``):
every member reads the report; the coordinator and managers confirm or query
links and manage plan versions; staff of an outcome's agencies (and managers)
answer queries and propose links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jointprogramme.access import Role, organisation_in, role_in
from jointprogramme.fingerprints import cached_content
from jointprogramme.selectors import current_programme

from . import alignment_exports, selectors
from .alignment_forms import (
    AdoptForm,
    AnswerForm,
    ImportForm,
    PlanForm,
    PlanRevisionForm,
    ProposeForm,
    ReviewForm,
)
from .alignment_reports import AlignmentReport, choose_plan
from .alignment_services import (
    COLUMNS,
    AlignmentConflict,
    ImportRejected,
    Refused,
    alignment_answer,
    alignment_propose,
    alignment_remove,
    alignment_review,
    objectives_import,
    plan_adopt,
    plan_create,
    plan_revise,
)
from .models import Alignment, NationalActionPlan

REVIEW_PERM = "outcomes.review_alignment"


def _require(request, perm: str, obj, message: str) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _programme(request):
    programme = current_programme(request)
    if programme is None:
        raise PermissionDenied("You are not a member of any programme.")
    _require(
        request,
        "outcomes.view_alignment_report",
        programme,
        "You are not a member of this programme.",
    )
    return programme


def _wanted_plan_id(request) -> int | None:
    raw = request.GET.get("plan") or request.POST.get("plan")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404("No such plan.") from None


def _plan_url(plan, name: str = "outcomes:alignment") -> str:
    return f"{reverse(name)}?plan={plan.pk}"


def _link_versions(plans: list) -> list:
    """Give each plan ``replaces`` and ``replaced_by`` from the list, without a query."""
    by_pk = {p.pk: p for p in plans}
    replaced_by = {p.supersedes_id: p for p in plans if p.supersedes_id}
    for p in plans:
        p.replaces = by_pk.get(p.supersedes_id)
        p.replaced_by = replaced_by.get(p.pk)
    return plans


@dataclass
class ReportPage:
    programme: object
    plans: list
    plan: NationalActionPlan | None
    report: AlignmentReport | None
    outcomes: list


def _report_page(request) -> ReportPage:
    """The programme, its plans, the chosen plan and its report (fixed queries)."""
    programme = _programme(request)
    plans = selectors.action_plans(programme)
    wanted = _wanted_plan_id(request)
    plan = choose_plan(plans, wanted)
    if wanted is not None and plan is None:
        raise Http404("No such plan in this programme.")
    if plan is None:
        return ReportPage(programme, plans, None, None, [])
    _link_versions(plans)
    rows, report = _plan_report(plan)
    return ReportPage(programme, plans, plan, report, rows.outcomes)


def _plan_report(plan):
    """The plan's report rows and report: kept until any of the tables they are
    built from changes (a large plan's report takes most of the page's time)."""
    label = _("version %(version)s") % {"version": plan.version}
    models = alignment_exports.sources()
    return cached_content(
        "alignment-report",
        (plan.pk, label, timezone.get_current_timezone_name()),
        models,
        lambda: selectors.plan_report(plan, version_label=label),
    )


# A plan with more objectives than this is shown one section (coverage, outcome by
# outcome, matrix) and one pillar at a time, with "the whole report" a click away
# for printing: whole, a large plan's report is a megabyte of HTML.
LONG_REPORT_OBJECTIVES = 100
REPORT_SECTIONS = ("coverage", "walk", "matrix")


def _report_parts(request, report) -> dict:
    """Which parts of the report the page shows: ``show`` ("all" or one of
    ``REPORT_SECTIONS``), the pillar, and the pillar sections and outcome walk."""
    long_report = len(report.entries) > LONG_REPORT_OBJECTIVES
    show = request.GET.get("show", "")
    if not long_report or show == "all":
        return {
            "long_report": long_report,
            "show": "all",
            "sections": report.sections,
            "walk": report.walk,
        }
    pillars = [section.pillar for section in report.sections]
    wanted = request.GET.get("pillar")
    pillar = next((p for p in pillars if p.code == wanted), pillars[0] if pillars else None)
    pillar_id = pillar.id if pillar else None
    return {
        "long_report": True,
        "show": show if show in REPORT_SECTIONS else "coverage",
        "pillars": pillars,
        "pillar": pillar,
        "sections": [s for s in report.sections if s.pillar.id == pillar_id],
        "walk": [w for w in report.walk if w.pillar.id == pillar_id],
    }


@login_required
@require_GET
def alignment_report(request):
    """The alignment report: summary, gaps, coverage by NAP objective, the outcome
    by outcome walk with its review, and the matrix; for a long plan one section
    and one pillar at a time (``?show=``, ``?pillar=``; ``?show=all``: everything)."""
    page = _report_page(request)
    plan, report, user = page.plan, page.report, request.user
    context = {"programme": page.programme, "plans": page.plans, "plan": plan, "report": report}
    if plan is None:
        context["can_manage_plans"] = user.has_perm(REVIEW_PERM, page.programme)
        return render(request, "outcomes/alignment/report.html", context)
    open_plan = plan.status != NationalActionPlan.Status.SUPERSEDED
    can_review = open_plan and user.has_perm(REVIEW_PERM, plan)
    answerable = {
        o.pk
        for o in page.outcomes
        if user.has_perm("outcomes.answer_alignment", Alignment(outcome=o))
    }
    proposable = {o.pk for o in page.outcomes if user.has_perm("outcomes.propose_alignment", o)}
    role = role_in(user, page.programme)
    agency = organisation_in(user, page.programme) if role == Role.AGENCY_STAFF else None
    context.update(
        {
            "open_plan": open_plan,
            "can_review": can_review,
            "can_manage_plans": user.has_perm(REVIEW_PERM, page.programme),
            "answerable": answerable if open_plan else set(),
            "can_propose": open_plan and bool(proposable),
            "agency": agency,
            "agency_queue": report.queried_for_agency(answerable) if agency else [],
            "is_manager": role == Role.MANAGER or user.is_superuser,
            **_report_parts(request, report),
        }
    )
    return render(request, "outcomes/alignment/report.html", context)


# One link: its page, review, answer, removal --------------------------------------


def _link_or_404(request, pk: int) -> Alignment:
    alignment = selectors.alignment_for_review(pk)
    if alignment is None or not request.user.has_perm(
        "outcomes.view_alignment_report", alignment.outcome.programme
    ):
        raise Http404("No such link.")
    return alignment


def _link_page(
    request, alignment, *, review_form=None, answer_form=None, conflict=None, status=200
):
    user = request.user
    open_plan = alignment.objective.plan.status != NationalActionPlan.Status.SUPERSEDED
    can_review = open_plan and user.has_perm(REVIEW_PERM, alignment)
    can_answer = open_plan and user.has_perm("outcomes.answer_alignment", alignment)
    if can_review and review_form is None:
        review_form = ReviewForm(initial={"version": alignment.version})
    if can_answer and answer_form is None:
        answer_form = AnswerForm(alignment=alignment)
    context = {
        "link": alignment,
        "plan": alignment.objective.plan,
        "conversation": selectors.alignment_conversation(alignment),
        "can_review": can_review,
        "can_answer": can_answer,
        "open_plan": open_plan,
        "review_form": review_form if can_review else None,
        "answer_form": answer_form if can_answer else None,
        "conflict": conflict,
    }
    return render(request, "outcomes/alignment/link.html", context, status=status)


def _back_to_report(alignment) -> str:
    return f"{_plan_url(alignment.objective.plan)}#link-{alignment.pk}"


@login_required
@require_GET
def alignment_link(request, pk: int):
    """One link: the outcome, the objective, the review conversation and actions."""
    return _link_page(request, _link_or_404(request, pk))


def _conflict_page(request, pk: int, error: AlignmentConflict, form_name: str, data):
    """The link as it is now, the form again at the new version, and what happened."""
    current = _link_or_404(request, pk)
    post = data.copy()
    post["version"] = str(current.version)
    forms = {}
    if form_name == "review":
        forms["review_form"] = ReviewForm(post)
    else:
        forms["answer_form"] = AnswerForm(post, alignment=current)
    for form in forms.values():
        form.is_valid()
    return _link_page(request, current, conflict=True, status=409, **forms)


@login_required
@require_POST
def alignment_review_view(request, pk: int):
    """Confirm or query a link (coordinator and managers)."""
    alignment = _link_or_404(request, pk)
    _require(
        request, REVIEW_PERM, alignment, "Only the national coordinator and managers review links."
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _link_page(request, alignment, review_form=form, status=400)
    data = form.cleaned_data
    try:
        alignment_review(
            alignment=alignment,
            expected_version=data["version"],
            status=data["status"],
            comment=data["comment"],
            by=request.user,
        )
    except AlignmentConflict as error:
        return _conflict_page(request, pk, error, "review", request.POST)
    except Refused as error:
        form.add_error(None, str(error))
        return _link_page(request, alignment, review_form=form, status=400)
    names = {"outcome": alignment.outcome.code, "objective": alignment.objective.code}
    if data["status"] == Alignment.ReviewStatus.CONFIRMED:
        done = _("Link %(outcome)s → NAP %(objective)s confirmed.") % names
    else:
        done = _("Link %(outcome)s → NAP %(objective)s queried.") % names
    messages.success(request, done)
    return redirect(_back_to_report(alignment))


@login_required
@require_POST
def alignment_answer_view(request, pk: int):
    """Answer a query, or change a link (staff of the outcome's agencies, managers)."""
    alignment = _link_or_404(request, pk)
    _require(
        request,
        "outcomes.answer_alignment",
        alignment,
        "Only staff of the outcome's agencies answer for its links.",
    )
    form = AnswerForm(request.POST, alignment=alignment)
    if not form.is_valid():
        return _link_page(request, alignment, answer_form=form, status=400)
    data = form.cleaned_data
    try:
        alignment_answer(
            alignment=alignment,
            expected_version=data["version"],
            reply=data["reply"],
            degree=data["degree"],
            rationale=data["rationale"],
            by=request.user,
        )
    except AlignmentConflict as error:
        return _conflict_page(request, pk, error, "answer", request.POST)
    except Refused as error:
        form.add_error(None, str(error))
        return _link_page(request, alignment, answer_form=form, status=400)
    messages.success(
        request,
        _("Answer sent: link %(outcome)s → NAP %(objective)s is back with the coordinator.")
        % {"outcome": alignment.outcome.code, "objective": alignment.objective.code},
    )
    return redirect(_back_to_report(alignment))


@login_required
@require_POST
def alignment_remove_view(request, pk: int):
    """Remove a link, e.g. to a withdrawn objective (coordinator and managers)."""
    alignment = _link_or_404(request, pk)
    _require(
        request, REVIEW_PERM, alignment, "Only the national coordinator and managers remove links."
    )
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        alignment_remove(alignment=alignment, expected_version=version, by=request.user)
    except AlignmentConflict:
        messages.error(
            request,
            _("The link was changed in the meantime: nothing was removed. See it as it is now."),
        )
        return redirect("outcomes:alignment_link", pk=pk)
    except Refused as error:
        messages.error(request, str(error))
        return redirect("outcomes:alignment_link", pk=pk)
    messages.success(
        request,
        _("Link %(outcome)s → NAP %(objective)s removed.")
        % {"outcome": alignment.outcome.code, "objective": alignment.objective.code},
    )
    return redirect(_plan_url(alignment.objective.plan))


@login_required
@require_http_methods(["GET", "POST"])
def alignment_propose_view(request):
    """Propose a new link from one of your outcomes to an objective of the plan."""
    plan, programme = _report_page_plan(request)
    outcomes = [
        o
        for o in selectors.outcomes_for_list(programme)
        if request.user.has_perm("outcomes.propose_alignment", o)
    ]
    if not outcomes:
        raise PermissionDenied("Only staff of an outcome's agencies and managers propose links.")
    if plan.status == NationalActionPlan.Status.SUPERSEDED:
        raise PermissionDenied(
            "This version of the plan is superseded: propose links to the version in force."
        )
    objectives = list(selectors.plan_objectives(plan, active_only=True))
    initial = {}
    for key in ("outcome", "objective"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = ProposeForm(
        request.POST or None, outcomes=outcomes, objectives=objectives, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = alignment_propose(
                outcome=data["outcome"],
                objective=data["objective"],
                degree=data["degree"],
                rationale=data["rationale"],
                by=request.user,
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Link %(outcome)s → NAP %(objective)s proposed: the coordinator will review it.")
                % {"outcome": link.outcome.code, "objective": link.objective.code},
            )
            return redirect(_back_to_report(link))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "outcomes/alignment/propose.html", {"form": form, "plan": plan}, status=status
    )


def _report_page_plan(request):
    """The programme and the plan named by ?plan= (or the current one); 404 if none."""
    programme = _programme(request)
    plans = selectors.action_plans(programme)
    wanted = _wanted_plan_id(request)
    plan = choose_plan(plans, wanted)
    if plan is None:
        raise Http404("No National Action Plan.")
    return plan, programme


# Exports ------------------------------------------------------------------------------


@login_required
@require_GET
def alignment_export(request, kind: str):
    """The report as CSV or XLSX: the page's tables, figure for figure. The file is
    kept until any of the tables it is built from changes: a large plan's report
    takes tens of milliseconds to build and as many to write."""
    plan, programme = _report_page_plan(request)

    def build() -> bytes:
        _rows, report = _plan_report(plan)
        return alignment_exports.write(alignment_exports.report_tables(plan, report), kind)

    models = alignment_exports.sources()
    parts = (plan.pk, kind, timezone.get_current_timezone_name())
    body = cached_content("alignment-export", parts, models, build)
    name = alignment_exports.filename(programme, plan, timezone.localdate(), kind)
    return alignment_exports.response(body, kind=kind, filename=name)


# Plans ------------------------------------------------------------------------------


def _plan_or_404(request, pk: int) -> NationalActionPlan:
    plan = NationalActionPlan.objects.filter(pk=pk).select_related("programme").first()
    if plan is None or not request.user.has_perm("outcomes.view_alignment_report", plan):
        raise Http404("No such plan.")
    return plan


@login_required
@require_GET
def plan_list(request):
    """The programme's plan versions: adopt a draft, start a new version, import."""
    programme = _programme(request)
    plans = _link_versions(selectors.action_plans(programme))
    can_manage = request.user.has_perm(REVIEW_PERM, programme)
    for p in plans:
        p.adopt_form = AdoptForm(auto_id=f"adopt{p.pk}_%s") if can_manage else None
    context = {
        "programme": programme,
        "plans": plans,
        "can_manage": can_manage,
        "current": choose_plan(plans),
    }
    return render(request, "outcomes/alignment/plans.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    """Start a programme's first National Action Plan (a draft)."""
    programme = _programme(request)
    _require(
        request, REVIEW_PERM, programme, "Only the national coordinator and managers manage plans."
    )
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(programme=programme, by=request.user, **form.cleaned_data)
        except Refused as error:
            form.add_error("version", str(error))
        else:
            messages.success(
                request,
                _("Plan version %(version)s created: import its objectives.")
                % {"version": plan.version},
            )
            return redirect(_plan_url(plan, "outcomes:alignment_import"))
    context = {"form": form, "programme": programme, "title": _("New National Action Plan")}
    return render(
        request, "outcomes/alignment/plan_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def plan_adopt_view(request, pk: int):
    """A draft becomes the plan in force."""
    plan = _plan_or_404(request, pk)
    _require(request, REVIEW_PERM, plan, "Only the national coordinator and managers adopt plans.")
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the plan was adopted."))
        return redirect("outcomes:alignment_plans")
    try:
        plan_adopt(plan=plan, adopted_on=form.cleaned_data["adopted_on"], by=request.user)
    except Refused as error:
        messages.error(request, str(error))
        return redirect("outcomes:alignment_plans")
    messages.success(request, _("Plan version %(version)s adopted.") % {"version": plan.version})
    return redirect(_plan_url(plan))


@login_required
@require_http_methods(["GET", "POST"])
def plan_revise_view(request, pk: int):
    """A new version replacing a plan; its links carried over, changes flagged."""
    plan = _plan_or_404(request, pk)
    _require(request, REVIEW_PERM, plan, "Only the national coordinator and managers revise plans.")
    if plan.status == NationalActionPlan.Status.SUPERSEDED:
        messages.error(
            request,
            _("Version %(version)s is already superseded: revise the newest version.")
            % {"version": plan.version},
        )
        return redirect("outcomes:alignment_plans")
    initial = {
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
    }
    form = PlanRevisionForm(request.POST or None, request.FILES or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summary = plan_revise(
                plan=plan,
                version=data["version"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                objectives=data["objectives"],
                by=request.user,
            )
        except Refused as error:
            form.add_error("version", str(error))
        except ImportRejected as error:
            errors = error.errors
            form.add_error(
                "objectives", _("Nothing was created: correct the rows below and try again.")
            )
        else:
            messages.success(request, _revision_message(summary))
            return redirect(_plan_url(summary.plan))
    context = {
        "form": form,
        "plan": plan,
        "title": _("New version of %(title)s (replacing version %(version)s)")
        % {"title": plan.title, "version": plan.version},
        "import_errors": errors,
        "columns": COLUMNS,
        "multipart": True,
    }
    return render(
        request, "outcomes/alignment/plan_form.html", context, status=400 if form.errors else 200
    )


def _revision_message(summary) -> str:
    parts = [
        _("Version %(version)s created; %(count)s links carried over")
        % {"version": summary.plan.version, "count": summary.links_carried}
    ]
    if summary.links_to_review:
        parts.append(_("%(count)s need review") % {"count": summary.links_to_review})
    for label, codes in (
        (_("new"), summary.new),
        (_("changed"), summary.changed),
        (_("withdrawn"), summary.withdrawn),
    ):
        if codes:
            parts.append(f"{label}: {', '.join(codes)}")
    return "; ".join(parts) + "."


# Import ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objectives_import_view(request):
    """Add NAP objectives to a draft plan from a CSV or XLSX table: all or nothing."""
    plan, programme = _report_page_plan(request)
    _require(
        request, REVIEW_PERM, plan, "Only the national coordinator and managers import objectives."
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = objectives_import(plan=plan, dataset=form.cleaned_data["file"], by=request.user)
        except Refused as error:
            form.add_error(None, str(error))
        except ImportRejected as error:
            errors = error.errors
            form.add_error("file", _("Nothing was imported: correct the rows below and try again."))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s objective imported into version %(version)s.",
                    "%(count)s objectives imported into version %(version)s.",
                    count,
                )
                % {"count": count, "version": plan.version},
            )
            return redirect(_plan_url(plan))
    context = {
        "form": form,
        "plan": plan,
        "programme": programme,
        "import_errors": errors,
        "columns": COLUMNS,
    }
    return render(
        request, "outcomes/alignment/import.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def import_template(request):
    """An empty table with the import's columns and one example row."""
    _programme(request)
    example = [
        "1.1",
        "1",
        "Raise public awareness of trafficking",
        "",
        "prevention",
        "Ministry of Education",
        "1",
    ]
    body = alignment_exports.csv_bytes([list(COLUMNS), example])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nap-objectives-template.csv"'
    return response
