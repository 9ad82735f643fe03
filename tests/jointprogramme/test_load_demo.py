"""``load_demo`` builds what the source article says, marks the rest as sample
data, creates the demo accounts, and changes nothing when run again."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from funding.currency import Rate, RateTable
from funding.models import ExchangeRate, Payment, Pledge, Prospect
from jointprogramme.demo import DEMO_PASSWORD, demo_load
from jointprogramme.models import Membership, Milestone, Participation, Programme
from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from outcomes.models import (
    Alignment,
    Indicator,
    NapObjective,
    NationalActionPlan,
    Outcome,
    OutcomeBudget,
    Output,
    Result,
)
from stakeholders.models import Contact, Organisation

TITLE = "Joint Programme in the area of Anti-Human Trafficking in Serbia"
MINISTRIES = {
    "Ministry of Interior",
    "Ministry of Justice",
    "Ministry of Labour and Social Welfare",
    "Ministry of Education",
    "Ministry of Human and Minority Rights",
    "Commissariat for Refugees",
    "Deputy Prime Minister's Office",
    "Ministry of Foreign Affairs",
}
OPENERS = {
    ("Lennart Kotsalainen", "UNHCR Representative in Serbia", "UNHCR"),
    (
        "Carla Ciavarella",
        "UNODC Regional Programme Coordinator for South Eastern Europe",
        "UNODC",
    ),
    ("Gregoire Goodstein", "IOM Chief of Mission to Serbia", "IOM"),
}
PRESENTERS = {
    "Joint programme consultant (UN.GIFT)",
    "Anti-Human Trafficking National Coordinator",
}
TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def programme(db) -> Programme:
    return demo_load(today=TODAY).programme


def roundtable(programme, day: dt.date) -> Meeting:
    return Meeting.objects.get(programme=programme, kind="roundtable", start_date=day)


# ---------------------------------------------------------------- the article


def test_programme_is_the_serbian_un_gift_programme(programme):
    assert programme.title == TITLE
    assert programme.short_title == "Serbia anti-trafficking JP"
    assert (programme.country, programme.framework) == ("Serbia", "UN.GIFT")
    assert programme.status == Programme.Status.FUNDRAISING
    assert programme.currency == "USD"
    assert programme.start_date is None and programme.end_date is None
    assert "3 P's" in programme.summary
    assert "newly drafted national action plan" in programme.summary
    assert list(programme.pillars.values_list("code", "name", "order")) == [
        ("prevention", "Prevention", 1),
        ("prosecution", "Prosecution", 2),
        ("protection", "Protection", 3),
    ]


def test_three_agencies_take_part_with_their_mandates(programme):
    agencies = Participation.objects.filter(
        programme=programme, role=Participation.Role.PARTICIPATING_AGENCY
    ).select_related("organisation")
    assert {(p.organisation.acronym, p.organisation.name) for p in agencies} == {
        ("UNODC", "United Nations Office on Drugs and Crime"),
        ("UNHCR", "Office of the United Nations High Commissioner for Refugees"),
        ("IOM", "International Organization for Migration"),
    }
    assert all(p.mandate and p.organisation.kind == "un_agency" for p in agencies)
    assert "RPOSEE" in Organisation.objects.get(acronym="UNODC").description
    un_gift = Participation.objects.get(programme=programme, organisation__acronym="UN.GIFT")
    assert un_gift.role == Participation.Role.FUNDING_FRAMEWORK
    assert un_gift.organisation.kind == Organisation.Kind.FUND


def test_eight_ministries_and_the_national_coordinator_exist(programme):
    government = Organisation.objects.filter(name__in=MINISTRIES)
    assert set(government.values_list("name", flat=True)) == MINISTRIES
    offices = set(government.filter(kind="government_office").values_list("name", flat=True))
    assert offices == {"Commissariat for Refugees", "Deputy Prime Minister's Office"}
    assert not government.filter(is_sample=True).exists()
    coordinator = Contact.objects.get(position="Anti-Human Trafficking National Coordinator")
    assert coordinator.name == ""  # the article does not name them
    assert coordinator.organisation.name == "Anti-Human Trafficking National Coordinator"
    assert coordinator.organisation.kind == Organisation.Kind.GOVERNMENT_OFFICE


def test_people_named_in_the_article_hold_their_roles(programme):
    named = {
        (c.name, c.position, c.organisation.acronym)
        for c in Contact.objects.exclude(name="").select_related("organisation")
    }
    assert named == OPENERS
    consultant = Contact.objects.get(position="Joint programme consultant (UN.GIFT)")
    assert consultant.name == "" and consultant.organisation.acronym == "UN.GIFT"


def test_all_eight_ministries_invited_to_23_march_roundtable_and_most_came(programme):
    meeting = roundtable(programme, dt.date(2009, 3, 23))
    assert meeting.place == "Belgrade"
    assert meeting.audience == Meeting.Audience.NATIONAL
    assert "share the joint programme with national counterparts" in meeting.purpose
    assert "collect their views and feedback on the document" in meeting.purpose
    assert not meeting.is_sample
    invitations = list(meeting.invitations.select_related("organisation"))
    assert {i.organisation.name for i in invitations} == MINISTRIES
    attended = [i for i in invitations if i.attended]
    assert len(attended) == 6 and len(invitations) - len(attended) == 2  # "the majority"
    # The article does not say which ministries came.
    assert all(i.is_sample for i in invitations)


def test_donor_roundtable_on_25_march_invites_sample_donors(programme):
    meeting = roundtable(programme, dt.date(2009, 3, 25))
    assert meeting.place == "Belgrade"
    assert meeting.audience == Meeting.Audience.DONORS
    assert "present the finalized joint programme document to the donor community" in (
        meeting.purpose
    )
    invited = list(meeting.invitations.select_related("organisation"))
    assert len(invited) >= 3
    assert {i.organisation.kind for i in invited} <= {"embassy", "development_agency"}
    assert all(i.is_sample and i.organisation.is_sample for i in invited)


@pytest.mark.parametrize("day", [dt.date(2009, 3, 23), dt.date(2009, 3, 25)])
def test_both_roundtables_opened_by_three_heads_and_jointly_presented(programme, day):
    attendees = list(roundtable(programme, day).attendees.select_related("contact__organisation"))
    openers = {
        (a.contact.name, a.contact.position, a.contact.organisation.acronym)
        for a in attendees
        if a.role == Attendee.Role.OPENED
    }
    presenters = {a.contact.position for a in attendees if a.role == Attendee.Role.PRESENTED}
    assert openers == OPENERS
    assert presenters == PRESENTERS
    assert not any(a.is_sample for a in attendees)


def test_development_timeline_from_december_2008(programme):
    steps = {m.kind: m for m in Meeting.objects.filter(programme=programme)}
    desk = steps["desk_review"]
    assert desk.start_date == dt.date(2008, 12, 1)
    assert "approximate" in desk.purpose
    assert not desk.is_sample
    stakeholders, field = steps["stakeholder_meeting"], steps["field_mission"]
    bilateral = steps["bilateral"]
    assert (field.end_date - field.start_date).days + 1 == 7  # one week
    assert "throughout Serbia" in field.title
    assert stakeholders.is_sample and field.is_sample and bilateral.is_sample
    assert (
        desk.start_date
        < stakeholders.start_date
        < field.start_date
        < bilateral.start_date
        < dt.date(2009, 3, 23)
    )
    kinds = set(bilateral.invitations.values_list("organisation__kind", flat=True))
    assert {"ministry", "civil_society", "international"} <= kinds


def test_un_gift_funded_three_month_consultancy(programme):
    consultancy = Milestone.objects.get(programme=programme, title__contains="consultancy")
    assert consultancy.funded_by.acronym == "UN.GIFT"
    assert consultancy.start_date == dt.date(2008, 12, 1)
    assert consultancy.end_date == dt.date(2009, 2, 28)
    assert "approximate" in consultancy.description
    titles = list(programme.milestones.values_list("title", flat=True))
    assert "Joint fundraising by the three agencies" in titles
    fundraising = programme.milestones.get(title="Joint fundraising by the three agencies")
    assert fundraising.start_date > dt.date(2009, 3, 25)


# ------------------------------------------------------- the illustrative part


def test_outcomes_cover_three_pillars_with_exact_leads(programme):
    outcomes = {
        o.code: o
        for o in Outcome.objects.filter(programme=programme)
        .select_related("pillar", "lead_agency")
        .prefetch_related("participating_agencies")
    }
    shape = {
        code: (
            o.pillar.code,
            o.lead_agency.acronym,
            {a.acronym for a in o.participating_agencies.all()},
        )
        for code, o in outcomes.items()
    }
    assert shape == {
        "1.1": ("prevention", "IOM", {"UNHCR"}),
        "1.2": ("prevention", "IOM", set()),
        "2.1": ("prosecution", "UNODC", set()),
        "2.2": ("prosecution", "UNODC", {"IOM"}),
        "3.1": ("protection", "UNHCR", {"IOM", "UNODC"}),
        "3.2": ("protection", "IOM", {"UNHCR"}),
    }
    assert all(o.is_sample for o in outcomes.values())
    for outcome in outcomes.values():
        assert 1 <= outcome.outputs.count() <= 2
        assert 1 <= outcome.indicators.count() <= 3
        involved = {outcome.lead_agency_id} | {a.pk for a in outcome.participating_agencies.all()}
        budgeted = set(outcome.budgets.values_list("agency_id", flat=True))
        assert budgeted == involved
    assert not Output.objects.filter(is_sample=False).exists()
    assert not Indicator.objects.filter(is_sample=False).exists()
    assert Indicator.objects.filter(is_sensitive=True, unit="victims identified").exists()
    assert OutcomeBudget.objects.filter(outcome__programme=programme, amount__lte=0).count() == 0
    assert Result.objects.filter(period__name="2010 H1").exists()


def test_draft_action_plan_has_one_objective_that_no_outcome_serves(programme):
    plan = NationalActionPlan.objects.get(programme=programme)
    assert plan.status == NationalActionPlan.Status.DRAFT
    assert plan.version == "draft-2009"
    objectives = NapObjective.objects.filter(plan=plan)
    assert sorted(objectives.values_list("code", flat=True)) == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
        "2.2",
        "2.3",
        "3",
        "3.1",
        "3.2",
    ]
    assert not objectives.filter(is_sample=False).exists()
    assert not objectives.filter(pillar__isnull=True).exists()
    assert not objectives.filter(responsible_ministries__isnull=True).exists()
    ministries = set(objectives.values_list("responsible_ministries__name", flat=True))
    assert ministries <= MINISTRIES
    uncovered = objectives.filter(parent__isnull=False, alignments__isnull=True)
    assert list(uncovered.values_list("code", flat=True)) == ["2.3"]

    alignments = Alignment.objects.filter(outcome__programme=programme)
    assert not alignments.filter(is_sample=False).exists()
    per_outcome = {o.code: o.alignments.count() for o in programme.outcomes.all()}
    assert all(1 <= n <= 2 for n in per_outcome.values())
    assert set(alignments.values_list("degree", flat=True)) == {"full", "partial"}
    assert set(alignments.values_list("review_status", flat=True)) == {
        "proposed",
        "confirmed",
        "queried",
    }
    assert not alignments.filter(review_status="confirmed", reviewed_by__isnull=True).exists()


def test_donors_and_pledges_are_sample_in_several_currencies(programme):
    pledges = list(Pledge.objects.filter(programme=programme).select_related("donor"))
    assert pledges
    assert all(p.is_sample and p.donor.is_sample for p in pledges)
    assert all("sample" in p.donor.name for p in pledges)
    assert {p.currency for p in pledges} == {"USD", "EUR", "NOK", "SEK"}
    assert {p.status for p in pledges} == {"pledged", "committed", "paid"}
    assert any(p.earmark_outcome for p in pledges)
    assert any(p.earmark_pillar for p in pledges)
    assert any(p.earmark_agency for p in pledges)
    assert all(p.earmark_agency is None or p.earmark_agency.is_agency for p in pledges)
    assert Prospect.objects.filter(programme=programme, is_sample=False).count() == 0


def test_every_pledge_and_payment_converts_to_programme_currency(programme):
    rates = RateTable(
        [
            Rate(r.base_currency, r.quote_currency, r.rate_date, r.rate)
            for r in ExchangeRate.objects.all()
        ],
        target=programme.currency,
    )
    for pledge in Pledge.objects.filter(programme=programme).prefetch_related("payments"):
        assert rates.rate(pledge.currency, pledge.pledged_on) is not None, pledge
        paid = 0
        for payment in pledge.payments.all():
            assert payment.currency == pledge.currency
            assert payment.received_by.is_agency
            assert rates.rate(payment.currency, payment.received_on) is not None, payment
            paid += payment.amount
        assert paid <= pledge.amount
        if pledge.status == Pledge.Status.PAID:
            assert paid == pledge.amount
    assert Payment.objects.filter(pledge__programme=programme).exists()


def test_feedback_and_follow_up_are_sample_and_show_every_state(programme):
    national = roundtable(programme, dt.date(2009, 3, 23))
    feedback = list(national.feedback.select_related("organisation"))
    assert feedback and all(f.is_sample for f in feedback)
    assert all(f.organisation.name in MINISTRIES for f in feedback)
    assert any(f.outcome_id for f in feedback)
    assert {f.status for f in feedback} == set(Feedback.Status.values)
    # Feedback comes from ministries that came.
    came = set(national.invitations.filter(attended=True).values_list("organisation", flat=True))
    assert {f.organisation_id for f in feedback} <= came

    actions = list(FollowUpAction.objects.filter(meeting=national))
    assert all(a.is_sample for a in actions)
    assert any(a.status == "done" and a.completed_on for a in actions)
    assert any(a.status == "open" and a.due_date < TODAY for a in actions)  # overdue
    assert any(a.status == "open" and a.due_date > TODAY for a in actions)


ARTICLE_ORGANISATIONS = {
    *MINISTRIES,
    "United Nations Office on Drugs and Crime",
    "Office of the United Nations High Commissioner for Refugees",
    "International Organization for Migration",
    "Anti-Human Trafficking National Coordinator",
    "UN.GIFT — United Nations Global Initiative to Fight Human Trafficking",
}


def test_only_what_the_article_states_is_not_sample(programme):
    real = set(Organisation.objects.filter(is_sample=False).values_list("name", flat=True))
    assert real == ARTICLE_ORGANISATIONS
    assert all(
        "sample" in name
        for name in Organisation.objects.filter(is_sample=True).values_list("name", flat=True)
    )
    real_meetings = set(
        Meeting.objects.filter(programme=programme, is_sample=False).values_list("kind", flat=True)
    )
    assert real_meetings == {"desk_review", "roundtable"}
    # Invitations are sample everywhere: the article names none who came.
    assert not Invitation.objects.filter(is_sample=False).exists()


# ------------------------------------------------------------------- accounts

ACCOUNTS = [
    ("manager", "manager", None),
    ("unodc", "agency_staff", "UNODC"),
    ("unhcr", "agency_staff", "UNHCR"),
    ("iom", "agency_staff", "IOM"),
    ("coordinator", "coordinator", None),
    ("donor", "donor", "Embassy of the Kingdom of Norway (sample donor)"),
]


@pytest.mark.parametrize(("username", "role", "organisation"), ACCOUNTS)
def test_demo_account_signs_in_with_its_role(client, programme, username, role, organisation):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    membership = Membership.objects.select_related("organisation").get(
        user__username=username, programme=programme
    )
    assert membership.role == role
    if organisation is None:
        assert membership.organisation is None
    else:
        assert organisation in (membership.organisation.acronym, membership.organisation.name)
    user = membership.user
    assert user.first_name == "Demo" and user.last_name
    assert not user.is_superuser
    assert user.is_staff == (username == "manager")


def test_manager_may_use_the_admin_models_of_every_local_app(client, programme):
    manager = get_user_model().objects.get(username="manager")
    assert manager.groups.filter(name="Programme managers").exists()
    for perm in ("outcomes.change_outcome", "funding.add_pledge", "meetings.view_meeting"):
        assert manager.has_perm(perm)
    assert not get_user_model().objects.get(username="donor").has_perm("funding.add_pledge")
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 200


# ---------------------------------------------------------------- idempotency


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, history tables and M2M links included."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def test_second_run_changes_no_row(db):
    demo_load(today=TODAY)
    before = snapshot()
    summary = demo_load(today=TODAY + dt.timedelta(days=400))
    after = snapshot()
    assert summary.created_total == 0
    assert not summary.changed_anything
    for label, rows in before.items():
        assert after[label] == rows, f"{label} changed on the second run"
    assert len(before["outcomes.HistoricalOutcome"]) == 6


def test_command_twice_says_demonstration_only_and_adds_nothing(db):
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    call_command("load_demo", stdout=second)
    assert counts == {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    for output in (first.getvalue(), second.getvalue()):
        assert "DEMONSTRATION ONLY" in output
        assert DEMO_PASSWORD in output
        assert "sample data" in output
    assert "0 records created" in second.getvalue()


def test_rerun_keeps_edits_restores_missing_rows_and_demo_passwords(programme):
    outcome = Outcome.objects.get(programme=programme, code="2.1")
    outcome.title = "Edited while exploring the demo"
    outcome.save()
    Invitation.objects.filter(organisation__name="Ministry of Justice").delete()
    user = get_user_model().objects.get(username="iom")
    user.set_password("something-else")
    user.save()

    summary = demo_load(today=TODAY)

    outcome.refresh_from_db()
    assert outcome.title == "Edited while exploring the demo"
    assert Invitation.objects.filter(organisation__name="Ministry of Justice").count() == 2
    assert summary.created["invitations"] == 2
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert summary.accounts_updated == ["iom"]


def test_counts_of_the_demo(programme):
    assert Organisation.objects.count() == 20
    assert Meeting.objects.filter(programme=programme).count() == 6
    assert Outcome.objects.filter(programme=programme).count() == 6
    assert NapObjective.objects.filter(plan__programme=programme).count() == 10
    assert Pledge.objects.filter(programme=programme).count() == 6
    assert get_user_model().objects.count() == 6
