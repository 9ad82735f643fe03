"""The alignment pages as people use them: the demo's report, review from the page,
two reviewers at once, answers, new plan versions and imports through the forms."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from outcomes.models import Alignment, NapObjective, NationalActionPlan
from tests.outcomes.alignment_world import alignment_world_fixture  # noqa: F401


def upload(text: str, name: str = "objectives.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = name
    return data


@pytest.mark.django_db
def test_the_demo_report(client, settings):
    """On the demo data: top-level objectives covered through their children, 2.3 the
    one gap, shown first; the queried link waits for UNODC."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="coordinator"))
    response = client.get(reverse("outcomes:alignment"))
    report = response.context["report"]
    coverage = {e.objective.code: e.coverage for e in report.entries.values()}
    assert coverage == {
        "1": "full", "1.1": "full", "1.2": "full",
        "2": "partial", "2.1": "full", "2.2": "partial", "2.3": "none",
        "3": "full", "3.1": "full", "3.2": "full",
    }  # fmt: skip
    assert [g.objective.code for g in report.gaps] == ["2.3"]
    content = response.content.decode()
    assert content.index('data-testid="gaps"') < content.index('data-testid="coverage-prevention"')
    assert "Draft" in content and "draft-2009" in content
    assert (report.overall.full_pct, report.overall.confirmed_pct) == (71, 57)

    client.force_login(get_user_model().objects.get(username="unodc"))
    queue = client.get(reverse("outcomes:alignment")).context["agency_queue"]
    assert [(wl.outcome.code, wl.objective.objective.code) for wl in queue] == [("2.2", "2.2")]


def test_review_from_the_page_redirects_back_to_the_link(alignment_world):
    client = alignment_world.client_for("coordinator")
    link = alignment_world.proposed
    response = client.post(
        reverse("outcomes:alignment_review", args=[link.pk]),
        {"version": 1, "status": "confirmed", "comment": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('outcomes:alignment')}?plan={alignment_world.plan.pk}#link-{link.pk}"
    )
    page = client.get(response["Location"])
    assert "Link 2.1 → NAP 2.1 confirmed." in page.content.decode()
    assert page.context["report"].overall.confirmed == 2


def test_a_query_without_a_comment_is_sent_back_with_a_message(alignment_world):
    client = alignment_world.client_for("coordinator")
    link = alignment_world.proposed
    response = client.post(
        reverse("outcomes:alignment_review", args=[link.pk]),
        {"version": 1, "status": "queried", "comment": ""},
    )
    assert response.status_code == 400
    assert "Say what you query" in response.content.decode()
    link.refresh_from_db()
    assert (link.review_status, link.version) == ("proposed", 1)


def test_the_second_reviewer_is_told_what_happened(alignment_world):
    link = alignment_world.proposed
    url = reverse("outcomes:alignment_review", args=[link.pk])
    first = alignment_world.client_for("coordinator")
    second = alignment_world.client_for("manager")
    assert (
        first.post(url, {"version": 1, "status": "confirmed", "comment": "Fine"}).status_code == 302
    )
    response = second.post(url, {"version": 1, "status": "queried", "comment": "Really?"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this link" in content
    assert "It is now <strong>confirmed</strong>" in content and "Fine" in content
    assert response.context["review_form"]["version"].value() == "2"  # ready to send again
    assert "Really?" in content  # their comment is kept in the form
    link.refresh_from_db()
    assert (link.review_status, link.review_comment) == ("confirmed", "Fine")


def test_the_agency_answers_from_the_link_page(alignment_world):
    client = alignment_world.client_for("unhcr")
    link = alignment_world.queried
    page = client.get(reverse("outcomes:alignment")).context
    assert [wl.link.id for wl in page["agency_queue"]] == [link.pk]
    response = client.post(
        reverse("outcomes:alignment_answer", args=[link.pk]),
        {"version": 1, "reply": "Yes, through the asylum procedure.", "degree": "full",
         "rationale": link.rationale},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("outcomes:alignment")).context
    assert page["agency_queue"] == []
    history = client.get(reverse("outcomes:alignment_link", args=[link.pk])).content.decode()
    assert "Yes, through the asylum procedure." in history and "Answered" in history


def test_an_empty_answer_is_refused_on_the_page(alignment_world):
    link = alignment_world.queried
    response = alignment_world.client_for("unhcr").post(
        reverse("outcomes:alignment_answer", args=[link.pk]),
        {"version": 1, "reply": "", "degree": link.degree, "rationale": link.rationale},
    )
    assert response.status_code == 400
    assert "Write a reply, or change the degree or the rationale." in response.content.decode()


def test_a_new_version_from_an_uploaded_table(alignment_world):
    plan = alignment_world.plan
    client = alignment_world.client_for("coordinator")
    table = (
        "code,parent,title,pillar\n"
        "2,,Objective 2,prosecution\n"
        "2.1,2,Objective 2.1,prosecution\n"
        "2.2,2,Courts apply the law consistently,prosecution\n"
        "3,,Objective 3,protection\n"
    )  # 3.1 left out
    response = client.post(
        reverse("outcomes:alignment_plan_revise", args=[plan.pk]),
        {"version": "2", "title": "NAP 2012", "objectives": upload(table)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = NationalActionPlan.objects.get(version="2")
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "Version 2 created; 3 links carried over; 2 need review" in content
    assert 'data-testid="needs-review"' in content
    assert "Objective 3.1 is withdrawn in version 2." in content
    assert "Objective 2.2&#x27;s text changed in version 2." in content
    assert page.context["plan"] == new
    plan.refresh_from_db()
    assert plan.status == "superseded"
    # The old version still reads as it stood, read-only.
    old = client.get(reverse("outcomes:alignment"), {"plan": plan.pk})
    assert 'data-testid="superseded"' in old.content.decode()
    assert not old.context["can_review"]


def test_a_bad_table_is_listed_row_by_row_and_nothing_is_created(alignment_world):
    plan = alignment_world.plan
    response = alignment_world.client_for("coordinator").post(
        reverse("outcomes:alignment_plan_revise", args=[plan.pk]),
        {"version": "2", "title": "NAP 2012", "objectives": upload("code,title\n2,\n")},
    )
    assert response.status_code == 400
    assert "Row 1, title" in response.content.decode()
    assert not NationalActionPlan.objects.filter(version="2").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("objectives.txt", "code,title\n4,x\n", "Choose a .csv or .xlsx file."),
        ("objectives.csv", "", "The submitted file is empty."),
        ("objectives.xlsx", "not a workbook", "could not be read as a table"),
    ],
)
def test_import_rejects_unreadable_files(alignment_world, name, content, message):
    plan = alignment_world.plan
    response = alignment_world.client_for("coordinator").post(
        f"{reverse('outcomes:alignment_import')}?plan={plan.pk}",
        {"file": upload(content, name)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert NapObjective.objects.filter(plan=plan).count() == 5


def test_import_not_in_utf8(alignment_world):
    plan = alignment_world.plan
    data = io.BytesIO("code,title\n4,Žrtve\n".encode("cp1250"))
    data.name = "objectives.csv"
    response = alignment_world.client_for("coordinator").post(
        f"{reverse('outcomes:alignment_import')}?plan={plan.pk}", {"file": data}
    )
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()


def test_import_errors_name_the_rows(alignment_world):
    plan = alignment_world.plan
    response = alignment_world.client_for("coordinator").post(
        f"{reverse('outcomes:alignment_import')}?plan={plan.pk}",
        {"file": upload("code,parent,title\n4,,Partnership\n4.1,5,Unknown parent\n")},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "Row 2, parent: Plan version 1 has no objective with code &#x27;5&#x27;" in content
    assert not NapObjective.objects.filter(plan=plan, code="4").exists()


def test_adopt_then_the_report_shows_the_adopted_plan(alignment_world):
    plan = alignment_world.plan
    client = alignment_world.client_for("manager")
    client.post(
        reverse("outcomes:alignment_plan_adopt", args=[plan.pk]), {"adopted_on": "2009-06-01"}
    )
    draft = NationalActionPlan.objects.create(
        programme=plan.programme, title="Next", version="2", status="draft"
    )
    page = client.get(reverse("outcomes:alignment"))
    assert page.context["plan"] == plan  # adopted wins over a newer draft
    chosen = client.get(reverse("outcomes:alignment"), {"plan": draft.pk})
    assert chosen.context["plan"] == draft


def test_remove_a_link_to_a_withdrawn_objective(alignment_world):
    link = alignment_world.proposed
    NapObjective.objects.filter(pk=link.objective_id).update(status="withdrawn")
    client = alignment_world.client_for("coordinator")
    page = client.get(reverse("outcomes:alignment_link", args=[link.pk])).content.decode()
    assert "Remove this link" in page
    response = client.post(reverse("outcomes:alignment_remove", args=[link.pk]), {"version": 1})
    assert response.status_code == 302
    assert not Alignment.objects.filter(pk=link.pk).exists()


def test_no_plan_yet(world):
    client = world.client_for("coordinator")
    response = client.get(reverse("outcomes:alignment"))
    assert response.status_code == 200
    assert 'data-testid="no-plan"' in response.content.decode()
    response = client.post(
        reverse("outcomes:alignment_plan_new"), {"title": "NAP", "version": "2009 draft"}
    )
    plan = NationalActionPlan.objects.get(programme=world.programme)
    assert response["Location"] == f"{reverse('outcomes:alignment_import')}?plan={plan.pk}"
