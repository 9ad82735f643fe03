"""Coverage arithmetic of the alignment report on hand-built plans: pure functions
over dataclasses, no database."""

from types import SimpleNamespace

import pytest

from outcomes.alignment_reports import (
    Change,
    Coverage,
    LinkRow,
    ObjectiveRow,
    OutcomeRow,
    PillarRow,
    PreviousObjective,
    build_report,
    choose_plan,
    combine_children,
    natural_key,
    percent,
)

PREVENTION = PillarRow(1, "prevention", "Prevention", 1)
PROSECUTION = PillarRow(2, "prosecution", "Prosecution", 2)
PROTECTION = PillarRow(3, "protection", "Protection", 3)
PILLARS = [PREVENTION, PROSECUTION, PROTECTION]


def objective(pk, code, parent=None, pillar=None, withdrawn=False, title=None, order=0):
    return ObjectiveRow(
        id=pk,
        code=code,
        title=title or f"Objective {code}",
        parent_id=parent,
        pillar_id=pillar,
        withdrawn=withdrawn,
        order=order,
    )


def outcome(pk, code, pillar, agencies=()):
    return OutcomeRow(
        id=pk, code=code, title=f"Outcome {code}", pillar_id=pillar, agency_ids=frozenset(agencies)
    )


def link(pk, outcome_id, objective_id, degree="full", status="proposed"):
    return LinkRow(
        id=pk, outcome_id=outcome_id, objective_id=objective_id, degree=degree, review_status=status
    )


# The demo's plan: 1 (1.1, 1.2), 2 (2.1, 2.2, 2.3), 3 (3.1, 3.2).
DEMO_OBJECTIVES = [
    objective(10, "1", pillar=1),
    objective(11, "1.1", parent=10, pillar=1),
    objective(12, "1.2", parent=10, pillar=1),
    objective(20, "2", pillar=2),
    objective(21, "2.1", parent=20, pillar=2),
    objective(22, "2.2", parent=20, pillar=2),
    objective(23, "2.3", parent=20, pillar=2),
    objective(30, "3", pillar=3),
    objective(31, "3.1", parent=30, pillar=3),
    objective(32, "3.2", parent=30, pillar=3),
]
DEMO_OUTCOMES = [
    outcome(1, "1.1", 1, {100}),
    outcome(2, "1.2", 1, {100}),
    outcome(3, "2.1", 2, {200}),
    outcome(4, "2.2", 2, {200}),
    outcome(5, "3.1", 3, {300, 100, 200}),
    outcome(6, "3.2", 3, {100}),
]
DEMO_LINKS = [
    link(1, 1, 11, "full", "confirmed"),
    link(2, 2, 12, "full", "proposed"),
    link(3, 3, 21, "full", "confirmed"),
    link(4, 4, 22, "partial", "queried"),
    link(5, 5, 31, "full", "confirmed"),
    link(6, 5, 21, "partial", "proposed"),
    link(7, 6, 32, "full", "confirmed"),
]


def demo_report(**changes):
    kwargs = {
        "pillars": PILLARS,
        "objectives": DEMO_OBJECTIVES,
        "outcomes": DEMO_OUTCOMES,
        "links": DEMO_LINKS,
    }
    kwargs.update(changes)
    return build_report(**kwargs)


def coverage_by_code(report):
    return {e.objective.code: e.coverage for e in report.entries.values()}


def test_leaf_objectives_full_partial_and_none():
    report = demo_report()
    coverage = coverage_by_code(report)
    assert coverage["1.1"] == Coverage.FULL  # a full link
    assert coverage["2.2"] == Coverage.PARTIAL  # only a partial link
    assert coverage["2.1"] == Coverage.FULL  # one full and one partial link: full
    assert coverage["2.3"] == Coverage.NONE  # no link: the demo's gap


def test_parents_are_covered_as_far_as_their_children():
    coverage = coverage_by_code(demo_report())
    assert coverage["1"] == Coverage.FULL  # both children fully covered
    assert coverage["3"] == Coverage.FULL
    assert coverage["2"] == Coverage.PARTIAL  # 2.1 full, 2.2 partial, 2.3 none


def test_a_parent_with_no_covered_child_is_not_covered():
    objectives = [objective(1, "1", pillar=1), objective(2, "1.1", parent=1, pillar=1)]
    report = build_report(pillars=PILLARS, objectives=objectives, outcomes=[], links=[])
    assert coverage_by_code(report) == {"1": Coverage.NONE, "1.1": Coverage.NONE}
    assert [g.objective.code for g in report.gaps] == ["1.1"]  # leaves only


def test_a_link_to_the_parent_itself_can_only_raise_its_coverage():
    objectives = [
        objective(1, "1", pillar=1),
        objective(2, "1.1", parent=1, pillar=1),
        objective(3, "1.2", parent=1, pillar=1),
    ]
    outcomes = [outcome(1, "A", 1)]
    full_parent = build_report(
        pillars=PILLARS, objectives=objectives, outcomes=outcomes, links=[link(1, 1, 1, "full")]
    )
    assert coverage_by_code(full_parent)["1"] == Coverage.FULL
    # ...but the children it does not name stay gaps, and the figures count them.
    assert [g.objective.code for g in full_parent.gaps] == ["1.1", "1.2"]
    assert full_parent.overall.none == 2
    partial_parent = build_report(
        pillars=PILLARS,
        objectives=objectives,
        outcomes=outcomes,
        links=[link(1, 1, 1, "partial")],
    )
    assert coverage_by_code(partial_parent)["1"] == Coverage.PARTIAL


def test_nested_three_levels():
    objectives = [
        objective(1, "1", pillar=1),
        objective(2, "1.1", parent=1),  # pillar inherited from its parent
        objective(3, "1.1.1", parent=2),
        objective(4, "1.1.2", parent=2),
        objective(5, "1.2", parent=1),
    ]
    outcomes = [outcome(1, "A", 1)]
    links = [link(1, 1, 3, "full"), link(2, 1, 4, "full"), link(3, 1, 5, "partial")]
    report = build_report(pillars=PILLARS, objectives=objectives, outcomes=outcomes, links=links)
    coverage = coverage_by_code(report)
    assert coverage["1.1"] == Coverage.FULL
    assert coverage["1"] == Coverage.PARTIAL  # 1.2 is only partly covered
    section = report.sections[0]
    assert section.pillar == PREVENTION
    assert [(e.objective.code, e.depth) for e in section.objectives] == [
        ("1", 0),
        ("1.1", 1),
        ("1.1.1", 2),
        ("1.1.2", 2),
        ("1.2", 1),
    ]
    assert section.figures.objectives == 3  # 1.1.1, 1.1.2, 1.2: the leaves
    assert (section.figures.full, section.figures.partial) == (2, 1)


def test_withdrawn_objective_counts_for_nothing_and_its_links_need_review():
    objectives = [
        objective(1, "1", pillar=1),
        objective(2, "1.1", parent=1, pillar=1),
        objective(3, "1.2", parent=1, pillar=1, withdrawn=True),
    ]
    outcomes = [outcome(1, "A", 1)]
    links = [link(1, 1, 2, "full", "confirmed"), link(2, 1, 3, "full", "confirmed")]
    report = build_report(pillars=PILLARS, objectives=objectives, outcomes=outcomes, links=links)
    coverage = coverage_by_code(report)
    assert coverage["1.2"] is None
    assert coverage["1"] == Coverage.FULL  # its only active child is fully covered
    assert report.gaps == []
    assert report.overall.objectives == 1  # 1.1 only
    assert report.overall.links == 1  # the link to the withdrawn objective is not counted
    assert [(n.link.id, n.reason) for n in report.needs_review] == [
        (2, "Objective 1.2 is withdrawn in this version.")
    ]
    assert report.entries[3].change == Change.WITHDRAWN


def test_a_parent_whose_children_are_all_withdrawn_is_a_leaf():
    objectives = [
        objective(1, "1", pillar=1),
        objective(2, "1.1", parent=1, pillar=1, withdrawn=True),
    ]
    report = build_report(pillars=PILLARS, objectives=objectives, outcomes=[], links=[])
    assert [g.objective.code for g in report.gaps] == ["1"]
    assert report.overall.objectives == 1


def test_every_review_status_counts_for_coverage():
    for status in ("proposed", "confirmed", "queried"):
        report = build_report(
            pillars=PILLARS,
            objectives=[objective(1, "1", pillar=1)],
            outcomes=[outcome(1, "A", 1)],
            links=[link(1, 1, 1, "full", status)],
        )
        assert coverage_by_code(report) == {"1": Coverage.FULL}


def test_summary_figures_per_pillar_and_overall():
    report = demo_report()
    by_pillar = {s.pillar.code: s.figures for s in report.sections}
    prosecution = by_pillar["prosecution"]
    assert (prosecution.objectives, prosecution.full, prosecution.partial, prosecution.none) == (
        3,
        1,
        1,
        1,
    )
    # 2.1 has two links (outcomes 2.1 and 3.1), 2.2 one.
    assert (prosecution.links, prosecution.confirmed, prosecution.queried) == (3, 1, 1)
    assert (prosecution.full_pct, prosecution.partial_pct, prosecution.none_pct) == (33, 33, 33)
    overall = report.overall
    assert (overall.objectives, overall.full, overall.partial, overall.none) == (7, 5, 1, 1)
    assert (overall.full_pct, overall.partial_pct, overall.none_pct) == (71, 14, 14)
    assert (overall.links, overall.confirmed, overall.queried, overall.proposed) == (7, 4, 1, 2)
    assert overall.confirmed_pct == 57


def test_gaps_are_the_uncovered_leaves_in_plan_order():
    report = demo_report()
    assert [g.objective.code for g in report.gaps] == ["2.3"]
    assert report.gaps[0].path == "2 › 2.3"


def test_walk_lists_each_outcome_with_its_links_and_flags_the_unlinked():
    outcomes = [*DEMO_OUTCOMES, outcome(7, "3.3", 3)]
    report = demo_report(outcomes=outcomes)
    walk = {w.outcome.code: w for w in report.walk}
    assert [w.outcome.code for w in report.walk] == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
    ]
    # Outcome 3.1's links in plan order: 2.1 before 3.1.
    assert [wl.objective.objective.code for wl in walk["3.1"].links] == ["2.1", "3.1"]
    assert walk["3.3"].unlinked and not walk["3.1"].unlinked
    assert [w.outcome.code for w in report.unlinked_outcomes] == ["3.3"]


def test_an_outcome_linked_only_to_withdrawn_objectives_is_flagged():
    objectives = [objective(1, "1", pillar=1, withdrawn=True), objective(2, "2", pillar=1)]
    report = build_report(
        pillars=PILLARS,
        objectives=objectives,
        outcomes=[outcome(1, "A", 1)],
        links=[link(1, 1, 1)],
    )
    assert report.walk[0].unlinked


def test_queues():
    report = demo_report()
    assert [wl.link.id for wl in report.queried] == [4]
    assert [wl.link.id for wl in report.awaiting_review] == [2, 6]
    assert [wl.link.id for wl in report.queried_for_agency({4})] == [4]
    assert report.queried_for_agency({1, 2, 3}) == []


def test_matrix_groups_by_pillar_with_the_outcomes_that_matter():
    report = demo_report()
    prosecution = next(s for s in report.sections if s.pillar == PROSECUTION)
    # Outcomes of the pillar, and 3.1, which is linked to 2.1.
    assert [o.code for o in prosecution.columns] == ["2.1", "2.2", "3.1"]
    row_21 = next(r for r in prosecution.matrix if r.entry.objective.code == "2.1")
    assert [c.id if c else None for c in row_21.cells] == [3, None, 6]
    row_23 = next(r for r in prosecution.matrix if r.entry.objective.code == "2.3")
    assert row_23.cells == [None, None, None]


def test_objectives_without_a_pillar_take_their_parents_or_go_last():
    objectives = [
        objective(1, "1", pillar=2),
        objective(2, "1.1", parent=1),
        objective(3, "9"),  # no pillar anywhere
        objective(4, "1.2", parent=1, pillar=3),  # a child in another pillar
    ]
    report = build_report(pillars=PILLARS, objectives=objectives, outcomes=[], links=[])
    sections = {s.pillar.name: [e.objective.code for e in s.objectives] for s in report.sections}
    assert sections == {"Prosecution": ["1", "1.1"], "Protection": ["1.2"], "No pillar": ["9"]}
    assert [s.pillar.name for s in report.sections][-1] == "No pillar"
    moved = report.entries[4]
    assert (moved.depth, moved.parent_code) == (0, "1")


def test_changes_from_the_previous_version():
    objectives = [
        objective(1, "1", pillar=1, title="Same text"),
        objective(2, "2", pillar=1, title="New wording"),
        objective(3, "3", pillar=1, title="Brand new"),
        objective(4, "4", pillar=1, title="Dropped", withdrawn=True),
    ]
    previous = [
        PreviousObjective("1", "Same  text"),  # spaces aside, the same
        PreviousObjective("2", "Old wording"),
        PreviousObjective("4", "Dropped"),
    ]
    outcomes = [outcome(1, "A", 1)]
    links = [
        link(1, 1, 1, status="confirmed"),
        link(2, 1, 2, status="proposed"),  # carried over to a changed objective
        link(3, 1, 4, status="proposed"),
    ]
    report = build_report(
        pillars=PILLARS,
        objectives=objectives,
        outcomes=outcomes,
        links=links,
        previous=previous,
        version_label="version 2",
    )
    changes = {e.objective.code: e.change for e in report.entries.values()}
    assert changes == {
        "1": Change.SAME,
        "2": Change.CHANGED,
        "3": Change.NEW,
        "4": Change.WITHDRAWN,
    }
    assert report.entries[2].previous_title == "Old wording"
    assert [(n.link.id, n.reason) for n in report.needs_review] == [
        (2, "Objective 2's text changed in version 2."),
        (3, "Objective 4 is withdrawn in version 2."),
    ]
    assert report.changes == {Change.NEW: 1, Change.CHANGED: 1, Change.WITHDRAWN: 1}


def test_a_changed_objectives_link_reviewed_again_no_longer_needs_review():
    report = build_report(
        pillars=PILLARS,
        objectives=[objective(1, "1", pillar=1, title="New")],
        outcomes=[outcome(1, "A", 1)],
        links=[link(1, 1, 1, status="confirmed")],
        previous=[PreviousObjective("1", "Old")],
    )
    assert report.needs_review == []


def test_first_version_has_no_changes():
    report = demo_report()
    assert not report.has_previous
    assert {e.change for e in report.entries.values()} == {Change.SAME}


def test_an_empty_plan():
    report = build_report(pillars=PILLARS, objectives=[], outcomes=[], links=[])
    assert report.sections == [] and report.gaps == []
    assert report.overall.full_pct is None and report.overall.confirmed_pct is None


def test_a_parent_cycle_in_bad_data_does_not_hang():
    objectives = [objective(1, "1", parent=2, pillar=1), objective(2, "2", parent=1, pillar=1)]
    report = build_report(pillars=PILLARS, objectives=objectives, outcomes=[], links=[])
    assert report.entries == {}  # no root: nothing to show, and no endless loop


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 7, 14), (5, 7, 71), (1, 8, 13), (1, 2, 50), (0, 3, 0), (3, 0, None), (1, 200, 1)],
)
def test_percent_rounds_half_up(part, whole, expected):
    assert percent(part, whole) == expected


def test_combine_children():
    full, partial, none = Coverage.FULL, Coverage.PARTIAL, Coverage.NONE
    assert combine_children([full, full]) == full
    assert combine_children([full, none]) == partial
    assert combine_children([partial, partial]) == partial
    assert combine_children([none, none]) == none
    assert combine_children([]) == none


def test_codes_sort_naturally():
    assert sorted(["10", "2", "1.10", "1.2", "P.1"], key=natural_key) == [
        "1.2",
        "1.10",
        "2",
        "10",
        "P.1",
    ]


def test_choose_plan():
    adopted = SimpleNamespace(pk=1, status="adopted")
    old_draft = SimpleNamespace(pk=2, status="draft")
    new_draft = SimpleNamespace(pk=3, status="draft")
    superseded = SimpleNamespace(pk=4, status="superseded")
    assert choose_plan([adopted, old_draft, new_draft]) is adopted
    assert choose_plan([old_draft, new_draft, superseded]) is new_draft
    assert choose_plan([superseded]) is superseded
    assert choose_plan([]) is None
    assert choose_plan([adopted, old_draft], 2) is old_draft
    assert choose_plan([adopted], 99) is None
