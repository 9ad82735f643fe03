"""How far the joint programme covers the National Action Plan: pure functions
over dataclasses (the selectors fetch the rows; nothing here queries).

The coverage rule, as the report page states it:

* **A link counts whatever its review status** (proposed, confirmed or queried):
  the review says how sure the coordinator is, not whether an outcome works
  towards the objective. How many links are confirmed is reported beside it.
* **An objective without sub-objectives** is covered *fully* when at least one
  linked outcome serves it fully, *partially* when its linked outcomes serve it
  only in part, and *not at all* when no outcome is linked: a **gap**.
* **An objective with sub-objectives** is covered as far as its sub-objectives
  are: fully when all of them are fully covered, partially when some are covered
  at all, not at all when none is. A link to the objective itself can only raise
  that (a full link covers it fully, a partial one at least partially): its
  coverage is the best of its own links and its sub-objectives'.
* **Withdrawn objectives** (dropped in a new version of the plan) count for
  nothing: they are neither covered nor gaps, and their links are listed as
  needing review. Links to an objective whose text changed from the previous
  version need review until the coordinator confirms or queries them again.
* **Figures** (% covered fully, partially, not at all) count the plan's most
  specific objectives, those without sub-objectives, so that nothing counts
  twice. An objective counts in its own pillar, or its parent's when it has none.
  "% of links confirmed" counts links to objectives that are not withdrawn.
  Percentages are whole numbers rounded half up, as everywhere in the application.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache

from django.utils.translation import get_language, gettext, gettext_lazy

FULL, PARTIAL = "full", "partial"
PROPOSED, CONFIRMED, QUERIED = "proposed", "confirmed", "queried"
WITHDRAWN = "withdrawn"


class Coverage(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"

    @property
    def label(self) -> str:
        labels = {
            "full": gettext("Fully covered"),
            "partial": gettext("Partly covered"),
            "none": gettext("Not covered"),
        }
        return labels[self.value]


_RANK = {Coverage.NONE: 0, Coverage.PARTIAL: 1, Coverage.FULL: 2}


class Change(StrEnum):
    """How an objective differs from the previous version of the plan."""

    SAME = ""
    NEW = "new"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"


# Rows, as the selectors fetch them ----------------------------------------------


@dataclass(frozen=True)
class PillarRow:
    id: int | None
    code: str
    name: str
    order: int = 0
    # Both languages, for the ``translated`` template filter (name: the active one)
    name_en: str | None = None
    name_sr: str | None = None


NO_PILLAR = PillarRow(id=None, code="none", name=gettext_lazy("No pillar"), order=10**6)


@dataclass(frozen=True)
class ObjectiveRow:
    id: int
    code: str
    title: str
    parent_id: int | None = None
    pillar_id: int | None = None
    order: int = 0
    description: str = ""
    withdrawn: bool = False
    title_en: str | None = None
    title_sr: str | None = None


@dataclass(frozen=True)
class PreviousObjective:
    """An objective of the version the plan replaces, matched by its code."""

    code: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    code: str
    title: str
    pillar_id: int | None = None
    lead_agency: str = ""
    agency_ids: frozenset[int] = frozenset()  # lead and participating agencies
    order: int = 0
    title_en: str | None = None
    title_sr: str | None = None


@dataclass(frozen=True)
class LinkRow:
    id: int
    outcome_id: int
    objective_id: int
    degree: str
    review_status: str = PROPOSED
    rationale: str = ""
    review_comment: str = ""
    reviewed_by: str = ""
    reviewed_at: dt.datetime | None = None
    proposed_by: str = ""
    version: int = 1
    outcome_code: str = ""  # filled in by build_report from the outcomes

    @property
    def summary(self) -> str:
        """E.g. "Outcome 2.1: full link, confirmed"."""
        words = _summary_words(get_language() or "en")
        return words["summary"] % {
            "code": self.outcome_code,
            "degree": words["degree"].get(self.degree, self.degree).lower(),
            "status": words["status"].get(self.review_status, self.review_status),
        }


@lru_cache(maxsize=8)
def _summary_words(language: str) -> dict:  # language: the cache key (gettext reads it)
    """A link summary's words in one language: asked for every link of a report."""
    return {
        "status": {
            PROPOSED: gettext("awaiting review"),
            CONFIRMED: gettext("confirmed"),
            QUERIED: gettext("queried"),
        },
        "degree": {"full": gettext("Full"), "partial": gettext("Partial")},
        "summary": gettext("Outcome %(code)s: %(degree)s link, %(status)s"),
    }


# Results ------------------------------------------------------------------------


def percent(part: int, whole: int) -> int | None:
    """part / whole as a whole percentage rounded half up; None when whole is 0."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass
class Figures:
    """Counts of objectives (the most specific ones) and of links, with percentages."""

    objectives: int = 0
    full: int = 0
    partial: int = 0
    none: int = 0
    links: int = 0
    confirmed: int = 0
    queried: int = 0
    proposed: int = 0

    @property
    def covered(self) -> int:
        return self.full + self.partial

    @property
    def full_pct(self) -> int | None:
        return percent(self.full, self.objectives)

    @property
    def partial_pct(self) -> int | None:
        return percent(self.partial, self.objectives)

    @property
    def none_pct(self) -> int | None:
        return percent(self.none, self.objectives)

    @property
    def confirmed_pct(self) -> int | None:
        return percent(self.confirmed, self.links)

    def add(self, other: Figures) -> None:
        for name in ("objectives", "full", "partial", "none", "links", "confirmed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.queried += other.queried
        self.proposed += other.proposed


@dataclass
class ObjectiveCoverage:
    objective: ObjectiveRow
    pillar: PillarRow
    depth: int  # within its pillar's section
    is_leaf: bool
    coverage: Coverage | None  # None for a withdrawn objective
    links: list[LinkRow] = field(default_factory=list)
    change: Change = Change.SAME
    previous_title: str = ""
    parent_code: str = ""  # set when the parent is shown in another pillar's section
    path: str = ""  # codes from the root, e.g. "2 › 2.3"

    @property
    def is_gap(self) -> bool:
        return self.is_leaf and self.coverage == Coverage.NONE


@dataclass(frozen=True)
class ReviewNeed:
    link: LinkRow
    objective: ObjectiveCoverage
    outcome: OutcomeRow
    reason: str


@dataclass
class MatrixRow:
    entry: ObjectiveCoverage
    cells: list[LinkRow | None]


@dataclass
class PillarSection:
    pillar: PillarRow
    objectives: list[ObjectiveCoverage]
    figures: Figures
    columns: list[OutcomeRow]  # the matrix's outcomes for this section
    matrix: list[MatrixRow]


@dataclass
class WalkLink:
    link: LinkRow
    objective: ObjectiveCoverage
    outcome: OutcomeRow
    needs_review: str = ""  # the reason, when the link needs review


@dataclass
class OutcomeWalk:
    outcome: OutcomeRow
    pillar: PillarRow
    links: list[WalkLink]

    @property
    def unlinked(self) -> bool:
        """Linked to no objective of the plan that is still in force."""
        return not any(not w.objective.objective.withdrawn for w in self.links)


@dataclass
class AlignmentReport:
    sections: list[PillarSection]
    overall: Figures
    gaps: list[ObjectiveCoverage]
    walk: list[OutcomeWalk]
    needs_review: list[ReviewNeed]
    entries: dict[int, ObjectiveCoverage]
    changes: dict[Change, int]
    has_previous: bool

    @property
    def unlinked_outcomes(self) -> list[OutcomeWalk]:
        return [w for w in self.walk if w.unlinked]

    @property
    def queried(self) -> list[WalkLink]:
        return [wl for w in self.walk for wl in w.links if wl.link.review_status == QUERIED]

    @property
    def awaiting_review(self) -> list[WalkLink]:
        """Links the coordinator has yet to confirm or query."""
        return [wl for w in self.walk for wl in w.links if wl.link.review_status == PROPOSED]

    def queried_for_agency(self, outcome_ids: Iterable[int]) -> list[WalkLink]:
        """Queried links on the given outcomes (those an agency answers for)."""
        ids = set(outcome_ids)
        return [wl for wl in self.queried if wl.link.outcome_id in ids]


# The arithmetic -----------------------------------------------------------------


def natural_key(code: str) -> tuple:
    """Codes in reading order: 2 before 10, 1.2 before 1.10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.findall(r"\d+|\D+", code)
    )


def objective_changed(previous: PreviousObjective, title: str, description: str) -> bool:
    """Whether an objective's text differs from its previous version (spaces aside)."""

    def norm(text: str) -> str:
        return " ".join((text or "").split())

    return norm(previous.title) != norm(title) or norm(previous.description) != norm(description)


def leaf_coverage(links: Sequence[LinkRow]) -> Coverage:
    if any(link.degree == FULL for link in links):
        return Coverage.FULL
    if links:
        return Coverage.PARTIAL
    return Coverage.NONE


def combine_children(children: Sequence[Coverage]) -> Coverage:
    """A parent as far as its sub-objectives go: all full → full, some covered → partial."""
    if children and all(c == Coverage.FULL for c in children):
        return Coverage.FULL
    if any(c != Coverage.NONE for c in children):
        return Coverage.PARTIAL
    return Coverage.NONE


def best(*coverages: Coverage) -> Coverage:
    return max(coverages, key=_RANK.__getitem__)


def build_report(
    *,
    pillars: Sequence[PillarRow],
    objectives: Sequence[ObjectiveRow],
    outcomes: Sequence[OutcomeRow],
    links: Sequence[LinkRow],
    previous: Sequence[PreviousObjective] | None = None,
    version_label: str = "",
) -> AlignmentReport:
    """The whole report from flat rows. ``previous`` holds the objectives of the
    version this plan replaces (None when it replaces none)."""
    pillar_by_id = {p.id: p for p in pillars}
    by_id = {o.id: o for o in objectives}
    children: dict[int | None, list[ObjectiveRow]] = {}
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in by_id else None
        children.setdefault(parent, []).append(objective)
    for siblings in children.values():
        siblings.sort(key=lambda o: (o.order, natural_key(o.code), o.id))
    links_by_objective: dict[int, list[LinkRow]] = {}
    outcome_by_id = {o.id: o for o in outcomes}
    outcome_key = {o.id: (o.order, natural_key(o.code), o.id) for o in outcomes}
    for link in links:
        if link.objective_id in by_id and link.outcome_id in outcome_by_id:
            link = replace(link, outcome_code=outcome_by_id[link.outcome_id].code)
            links_by_objective.setdefault(link.objective_id, []).append(link)
    for own in links_by_objective.values():
        own.sort(key=lambda link: outcome_key[link.outcome_id])

    # Each objective's pillar: its own, or its nearest ancestor's.
    pillar_of: dict[int, PillarRow] = {}

    def effective_pillar(objective: ObjectiveRow) -> PillarRow:
        if objective.id not in pillar_of:
            if objective.pillar_id is not None:
                pillar_of[objective.id] = pillar_by_id.get(objective.pillar_id, NO_PILLAR)
            elif objective.parent_id in by_id:
                pillar_of[objective.id] = effective_pillar(by_id[objective.parent_id])
            else:
                pillar_of[objective.id] = NO_PILLAR
        return pillar_of[objective.id]

    previous_by_code = {p.code: p for p in previous or ()}
    has_previous = previous is not None

    def change_of(objective: ObjectiveRow) -> tuple[Change, str]:
        if objective.withdrawn:
            return Change.WITHDRAWN, ""
        if not has_previous:
            return Change.SAME, ""
        before = previous_by_code.get(objective.code)
        if before is None:
            return Change.NEW, ""
        if objective_changed(before, objective.title, objective.description):
            return Change.CHANGED, before.title
        return Change.SAME, ""

    # Coverage, bottom up (iteratively: plans may nest deeply).
    coverage: dict[int, Coverage | None] = {}
    is_leaf: dict[int, bool] = {}
    order: list[ObjectiveRow] = []  # depth first, parents before children
    stack = list(reversed(children.get(None, [])))
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node.id in seen:  # a cycle in bad data: show each objective once
            continue
        seen.add(node.id)
        order.append(node)
        stack.extend(reversed(children.get(node.id, [])))
    for objective in reversed(order):
        if objective.withdrawn:
            coverage[objective.id] = None
            is_leaf[objective.id] = False
            continue
        active_children = [c for c in children.get(objective.id, []) if not c.withdrawn]
        own = leaf_coverage(links_by_objective.get(objective.id, []))
        if active_children:
            is_leaf[objective.id] = False
            coverage[objective.id] = best(
                own, combine_children([coverage[c.id] for c in active_children])
            )
        else:
            is_leaf[objective.id] = True
            coverage[objective.id] = own

    # Entries, grouped by pillar in plan order; depth counts within the section.
    entries: dict[int, ObjectiveCoverage] = {}
    section_entries: dict[PillarRow, list[ObjectiveCoverage]] = {}
    depth: dict[int, int] = {}
    path: dict[int, str] = {}
    for objective in order:
        pillar = effective_pillar(objective)
        parent = by_id.get(objective.parent_id)
        same_section = parent is not None and effective_pillar(parent) == pillar
        depth[objective.id] = depth[parent.id] + 1 if same_section else 0
        path[objective.id] = f"{path[parent.id]} › {objective.code}" if parent else objective.code
        change, previous_title = change_of(objective)
        entry = ObjectiveCoverage(
            objective=objective,
            pillar=pillar,
            depth=depth[objective.id],
            is_leaf=is_leaf[objective.id],
            coverage=coverage[objective.id],
            links=links_by_objective.get(objective.id, []),
            change=change,
            previous_title=previous_title,
            parent_code=parent.code if parent is not None and not same_section else "",
            path=path[objective.id],
        )
        entries[objective.id] = entry
        section_entries.setdefault(pillar, []).append(entry)

    # Review needs: links to withdrawn objectives, and links to changed objectives
    # not reviewed since (a carried-over link comes back as proposed).
    label = version_label or gettext("this version")

    def review_reason(link: LinkRow, entry: ObjectiveCoverage) -> str:
        names = {"code": entry.objective.code, "version": label}
        if entry.change == Change.WITHDRAWN:
            return gettext("Objective %(code)s is withdrawn in %(version)s.") % names
        if entry.change == Change.CHANGED and link.review_status == PROPOSED:
            return gettext("Objective %(code)s's text changed in %(version)s.") % names
        return ""

    # The walk, outcome by outcome.
    links_by_outcome: dict[int, list[WalkLink]] = {}
    needs_review: list[ReviewNeed] = []
    for objective in order:
        entry = entries[objective.id]
        for link in entry.links:
            reason = review_reason(link, entry)
            outcome = outcome_by_id[link.outcome_id]
            links_by_outcome.setdefault(link.outcome_id, []).append(
                WalkLink(link, entry, outcome, reason)
            )
            if reason:
                needs_review.append(ReviewNeed(link, entry, outcome, reason))
    walk = [
        OutcomeWalk(
            outcome=outcome,
            pillar=pillar_by_id.get(outcome.pillar_id, NO_PILLAR),
            links=links_by_outcome.get(outcome.id, []),
        )
        for outcome in sorted(
            outcomes,
            key=lambda o: (
                pillar_by_id.get(o.pillar_id, NO_PILLAR).order,
                o.order,
                natural_key(o.code),
                o.id,
            ),
        )
    ]
    walk_order = {w.outcome.id: i for i, w in enumerate(walk)}

    # Sections: figures, and the matrix with the outcomes that matter to the pillar.
    sections = []
    overall = Figures()
    ordered_pillars = sorted(
        section_entries, key=lambda p: (p.order, p.name, p.id if p.id is not None else 0)
    )
    for pillar in ordered_pillars:
        rows = section_entries[pillar]
        figures = section_figures(rows)
        overall.add(figures)
        linked_here = {link.outcome_id for entry in rows for link in entry.links}
        columns = sorted(
            (o for o in outcomes if o.pillar_id == pillar.id or o.id in linked_here),
            key=lambda o: walk_order[o.id],
        )
        matrix = []
        for entry in rows:
            by_outcome = {link.outcome_id: link for link in entry.links}
            matrix.append(MatrixRow(entry, [by_outcome.get(o.id) for o in columns]))
        sections.append(PillarSection(pillar, rows, figures, columns, matrix))

    gaps = [entries[o.id] for o in order if entries[o.id].is_gap]
    changes = {change: 0 for change in Change if change != Change.SAME}
    for entry in entries.values():
        if entry.change != Change.SAME:
            changes[entry.change] += 1
    if has_previous:
        current_codes = {o.code for o in objectives}
        dropped = [code for code in previous_by_code if code not in current_codes]
        changes[Change.WITHDRAWN] += len(dropped)
    return AlignmentReport(
        sections=sections,
        overall=overall,
        gaps=gaps,
        walk=walk,
        needs_review=needs_review,
        entries=entries,
        changes=changes,
        has_previous=has_previous,
    )


def section_figures(entries: Iterable[ObjectiveCoverage]) -> Figures:
    """Figures of a group of objectives (see the module's rule)."""
    figures = Figures()
    for entry in entries:
        if entry.coverage is None:  # withdrawn
            continue
        for link in entry.links:
            figures.links += 1
            if link.review_status == CONFIRMED:
                figures.confirmed += 1
            elif link.review_status == QUERIED:
                figures.queried += 1
            else:
                figures.proposed += 1
        if not entry.is_leaf:
            continue
        figures.objectives += 1
        if entry.coverage == Coverage.FULL:
            figures.full += 1
        elif entry.coverage == Coverage.PARTIAL:
            figures.partial += 1
        else:
            figures.none += 1
    return figures


def choose_plan(plans: Sequence, wanted_id: int | None = None):
    """The plan the report is about: the one asked for, else the adopted one, else
    the newest draft, else the newest of any. ``plans`` have ``pk`` and ``status``.
    Returns None when ``wanted_id`` names no plan of the list (or there is none)."""
    if wanted_id is not None:
        return next((p for p in plans if p.pk == wanted_id), None)
    newest_first = sorted(plans, key=lambda p: p.pk, reverse=True)
    for status in ("adopted", "draft"):
        for plan in newest_first:
            if plan.status == status:
                return plan
    return newest_first[0] if newest_first else None


def person_name(first: str | None, last: str | None, username: str | None) -> str:
    full = f"{first or ''} {last or ''}".strip()
    return full or (username or "")
