"""Writes of the alignment review and of National Action Plan versions.

Each service runs in one transaction and takes keyword-only arguments.

Review: a link is *proposed* (awaiting the coordinator), *confirmed*, or
*queried* (awaiting the agencies of its outcome). The coordinator (or a manager)
confirms or queries; the agencies answer a query — with a reply, a new degree or
rationale, or both — which sends the link back to *proposed*, i.e. to the
coordinator. ``review_comment`` holds the latest word on the link; every save is
in the link's history with its author, so the whole conversation is kept.

No lost reviews: each action names the ``version`` of the link it was based on
and claims the next one with a conditional UPDATE; the second of two concurrent
reviewers gets ``AlignmentConflict`` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field

from jointprogramme.models import Pillar
from stakeholders.resources import NaturalKeyWidget, import_errors

from .alignment_reports import PreviousObjective, natural_key, objective_changed
from .models import Alignment, NapObjective, NationalActionPlan, Outcome
from .resources import NapObjectiveResource

Review = Alignment.ReviewStatus
PlanStatus = NationalActionPlan.Status
REASON_MAX = 100  # simple_history's change reason column


class AlignmentConflict(Exception):
    """Someone saved the link after the version this action was based on."""

    def __init__(self, *, current: Alignment | None):
        super().__init__("The link was changed in the meantime.")
        self.current = current


class Refused(Exception):
    """The action does not apply to this link or plan; the message says why."""


class ImportRejected(Exception):
    """A table of objectives with bad rows: nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


# Review ----------------------------------------------------------------------------


def _claim(alignment: Alignment, expected_version: int) -> None:
    claimed = Alignment.objects.filter(pk=alignment.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise AlignmentConflict(
            current=Alignment.objects.select_related("reviewed_by", "proposed_by")
            .filter(pk=alignment.pk)
            .first()
        )
    alignment.version = expected_version + 1


def _save(alignment: Alignment, *, by, reason: str) -> None:
    alignment._history_user = by  # the history names the author even outside a request
    alignment._change_reason = reason[:REASON_MAX]
    alignment.save()


def _open_for_review(alignment: Alignment) -> None:
    if alignment.objective.plan.status == PlanStatus.SUPERSEDED:
        raise Refused(
            _(
                "This link belongs to a superseded version of the plan: review the links of "
                "the version in force."
            )
        )


@transaction.atomic
def alignment_review(
    *, alignment: Alignment, expected_version: int, status: str, comment: str, by
) -> Alignment:
    """The coordinator's decision on a link: confirm it, or query it with a comment
    the outcome's agencies will answer."""
    _open_for_review(alignment)
    comment = comment.strip()
    if status == Review.QUERIED and not comment:
        raise Refused(_("Say what you query: the agencies answer your comment."))
    if status not in (Review.CONFIRMED, Review.QUERIED):
        raise Refused(_("A review confirms or queries a link."))
    if status == Review.CONFIRMED and alignment.objective.status == NapObjective.Status.WITHDRAWN:
        raise Refused(
            _("Objective %(code)s is withdrawn: remove the link or query it.")
            % {"code": alignment.objective.code}
        )
    _claim(alignment, expected_version)
    alignment.review_status = status
    alignment.review_comment = comment
    alignment.reviewed_by = by
    alignment.reviewed_at = timezone.now()
    _save(alignment, by=by, reason="Confirmed" if status == Review.CONFIRMED else "Queried")
    return alignment


@transaction.atomic
def alignment_answer(
    *,
    alignment: Alignment,
    expected_version: int,
    reply: str,
    degree: str,
    rationale: str,
    by,
) -> Alignment:
    """An agency's answer: a reply, a new degree or rationale, or all three. The link
    goes back to the coordinator (proposed), proposed now by the one answering."""
    _open_for_review(alignment)
    reply, rationale = reply.strip(), rationale.strip()
    changed = degree != alignment.degree or rationale != alignment.rationale.strip()
    if not reply and not changed:
        raise Refused(_("Write a reply, or change the degree or the rationale."))
    _claim(alignment, expected_version)
    alignment.degree = degree
    alignment.rationale = rationale
    alignment.review_status = Review.PROPOSED
    if reply:
        alignment.review_comment = reply
    elif changed:
        alignment.review_comment = "Degree or rationale changed in answer to the query."
    alignment.proposed_by = by
    _save(alignment, by=by, reason="Answered" if reply else "Changed by the agency")
    return alignment


@transaction.atomic
def alignment_propose(
    *, outcome: Outcome, objective: NapObjective, degree: str, rationale: str, by
) -> Alignment:
    """A new link from an outcome to an objective, awaiting the coordinator's review."""
    if objective.plan.programme_id != outcome.programme_id:
        raise Refused(_("The objective belongs to another programme's plan."))
    if objective.plan.status == PlanStatus.SUPERSEDED:
        raise Refused(_("That version of the plan is superseded: link to the version in force."))
    if objective.status == NapObjective.Status.WITHDRAWN:
        raise Refused(_("Objective %(code)s is withdrawn.") % {"code": objective.code})
    if Alignment.objects.filter(outcome=outcome, objective=objective).exists():
        raise Refused(
            _("Outcome %(outcome)s is already linked to objective %(objective)s.")
            % {"outcome": outcome.code, "objective": objective.code}
        )
    alignment = Alignment(
        outcome=outcome,
        objective=objective,
        degree=degree,
        rationale=rationale.strip(),
        review_status=Review.PROPOSED,
        proposed_by=by,
    )
    _save(alignment, by=by, reason="Proposed")
    return alignment


@transaction.atomic
def alignment_remove(*, alignment: Alignment, expected_version: int, by) -> None:
    """Remove a link (e.g. to a withdrawn objective). Its history stays."""
    _open_for_review(alignment)
    _claim(alignment, expected_version)
    alignment._history_user = by
    alignment._change_reason = "Removed"
    alignment.delete()


# Plans -----------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    programme,
    title: str,
    version: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    by,
) -> NationalActionPlan:
    """A first (draft) National Action Plan for the programme."""
    if NationalActionPlan.objects.filter(programme=programme, version=version).exists():
        raise Refused(
            _("The programme already has a plan version '%(version)s'.") % {"version": version}
        )
    return NationalActionPlan.objects.create(
        programme=programme,
        title=title,
        version=version,
        period_start=period_start,
        period_end=period_end,
    )


@transaction.atomic
def plan_adopt(*, plan: NationalActionPlan, adopted_on: dt.date, by) -> NationalActionPlan:
    """A draft plan becomes the one in force; a plan adopted before it is superseded."""
    plan = NationalActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise Refused(
            _("Only a draft is adopted; version %(version)s is %(status)s.")
            % {"version": plan.version, "status": plan.get_status_display().lower()}
        )
    NationalActionPlan.objects.filter(
        programme=plan.programme_id, status=PlanStatus.ADOPTED
    ).update(status=PlanStatus.SUPERSEDED, updated_at=timezone.now())
    plan.status = PlanStatus.ADOPTED
    plan.adopted_on = adopted_on
    plan.save(update_fields=["status", "adopted_on", "updated_at"])
    return plan


@dataclass
class RevisionSummary:
    plan: NationalActionPlan
    new: list[str] = field(default_factory=list)  # objective codes
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    links_carried: int = 0
    links_to_review: int = 0


def _copy_objective(old: NapObjective, *, plan, parent, status=None) -> NapObjective:
    copy = NapObjective.objects.create(
        plan=plan,
        parent=parent,
        code=old.code,
        title=old.title,
        description=old.description,
        pillar_id=old.pillar_id,
        order=old.order,
        status=status or old.status,
        is_sample=old.is_sample,
    )
    copy.responsible_ministries.set(old.responsible_ministries.all())
    return copy


@transaction.atomic
def plan_revise(
    *,
    plan: NationalActionPlan,
    version: str,
    title: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    objectives: tablib.Dataset | None = None,
    by,
) -> RevisionSummary:
    """A new version of ``plan`` that replaces it (``plan`` becomes superseded).

    Its objectives are ``plan``'s, copied, or the rows of ``objectives`` (a table
    as the import takes it). Objectives of ``plan`` missing from the new version
    are kept in it as *withdrawn*, so that their links are not lost. Every link is
    carried over to the objective with the same code: as it was when the text is
    unchanged; back to *proposed*, to be reviewed again, when the text changed or
    the objective is withdrawn. All or nothing: a bad row and nothing is created.
    """
    old = NationalActionPlan.objects.select_for_update().select_related("programme").get(pk=plan.pk)
    if old.status == PlanStatus.SUPERSEDED:
        raise Refused(
            _("Version %(version)s is already superseded: revise the newest version.")
            % {"version": old.version}
        )
    if NationalActionPlan.objects.filter(programme=old.programme_id, version=version).exists():
        raise Refused(
            _("The programme already has a plan version '%(version)s'.") % {"version": version}
        )
    new = NationalActionPlan.objects.create(
        programme=old.programme,
        title=title,
        version=version,
        status=PlanStatus.DRAFT,
        period_start=period_start,
        period_end=period_end,
        supersedes=old,
        is_sample=old.is_sample,
    )
    old_objectives = sorted(
        NapObjective.objects.filter(plan=old).prefetch_related("responsible_ministries"),
        key=lambda o: (o.order, natural_key(o.code), o.pk),
    )
    linked_ids = set(
        Alignment.objects.filter(objective__plan=old).values_list("objective_id", flat=True)
    )
    summary = RevisionSummary(plan=new)
    if objectives is None:
        copies: dict[int, NapObjective] = {}
        for old_objective in _parents_first(old_objectives):
            if old_objective.status == NapObjective.Status.WITHDRAWN and (
                old_objective.pk not in linked_ids
            ):
                continue  # withdrawn before, nothing hangs on it any more
            parent = copies.get(old_objective.parent_id)
            copies[old_objective.pk] = _copy_objective(old_objective, plan=new, parent=parent)
    else:
        result = PlanObjectiveResource(plan=new).import_data(objectives, dry_run=False)
        if result.has_errors() or result.has_validation_errors():
            raise ImportRejected(import_errors(result))
        _keep_columns_left_out(new, old_objectives, headers=set(objectives.headers or ()))

    new_by_code = {o.code: o for o in NapObjective.objects.filter(plan=new)}
    previous = {
        o.code: PreviousObjective(o.code, o.title, o.description)
        for o in old_objectives
        if o.status == NapObjective.Status.ACTIVE
    }
    for code, objective in new_by_code.items():
        if code not in previous:
            if objective.status == NapObjective.Status.ACTIVE:
                summary.new.append(code)
        elif objective_changed(previous[code], objective.title, objective.description):
            summary.changed.append(code)
    # Objectives the new version dropped stay, withdrawn, with their links.
    for old_objective in _parents_first(old_objectives):
        if old_objective.code in new_by_code:
            continue
        if old_objective.status == NapObjective.Status.WITHDRAWN and (
            old_objective.pk not in linked_ids
        ):
            continue
        parent_code = next(
            (o.code for o in old_objectives if o.pk == old_objective.parent_id), None
        )
        new_by_code[old_objective.code] = _copy_objective(
            old_objective,
            plan=new,
            parent=new_by_code.get(parent_code),
            status=NapObjective.Status.WITHDRAWN,
        )
        if old_objective.status == NapObjective.Status.ACTIVE:
            summary.withdrawn.append(old_objective.code)

    for link in Alignment.objects.filter(objective__plan=old).select_related("objective"):
        target = new_by_code[link.objective.code]
        carried = Alignment(
            outcome_id=link.outcome_id,
            objective=target,
            degree=link.degree,
            rationale=link.rationale,
            proposed_by_id=link.proposed_by_id,
            is_sample=link.is_sample,
        )
        if target.status == NapObjective.Status.WITHDRAWN:
            carried.review_status = Review.PROPOSED
            carried.review_comment = (
                f"Objective {target.code} is withdrawn in version {new.version}: remove the "
                "link, or link the outcome to another objective."
            )
            summary.links_to_review += 1
        elif target.code in summary.changed:
            carried.review_status = Review.PROPOSED
            carried.review_comment = (
                f"Objective {target.code}'s text changed in version {new.version}: "
                "review the link again."
            )
            summary.links_to_review += 1
        else:
            carried.review_status = link.review_status
            carried.review_comment = link.review_comment
            carried.reviewed_by_id = link.reviewed_by_id
            carried.reviewed_at = link.reviewed_at
        summary.links_carried += 1
        _save(carried, by=by, reason=f"Carried over from plan version {old.version}")

    old.status = PlanStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    summary.new.sort(key=natural_key)
    summary.changed.sort(key=natural_key)
    summary.withdrawn.sort(key=natural_key)
    return summary


def _keep_columns_left_out(new_plan, old_objectives: list[NapObjective], *, headers: set) -> None:
    """A table that leaves out a column (say, descriptions) keeps the previous
    version's values there, objective by objective (matched by code): leaving a
    column out is not erasing it."""
    fields = [f for f in ("description", "pillar", "order") if f not in headers]
    keep_ministries = "responsible_ministries" not in headers
    if not fields and not keep_ministries:
        return
    old_by_code = {o.code: o for o in old_objectives}
    for objective in NapObjective.objects.filter(plan=new_plan):
        before = old_by_code.get(objective.code)
        if before is None:
            continue
        for name in fields:
            attname = "pillar_id" if name == "pillar" else name
            setattr(objective, attname, getattr(before, attname))
        if fields:
            objective.save(update_fields=[*fields, "updated_at"])
        if keep_ministries:
            objective.responsible_ministries.set(before.responsible_ministries.all())


def _parents_first(objectives: list[NapObjective]) -> list[NapObjective]:
    """Objectives ordered so that each comes after its parent."""
    by_id = {o.pk: o for o in objectives}
    placed: set[int] = set()
    ordered: list[NapObjective] = []
    for objective in objectives:
        lineage = []
        node = objective
        while node is not None and node.pk not in placed and node not in lineage:
            lineage.append(node)
            node = by_id.get(node.parent_id)
        for ancestor in reversed(lineage):
            placed.add(ancestor.pk)
            ordered.append(ancestor)
    return ordered


# Importing objectives into a plan ----------------------------------------------------


class _PlanScopedWidget(NaturalKeyWidget):
    """A record found by its code among those of one plan or programme."""

    def __init__(self, model, *, queryset, missing: str):
        """``missing``: the message for a code not found, with ``%(code)s``."""
        super().__init__(model, "code")
        self._queryset = queryset
        self.missing = missing

    def get_queryset(self, value, row, *args, **kwargs):
        return self._queryset

    def not_found_message(self, value, row, **kwargs) -> str:
        return self.missing % {"code": value}


class PlanObjectiveResource(NapObjectiveResource):
    """NAP objectives imported into one chosen plan: the rows need no programme or
    plan column, and parents and pillars are looked up in that plan and programme.
    Otherwise as the admin's import: create only, all or nothing, plain errors."""

    context_columns = ()

    class Meta(NapObjectiveResource.Meta):
        fields = (
            "code",
            "parent",
            "title",
            "description",
            "pillar",
            "responsible_ministries",
            "order",
        )
        export_order = fields

    def __init__(self, *, plan: NationalActionPlan):
        super().__init__()
        self.plan = plan
        self.fields["parent"] = Field(
            attribute="parent",
            column_name="parent",
            widget=_PlanScopedWidget(
                NapObjective,
                queryset=NapObjective.objects.filter(plan=plan),
                missing=_("Plan version %(version)s has no objective with code '%%(code)s'")
                % {"version": plan.version},
            ),
        )
        self.fields["pillar"] = Field(
            attribute="pillar",
            column_name="pillar",
            widget=_PlanScopedWidget(
                Pillar,
                queryset=Pillar.objects.filter(programme=plan.programme_id),
                missing=_("The programme has no pillar with code '%(code)s'"),
            ),
        )

    def init_instance(self, row=None):
        return NapObjective(plan=self.plan, is_sample=False)


COLUMNS = PlanObjectiveResource.Meta.fields


@transaction.atomic
def objectives_import(*, plan: NationalActionPlan, dataset: tablib.Dataset, by) -> int:
    """Add the objectives of a table to a draft plan; returns how many. Raises
    ``ImportRejected`` (with every problem) and imports nothing when a row is bad."""
    if plan.status != PlanStatus.DRAFT:
        raise Refused(
            _(
                "Version %(version)s is %(status)s: objectives are added to a draft. "
                "Create a new version of the plan to change it."
            )
            % {"version": plan.version, "status": plan.get_status_display().lower()}
        )
    try:
        result = PlanObjectiveResource(plan=plan).import_data(dataset, dry_run=False)
    except ValidationError as error:  # pragma: no cover - the resource reports row errors
        raise ImportRejected(error.messages) from None
    if result.has_errors() or result.has_validation_errors():
        raise ImportRejected(import_errors(result))
    return result.totals.get("new", 0)
