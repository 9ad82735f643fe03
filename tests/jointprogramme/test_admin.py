"""The admin: every model is there for a superuser, and a programme manager who
is staff sees, opens and chooses only what belongs to the programmes they manage."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Outcome
from stakeholders.models import Organisation
from tests import factories as f
from tests.stakeholders.test_resources import fast_password_hashing  # noqa: F401

PROJECT_APPS = ("stakeholders", "jointprogramme", "outcomes", "meetings", "funding")
CHANGELIST_QUERIES = 12  # the budget is 20; the lists take 4 to 8

PROJECT_MODELS = [
    model
    for label in PROJECT_APPS
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def populate(programme, world=None):
    """One record of every model in ``programme``; returns them by model."""
    pillar = f.PillarFactory(programme=programme)
    outcome = f.OutcomeFactory(programme=programme, pillar=pillar)
    output = f.OutputFactory(outcome=outcome)
    indicator = f.IndicatorFactory(outcome=outcome, output=output)
    plan = f.NationalActionPlanFactory(programme=programme)
    objective = f.NapObjectiveFactory(plan=plan, pillar=pillar)
    meeting = f.MeetingFactory(programme=programme)
    pledge = f.PledgeFactory(programme=programme, earmark_outcome=outcome)
    result = f.ResultFactory(indicator=indicator)
    records = [
        programme,
        pillar,
        f.ParticipationFactory(programme=programme),
        f.MilestoneFactory(programme=programme),
        f.MembershipFactory(programme=programme, role="coordinator"),
        outcome,
        f.OutcomeBudgetFactory(outcome=outcome),
        output,
        indicator,
        result,
        result.period,
        plan,
        objective,
        f.AlignmentFactory(outcome=outcome, objective=objective),
        meeting,
        f.InvitationFactory(meeting=meeting),
        f.AttendeeFactory(meeting=meeting),
        f.FeedbackFactory(meeting=meeting, outcome=outcome),
        f.FollowUpActionFactory(meeting=meeting),
        pledge,
        f.PaymentFactory(pledge=pledge),
        f.ProspectFactory(programme=programme),
        f.ContactFactory(),
        f.ExchangeRateFactory(rate_date=dt.date(2009, 1, 1) + dt.timedelta(days=programme.pk)),
        # The reporting cycle: breakdowns by dimension, period locks, reminders sent.
        breakdown := f.ResultBreakdownFactory(result=result),
        breakdown.category,
        breakdown.category.dimension,
        f.PeriodLockEventFactory(period=result.period),
        f.SentReminderFactory(period=result.period),
    ]
    by_model = {type(record): record for record in records}
    by_model[Organisation] = outcome.lead_agency
    return by_model


def one_of(model, programme):
    records = populate(programme)
    if model not in records:
        pytest.fail(f"populate() makes no {model.__name__}: add one")
    return records[model]


def export_form(model, file_format: str) -> dict:
    """The admin's export form with every column ticked; format "0" CSV, "1" XLSX."""
    resource = admin.site._registry[model].resource_classes[0]
    columns = {
        f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()
    }
    return {"format": file_format, "resource": "0", **columns}


@pytest.fixture
def staff_manager(world):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    return world.client_for("manager")


def test_every_model_is_in_the_admin():
    assert [m.__name__ for m in PROJECT_MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_superuser_opens_every_list_add_and_change_page(admin_client, world, model):
    record = one_of(model, world.programme)
    model_admin = admin.site._registry[model]
    urls = [
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", record.pk),
        admin_url(model, "history", record.pk),
        admin_url(model, "changelist") + "?q=a",
    ]
    if hasattr(model_admin, "import_action"):
        urls += [admin_url(model, "import"), admin_url(model, "export")]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_superuser_exports_xlsx_from_the_admin(admin_client, world):
    populate(world.programme)
    response = admin_client.post(admin_url(Outcome, "export"), export_form(Outcome, "1"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_manager_lists_only_their_programmes_records(staff_manager, world, model):
    own = one_of(model, world.programme)
    other = one_of(model, world.other_programme)
    response = staff_manager.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    listed = set(response.context["cl"].queryset)
    if getattr(admin.site._registry[model], "programme_path", None) is None:  # shared
        assert {own, other} <= listed
    else:
        assert own in listed
        assert other not in listed
        assert staff_manager.get(admin_url(model, "change", other.pk)).status_code == 404
    assert staff_manager.get(admin_url(model, "change", own.pk)).status_code == 200


def test_manager_cannot_open_change_delete_or_see_history_of_another_programmes_outcome(
    staff_manager, world
):
    other = populate(world.other_programme)[Outcome]
    title = other.title
    assert staff_manager.get(admin_url(Outcome, "change", other.pk)).status_code == 404
    response = staff_manager.post(
        admin_url(Outcome, "change", other.pk), {"title": "Taken over", "code": "1"}
    )
    assert response.status_code == 404
    assert staff_manager.post(admin_url(Outcome, "delete", other.pk)).status_code == 404
    assert staff_manager.get(admin_url(Outcome, "history", other.pk)).status_code in (403, 404)
    version = other.history.first().history_id
    history_form = reverse("admin:outcomes_outcome_simple_history", args=[other.pk, version])
    assert staff_manager.get(history_form).status_code == 403
    other.refresh_from_db()
    assert other.title == title


def test_manager_chooses_only_their_programmes_in_forms(staff_manager, world):
    mine = populate(world.programme)
    populate(world.other_programme)
    response = staff_manager.get(admin_url(Outcome, "add"))
    form = response.context["adminform"].form
    assert list(form.fields["programme"].queryset) == [world.programme]
    assert list(form.fields["pillar"].queryset) == [mine[type(mine[Outcome].pillar)]]
    response = staff_manager.get(admin_url(type(mine[Outcome].pillar), "add"))
    assert list(response.context["adminform"].form.fields["programme"].queryset) == [
        world.programme
    ]


def test_manager_cannot_add_an_outcome_to_another_programme(staff_manager, world):
    other = populate(world.other_programme)
    before = Outcome.objects.count()
    response = staff_manager.post(
        admin_url(Outcome, "add"),
        {
            "programme": world.other_programme.pk,
            "pillar": other[Outcome].pillar.pk,
            "code": "99",
            "title": "Smuggled in",
            "lead_agency": other[Outcome].lead_agency.pk,
            "status": "planned",
            "order": "0",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert "programme" in response.context["adminform"].form.errors
    assert Outcome.objects.count() == before


def test_manager_exports_only_their_programme(staff_manager, world):
    populate(world.programme)
    populate(world.other_programme)
    response = staff_manager.post(admin_url(Outcome, "export"), export_form(Outcome, "0"))
    content = response.content.decode()
    assert world.programme.title in content
    assert world.other_programme.title not in content


def test_manager_sees_the_apps_in_the_admin_index(staff_manager, world):
    response = staff_manager.get(reverse("admin:index"))
    apps_shown = {app["app_label"] for app in response.context["app_list"]}
    assert set(PROJECT_APPS) <= apps_shown


def test_non_staff_user_is_sent_to_the_admin_login(world):
    response = world.client_for("unodc").get(admin_url(Outcome, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_manage_no_programme_are_refused(world):
    coordinator = world.users["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    client = world.client_for("coordinator")
    assert client.get(admin_url(Outcome, "changelist")).status_code == 403
    assert client.get(admin_url(Outcome, "import")).status_code == 403
    assert client.get(reverse("admin:index")).context["app_list"] == []


def test_manager_who_creates_a_programme_manages_it(staff_manager, world):
    response = staff_manager.post(
        admin_url(type(world.programme), "add"),
        {
            "title": "New programme",
            "country": "Montenegro",
            "status": "design",
            "currency": "EUR",
            "min_cell_size": "5",  # the form's initial value
            **{
                f"{prefix}-{key}": value
                for prefix in ("pillars", "participations", "memberships")
                for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
            },
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = type(world.programme).objects.get(title="New programme")
    assert staff_manager.get(admin_url(type(created), "change", created.pk)).status_code == 200


def test_outcome_saved_since_the_form_was_opened_is_not_overwritten(admin_client, world):
    outcome = populate(world.programme)[Outcome]
    response = admin_client.get(admin_url(Outcome, "change", outcome.pk))
    form = response.context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data["participating_agencies"] = []
    for prefix in ("outputs", "indicators", "budgets"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    # Someone else saves first, through the pages' service.
    Outcome.objects.filter(pk=outcome.pk).update(version=outcome.version + 1, title="Theirs")

    response = admin_client.post(
        admin_url(Outcome, "change", outcome.pk), {**data, "title": "Mine"}
    )
    assert response.status_code == 200
    assert "Someone saved this outcome after you opened it" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.title == "Theirs"

    data["opened_version"] = outcome.version
    response = admin_client.post(
        admin_url(Outcome, "change", outcome.pk), {**data, "title": "Mine"}
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.title, outcome.version) == ("Mine", 3)


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_the_data(admin_client, world, model):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(admin_url(model, "changelist")).status_code == 200
        return len(queries)

    populate(world.programme)
    small = count()
    for _ in range(3):
        populate(f.ProgrammeFactory())
    assert count() == small <= CHANGELIST_QUERIES


def test_the_quick_selection_checkbox_is_djangos_own(world):
    """The change lists write each row's checkbox directly (``stakeholders.changelists``):
    the same HTML Django's widget renders, for an object whose name needs escaping."""
    organisation = f.OrganisationFactory(name='Tom & "Jerry" <Rescue>')
    model_admin = admin.site._registry[Organisation]
    assert model_admin.list_per_page == 50 and not model_admin.show_full_result_count
    assert model_admin.action_checkbox(organisation) == admin.ModelAdmin.action_checkbox(
        model_admin, organisation
    )


def test_reverting_an_outcome_to_an_earlier_version_moves_its_version_on(admin_client, world):
    outcome = populate(world.programme)[Outcome]
    first = outcome.history.get()
    Outcome.objects.filter(pk=outcome.pk).update(version=2)
    outcome.refresh_from_db()
    outcome.title = "Changed"
    outcome.save()
    url = reverse("admin:outcomes_outcome_simple_history", args=[outcome.pk, first.history_id])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["participating_agencies"] = []
    for prefix in ("outputs", "indicators", "budgets"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    outcome.refresh_from_db()
    assert (outcome.title, outcome.version) == (first.title, 3)
