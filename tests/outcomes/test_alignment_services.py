"""The review of links, plan versions and the import of objectives (services)."""

import datetime as dt
import threading

import pytest
import tablib
from django.db import connection, connections

from outcomes.alignment_reports import build_report
from outcomes.alignment_services import (
    AlignmentConflict,
    ImportRejected,
    Refused,
    alignment_answer,
    alignment_propose,
    alignment_remove,
    alignment_review,
    objectives_import,
    plan_adopt,
    plan_revise,
)
from outcomes.models import Alignment, NapObjective, NationalActionPlan
from outcomes.selectors import alignment_rows
from tests import factories as f
from tests.outcomes.alignment_world import alignment_world_fixture  # noqa: F401

Review = Alignment.ReviewStatus


def table(*rows, headers=("code", "parent", "title", "pillar")) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=list(headers))


def latest_history(link):
    return Alignment.history.filter(id=link.pk).order_by("-history_id").first()


# Review -----------------------------------------------------------------------------


def test_confirm_stores_who_when_and_history(alignment_world):
    link, coordinator = alignment_world.proposed, alignment_world.user("coordinator")
    alignment_review(
        alignment=link,
        expected_version=1,
        status=Review.CONFIRMED,
        comment="Agreed.",
        by=coordinator,
    )
    link.refresh_from_db()
    assert link.review_status == Review.CONFIRMED
    assert link.review_comment == "Agreed."
    assert link.reviewed_by == coordinator and link.reviewed_at is not None
    assert link.version == 2
    history = latest_history(link)
    assert history.history_user == coordinator
    assert history.history_change_reason == "Confirmed"
    assert history.review_status == Review.CONFIRMED


def test_a_query_needs_a_comment(alignment_world):
    with pytest.raises(Refused, match="Say what you query"):
        alignment_review(
            alignment=alignment_world.proposed,
            expected_version=1,
            status=Review.QUERIED,
            comment="  ",
            by=alignment_world.user("coordinator"),
        )
    assert Alignment.objects.get(pk=alignment_world.proposed.pk).version == 1


def test_the_second_of_two_reviewers_is_told_and_nothing_is_overwritten(alignment_world):
    link = alignment_world.proposed
    first = Alignment.objects.select_related("objective__plan").get(pk=link.pk)
    second = Alignment.objects.select_related("objective__plan").get(pk=link.pk)
    alignment_review(
        alignment=first,
        expected_version=1,
        status=Review.CONFIRMED,
        comment="Yes",
        by=alignment_world.user("coordinator"),
    )
    with pytest.raises(AlignmentConflict) as raised:
        alignment_review(
            alignment=second,
            expected_version=1,
            status=Review.QUERIED,
            comment="Why?",
            by=alignment_world.user("manager"),
        )
    assert raised.value.current.review_status == Review.CONFIRMED
    link.refresh_from_db()
    assert (link.review_status, link.review_comment, link.version) == (Review.CONFIRMED, "Yes", 2)
    assert Alignment.history.filter(id=link.pk).count() == 2  # created, confirmed


def test_answer_sends_the_link_back_to_the_coordinator(alignment_world):
    link, unhcr = alignment_world.queried, alignment_world.user("unhcr")
    alignment_answer(
        alignment=link,
        expected_version=1,
        reply="Yes: asylum seekers are covered.",
        degree=link.degree,
        rationale=link.rationale,
        by=unhcr,
    )
    link.refresh_from_db()
    assert link.review_status == Review.PROPOSED
    assert link.review_comment == "Yes: asylum seekers are covered."
    assert link.proposed_by == unhcr
    assert link.reviewed_by == alignment_world.user("coordinator")  # the last review stays
    assert latest_history(link).history_change_reason == "Answered"


def test_answer_by_changing_the_degree(alignment_world):
    link = alignment_world.queried
    alignment_answer(
        alignment=link,
        expected_version=1,
        reply="",
        degree=Alignment.Degree.PARTIAL,
        rationale="Only referral, not identification.",
        by=alignment_world.user("unhcr"),
    )
    link.refresh_from_db()
    assert (link.degree, link.review_status) == (Alignment.Degree.PARTIAL, Review.PROPOSED)
    assert link.rationale == "Only referral, not identification."


def test_an_empty_answer_is_refused(alignment_world):
    link = alignment_world.queried
    with pytest.raises(Refused):
        alignment_answer(
            alignment=link,
            expected_version=1,
            reply="",
            degree=link.degree,
            rationale=link.rationale,
            by=alignment_world.user("unhcr"),
        )


def test_propose_a_link(alignment_world):
    link = alignment_propose(
        outcome=alignment_world.outcomes["2.1"],
        objective=alignment_world.objectives["2.2"],
        degree="partial",
        rationale="Judges are trained too.",
        by=alignment_world.user("iom"),
    )
    assert link.review_status == Review.PROPOSED
    assert link.proposed_by == alignment_world.user("iom")
    assert latest_history(link).history_change_reason == "Proposed"


@pytest.mark.parametrize("case", ["duplicate", "withdrawn", "other_programme", "superseded"])
def test_proposals_that_are_refused(alignment_world, case):
    outcome, objective = alignment_world.outcomes["2.1"], alignment_world.objectives["2.1"]
    if case == "withdrawn":
        objective = alignment_world.objectives["2.2"]
        objective.status = NapObjective.Status.WITHDRAWN
        objective.save()
    elif case == "other_programme":
        objective = alignment_world.other_link.objective
    elif case == "superseded":
        objective = alignment_world.objectives["2.2"]
        NationalActionPlan.objects.filter(pk=alignment_world.plan.pk).update(status="superseded")
        objective.plan.refresh_from_db()
    before = Alignment.objects.count()
    with pytest.raises(Refused):
        alignment_propose(
            outcome=outcome,
            objective=objective,
            degree="full",
            rationale="x",
            by=alignment_world.user("manager"),
        )
    assert Alignment.objects.count() == before


def test_links_of_a_superseded_plan_are_not_reviewed(alignment_world):
    NationalActionPlan.objects.filter(pk=alignment_world.plan.pk).update(status="superseded")
    link = Alignment.objects.select_related("objective__plan").get(pk=alignment_world.proposed.pk)
    with pytest.raises(Refused, match="superseded"):
        alignment_review(
            alignment=link,
            expected_version=1,
            status=Review.CONFIRMED,
            comment="",
            by=alignment_world.user("coordinator"),
        )


def test_a_link_to_a_withdrawn_objective_is_removed_not_confirmed(alignment_world):
    link = alignment_world.proposed
    NapObjective.objects.filter(pk=link.objective_id).update(status="withdrawn")
    link = Alignment.objects.select_related("objective__plan").get(pk=link.pk)
    with pytest.raises(Refused, match="withdrawn"):
        alignment_review(
            alignment=link,
            expected_version=1,
            status=Review.CONFIRMED,
            comment="",
            by=alignment_world.user("coordinator"),
        )
    pk = link.pk
    alignment_remove(alignment=link, expected_version=1, by=alignment_world.user("coordinator"))
    assert not Alignment.objects.filter(pk=pk).exists()
    gone = Alignment.history.filter(id=pk).order_by("-history_id").first()
    assert (gone.history_type, gone.history_user) == ("-", alignment_world.user("coordinator"))


# Plans ------------------------------------------------------------------------------


def test_adopting_a_draft_supersedes_the_plan_in_force(alignment_world):
    programme = alignment_world.world.programme
    in_force = f.NationalActionPlanFactory(programme=programme, version="0", status="adopted")
    plan_adopt(plan=alignment_world.plan, adopted_on=dt.date(2009, 6, 1), by=None)
    alignment_world.plan.refresh_from_db()
    in_force.refresh_from_db()
    assert alignment_world.plan.status == "adopted"
    assert alignment_world.plan.adopted_on == dt.date(2009, 6, 1)
    assert in_force.status == "superseded"
    with pytest.raises(Refused, match="Only a draft"):
        plan_adopt(plan=alignment_world.plan, adopted_on=dt.date(2009, 6, 1), by=None)


def test_a_new_version_copies_objectives_and_carries_links_as_they_were(alignment_world):
    old = alignment_world.plan
    ministry = f.OrganisationFactory(name="Ministry of Justice")
    alignment_world.objectives["2.1"].responsible_ministries.add(ministry)
    summary = plan_revise(
        plan=old, version="2", title="NAP 2012–2014", by=alignment_world.user("coordinator")
    )
    new = summary.plan
    old.refresh_from_db()
    assert (old.status, new.status, new.supersedes) == ("superseded", "draft", old)
    copied = {o.code: o for o in NapObjective.objects.filter(plan=new)}
    assert set(copied) == {"2", "2.1", "2.2", "3", "3.1"}
    assert copied["2.1"].parent == copied["2"]
    assert list(copied["2.1"].responsible_ministries.all()) == [ministry]
    carried = {
        (a.outcome.code, a.objective.code): a
        for a in Alignment.objects.filter(objective__plan=new).select_related(
            "outcome", "objective"
        )
    }
    assert {k: a.review_status for k, a in carried.items()} == {
        ("2.1", "2.1"): Review.PROPOSED,
        ("3.1", "3.1"): Review.QUERIED,
        ("3.1", "2.2"): Review.CONFIRMED,
    }
    assert carried[("3.1", "2.2")].reviewed_by == alignment_world.user("coordinator")
    assert (summary.links_carried, summary.links_to_review) == (3, 0)
    assert latest_history(carried[("3.1", "2.2")]).history_change_reason == (
        "Carried over from plan version 1"
    )
    # The old version keeps its links.
    assert Alignment.objects.filter(objective__plan=old).count() == 3


def test_a_new_version_from_a_table_flags_changed_and_withdrawn_objectives(alignment_world):
    old = alignment_world.plan
    rows = table(
        ("2", "", "Objective 2", "prosecution"),
        ("2.1", "2", "Objective 2.1", "prosecution"),  # unchanged
        ("2.4", "2", "A new objective", "prosecution"),
        ("3", "", "Objective 3", "protection"),
        ("3.1", "3", "Identify and refer every victim", "protection"),  # text changed
    )  # 2.2 left out: withdrawn
    summary = plan_revise(plan=old, version="2", title="NAP 2", objectives=rows, by=None)
    assert (summary.new, summary.changed, summary.withdrawn) == (["2.4"], ["3.1"], ["2.2"])
    assert summary.links_to_review == 2
    new = summary.plan
    withdrawn = NapObjective.objects.get(plan=new, code="2.2")
    assert withdrawn.status == NapObjective.Status.WITHDRAWN
    assert withdrawn.parent.code == "2"
    links = {
        a.objective.code: a
        for a in Alignment.objects.filter(objective__plan=new).select_related("objective")
    }
    assert links["2.1"].review_status == Review.PROPOSED  # as it was
    assert links["3.1"].review_status == Review.PROPOSED  # was queried: review again
    assert "changed" in links["3.1"].review_comment
    assert links["2.2"].review_status == Review.PROPOSED  # was confirmed
    assert "withdrawn" in links["2.2"].review_comment
    # The report lists them as needing review rather than losing them.
    rows = alignment_rows(new)
    report = build_report(
        pillars=rows.pillars,
        objectives=rows.objectives,
        outcomes=rows.outcome_rows,
        links=rows.links,
        previous=rows.previous,
        version_label="version 2",
    )
    assert sorted(n.objective.objective.code for n in report.needs_review) == ["2.2", "3.1"]
    assert report.changes == {"new": 1, "changed": 1, "withdrawn": 1}


def test_a_bad_table_creates_no_version(alignment_world):
    old = alignment_world.plan
    rows = table(("2", "", "Objective 2", "prosecution"), ("2.1", "9", "", "nowhere"))
    with pytest.raises(ImportRejected) as raised:
        plan_revise(plan=old, version="2", title="NAP 2", objectives=rows, by=None)
    text = "\n".join(raised.value.errors)
    assert "Row 2" in text and "'9'" in text and "'nowhere'" in text
    old.refresh_from_db()
    assert old.status == "draft"
    assert not NationalActionPlan.objects.filter(version="2").exists()
    assert NapObjective.objects.filter(plan__programme=old.programme).count() == 5


def test_a_superseded_plan_is_not_revised_again(alignment_world):
    plan_revise(plan=alignment_world.plan, version="2", title="NAP 2", by=None)
    with pytest.raises(Refused, match="already superseded"):
        plan_revise(plan=alignment_world.plan, version="3", title="NAP 3", by=None)


def test_version_labels_are_unique_in_a_programme(alignment_world):
    with pytest.raises(Refused, match="already has a plan version '1'"):
        plan_revise(plan=alignment_world.plan, version="1", title="Again", by=None)


# Import -----------------------------------------------------------------------------


def test_import_objectives_into_a_draft(alignment_world):
    plan = alignment_world.plan
    ministry = f.OrganisationFactory(name="Ministry of Interior", acronym="MUP")
    rows = table(
        ("4", "", "Partnership", "prevention", "", "4"),
        ("4.1", "4", "Coordinate with civil society", "", "MUP", "1"),
        headers=("code", "parent", "title", "pillar", "responsible_ministries", "order"),
    )
    assert objectives_import(plan=plan, dataset=rows, by=alignment_world.user("coordinator")) == 2
    child = NapObjective.objects.get(plan=plan, code="4.1")
    assert child.parent.code == "4" and child.pillar is None
    assert list(child.responsible_ministries.all()) == [ministry]


def test_a_bad_import_says_which_rows_and_why_and_imports_nothing(alignment_world):
    plan = alignment_world.plan
    rows = table(
        ("4", "", "Partnership", "prevention"),
        ("2.1", "", "Duplicate of an objective in the plan", ""),
        ("4.1", "7", "Parent unknown", ""),
        ("4.2", "", "", "nowhere"),
    )
    with pytest.raises(ImportRejected) as raised:
        objectives_import(plan=plan, dataset=rows, by=None)
    errors = raised.value.errors
    assert any(e.startswith("Row 2") and "duplicate" in e for e in errors)
    assert any(e.startswith("Row 3, parent") and "'7'" in e for e in errors)
    assert any(e.startswith("Row 4, title") for e in errors)
    assert any(e.startswith("Row 4, pillar") and "'nowhere'" in e for e in errors)
    assert not NapObjective.objects.filter(plan=plan, code__startswith="4").exists()


def test_a_file_without_the_required_columns(alignment_world):
    rows = tablib.Dataset(("4", "x"), headers=["number", "name"])
    with pytest.raises(ImportRejected) as raised:
        objectives_import(plan=alignment_world.plan, dataset=rows, by=None)
    assert any("no column 'code', 'title'" in e for e in raised.value.errors)


def test_import_into_an_adopted_plan_is_refused(alignment_world):
    plan = alignment_world.plan
    plan_adopt(plan=plan, adopted_on=dt.date(2009, 6, 1), by=None)
    plan.refresh_from_db()
    with pytest.raises(Refused, match="new version"):
        objectives_import(plan=plan, dataset=table(("4", "", "x", "")), by=None)


def test_columns_a_new_versions_table_leaves_out_keep_their_values(alignment_world):
    old = alignment_world.plan
    ministry = f.OrganisationFactory(name="Ministry of Justice")
    objective = alignment_world.objectives["2.1"]
    objective.description = "Police and prosecutors, including the special prosecutor."
    objective.order = 7
    objective.save()
    objective.responsible_ministries.add(ministry)
    rows = table(
        ("2", "", "Objective 2"), ("2.1", "2", "Objective 2.1"), headers=("code", "parent", "title")
    )
    summary = plan_revise(plan=old, version="2", title="NAP 2", objectives=rows, by=None)
    assert summary.changed == []  # the description was left out, not erased
    copy = NapObjective.objects.get(plan=summary.plan, code="2.1")
    assert copy.description == objective.description
    assert (copy.order, copy.pillar_id) == (7, objective.pillar_id)
    assert list(copy.responsible_ministries.all()) == [ministry]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database that takes concurrent writers (SQLite's test database does not)",
)
def test_two_simultaneous_reviews_of_one_version_only_one_wins(alignment_world, transactional_db):
    """The coordinator and a manager review the same link at the same instant, in
    two app processes: the conditional UPDATE lets exactly one through."""
    pk = alignment_world.proposed.pk
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def review(name: str, status: str) -> None:
        try:
            link = Alignment.objects.select_related("objective__plan").get(pk=pk)
            barrier.wait(timeout=10)
            try:
                alignment_review(
                    alignment=link,
                    expected_version=1,
                    status=status,
                    comment=f"{name} says",
                    by=alignment_world.user(name),
                )
                results[name] = status
            except AlignmentConflict:
                results[name] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=("coordinator", Review.CONFIRMED)),
        threading.Thread(target=review, args=("manager", Review.QUERIED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert "refused" in results.values() and len(set(results.values())) == 2
    winner = next(name for name, result in results.items() if result != "refused")
    link = Alignment.objects.get(pk=pk)
    assert (link.review_comment, link.version) == (f"{winner} says", 2)
    assert Alignment.history.filter(id=pk).count() == 2  # created, and the one review
