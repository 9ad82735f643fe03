"""Query budgets: the alignment report and its exports answer in the same number of
queries for a plan of 10 objectives and one of 300."""

import pytest
from django.urls import reverse

from outcomes.alignment_views import LONG_REPORT_OBJECTIVES
from outcomes.models import Alignment, NapObjective, NationalActionPlan
from tests import factories as f

# Pinned: a change that adds a query to the page fails here.
REPORT_QUERIES = 12  # the report built: its six reads and the fingerprint of its tables
REPORT_QUERIES_CACHED = 6  # the same report again, from the cache
EXPORT_QUERIES = 13  # built: the report's, and the file's fingerprint
EXPORT_QUERIES_CACHED = 6  # the same file again, from the cache
ROLES_TO_MEASURE = ["coordinator", "unodc", "donor", "manager"]


def build_plan(world, *, objectives: int) -> NationalActionPlan:
    """A plan replacing a previous version, three levels deep over three pillars, with
    one outcome per ten objectives (two agencies each) and about 1.3 links per
    objective in every review status; a few objectives withdrawn."""
    programme = world.programme
    pillars = [
        f.PillarFactory(programme=programme, code=code, name=code.title(), order=i)
        for i, code in enumerate(["prevention", "prosecution", "protection"])
    ]
    previous = f.NationalActionPlanFactory(programme=programme, version="1", status="superseded")
    plan = f.NationalActionPlanFactory(programme=programme, version="2", supersedes=previous)
    agencies = list(world.agencies.values())
    outcomes = [
        f.OutcomeFactory(
            programme=programme,
            pillar=pillars[n % 3],
            code=f"{n % 3 + 1}.{n + 1}",
            lead_agency=agencies[n % 3],
            participating_agencies=[agencies[(n + 1) % 3]],
        )
        for n in range(max(3, objectives // 10))
    ]
    tops = NapObjective.objects.bulk_create(
        NapObjective(plan=plan, code=str(i + 1), title=f"General {i + 1}", pillar=p)
        for i, p in enumerate(pillars)
    )
    rest = objectives - len(tops)
    mids = NapObjective.objects.bulk_create(
        NapObjective(plan=plan, parent=tops[i % 3], code=f"{i % 3 + 1}.{i + 1}", title=f"Mid {i}")
        for i in range(max(1, rest // 4))
    )
    leaves = NapObjective.objects.bulk_create(
        NapObjective(
            plan=plan,
            parent=mids[i % len(mids)],
            code=f"{mids[i % len(mids)].code}.{i + 1}",
            title=f"Leaf {i}",
            status="withdrawn" if i % 17 == 5 else "active",
        )
        for i in range(rest - len(mids))
    )
    everything = tops + mids + leaves
    NapObjective.objects.bulk_create(
        NapObjective(plan=previous, code=o.code, title=o.title if i % 5 else "Older text")
        for i, o in enumerate(everything)
    )
    statuses = ["proposed", "confirmed", "queried"]
    links = []
    for i, objective in enumerate(leaves + mids):
        if i % 4 == 3:
            continue  # a gap
        for k in range(1 + (i % 3 == 0)):
            links.append(
                Alignment(
                    outcome=outcomes[(i + k) % len(outcomes)],
                    objective=objective,
                    degree="full" if (i + k) % 2 else "partial",
                    review_status=statuses[(i + k) % 3],
                    review_comment="Please explain." if (i + k) % 3 == 2 else "",
                    reviewed_by=world.users["coordinator"],
                    proposed_by=world.users["unodc"],
                )
            )
    Alignment.objects.bulk_create(links)
    return plan


@pytest.mark.parametrize("objectives", [10, 300])
@pytest.mark.parametrize("name", ROLES_TO_MEASURE)
def test_report_query_count_is_constant(world, objectives, name, django_assert_num_queries):
    plan = build_plan(world, objectives=objectives)
    client = world.client_for(name)
    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(reverse("outcomes:alignment"))
    assert response.status_code == 200
    with django_assert_num_queries(REPORT_QUERIES_CACHED):
        again = client.get(reverse("outcomes:alignment"))
    assert again.context["report"] == response.context["report"]
    report = response.context["report"]
    assert response.context["plan"] == plan
    assert len(report.entries) == objectives
    assert report.gaps and report.needs_review


@pytest.mark.parametrize("objectives", [10, 300])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_query_count_is_constant(world, objectives, kind, django_assert_num_queries):
    build_plan(world, objectives=objectives)
    client = world.client_for("coordinator")
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(reverse(f"outcomes:alignment_{kind}"))
    assert response.status_code == 200
    with django_assert_num_queries(EXPORT_QUERIES_CACHED):
        again = client.get(reverse(f"outcomes:alignment_{kind}"))
    assert again.content == response.content


def test_long_report_comes_one_section_and_one_pillar_at_a_time(world, django_assert_num_queries):
    """Over LONG_REPORT_OBJECTIVES objectives the page shows one section of one
    pillar (summary and coverage first), with tabs; ?show=all gives everything,
    and a short plan is always shown whole."""
    build_plan(world, objectives=LONG_REPORT_OBJECTIVES + 50)
    client = world.client_for("coordinator")
    url = reverse("outcomes:alignment")

    with django_assert_num_queries(REPORT_QUERIES):
        first = client.get(url)
    content = first.content.decode()
    assert first.context["show"] == "coverage"
    assert first.context["pillar"].code == "prevention"
    assert [s.pillar.code for s in first.context["sections"]] == ["prevention"]
    assert 'id="summary"' in content and 'id="coverage"' in content
    assert 'id="walk"' not in content and 'id="matrix"' not in content
    assert 'data-testid="pillar-tabs"' in content
    assert "?show=walk" in content and "show=all" in content

    with django_assert_num_queries(REPORT_QUERIES_CACHED):  # the report from the cache
        walk = client.get(url, {"show": "walk", "pillar": "protection"})
    assert {w.pillar.code for w in walk.context["walk"]} == {"protection"}
    assert 'id="walk"' in walk.content.decode()
    assert 'id="coverage"' not in walk.content.decode()

    with django_assert_num_queries(REPORT_QUERIES_CACHED):
        matrix = client.get(url, {"show": "matrix", "pillar": "prosecution"})
    assert [s.pillar.code for s in matrix.context["sections"]] == ["prosecution"]
    assert 'id="matrix"' in matrix.content.decode()

    with django_assert_num_queries(REPORT_QUERIES_CACHED):
        whole = client.get(url, {"show": "all"}).content.decode()
    assert all(f'id="{part}"' in whole for part in ("summary", "coverage", "walk", "matrix"))
    assert 'data-testid="pillar-tabs"' not in whole

    odd = client.get(url, {"show": "nonsense", "pillar": "<b>"})
    assert odd.status_code == 200
    assert odd.context["show"] == "coverage" and odd.context["pillar"].code == "prevention"


def test_short_report_is_shown_whole(world):
    build_plan(world, objectives=10)
    response = world.client_for("coordinator").get(reverse("outcomes:alignment"))
    assert response.context["show"] == "all"
    content = response.content.decode()
    assert all(f'id="{part}"' in content for part in ("summary", "coverage", "walk", "matrix"))
    assert 'data-testid="pillar-tabs"' not in content
