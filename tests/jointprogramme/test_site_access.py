"""The whole site against the permission matrix.

Every URL pattern of the project is resolved from the URLconf and requested with
real ids, by every role, by a manager of another programme and by an anonymous
visitor, with GET and POST. Each answer is checked against ``ROUTES`` below:
allowed users get the page, members without the right 403, users of another
programme 404 (or their own programme's page, without a trace of this one),
anonymous visitors the sign-in page (the API, which answers JSON: 401 or 403);
nobody gets a 500, and a refused request writes nothing. A URL with no entry in
``ROUTES`` fails ``test_every_url_has_a_rule``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jointprogramme.models import Membership
from tests import factories as f

MEMBERS = ("manager", "unodc", "unhcr", "iom", "coordinator", "donor")
ACTORS = (*MEMBERS, "outsider", None)
STAFF = frozenset({"manager", "unodc", "unhcr", "iom"})
READERS = STAFF | {"coordinator"}  # everyone but donors
EVERY_MEMBER = frozenset(MEMBERS)
OUTCOME_EDITORS = frozenset({"manager", "unodc"})  # the outcome is UNODC's alone
MANAGERS = frozenset({"manager"})
REVIEWERS = frozenset({"manager", "coordinator"})  # confirm or query NAP links, manage plans

# Words that appear only in this programme's records, and only in the other one's.
HERE = "Alphamark"
ELSEWHERE = "Omegamark"


@dataclass
class Site:
    """Real objects in the programme under test and in another one."""

    objects: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """What one URL name answers.

    ``kwargs`` build the URL from the site's objects; ``get`` and ``post`` are the
    actors allowed to use each method (None: the method is not accepted);
    ``programme_level``: the URL names no object, so a user of another programme
    sees their own programme there; ``public``: no sign-in needed; ``api``: a JSON
    endpoint of the read API, which answers anonymous visitors 401 or 403 instead
    of sending them to the sign-in page.
    """

    kwargs: Callable[[dict], dict] = lambda o: {}
    get: frozenset | None = None
    post: frozenset | None = None
    programme_level: bool = False
    public: bool = False
    post_data: Callable[[dict], dict] = lambda o: {}
    outsider_status: int | None = None  # when a user of another programme gets a fixed answer
    api: bool = False


def pk(name: str) -> Callable[[dict], dict]:
    return lambda o: {"pk": o[name].pk}


ROUTES: dict[str, Route] = {
    "dashboard": Route(get=EVERY_MEMBER, programme_level=True),
    "healthz": Route(get=frozenset(ACTORS), public=True),
    "login": Route(get=frozenset(ACTORS), post=frozenset(ACTORS), public=True),
    "logout": Route(post=frozenset(ACTORS), public=True),
    # The language switcher: anyone, POST only (it sets a cookie, writes nothing)
    "set_language": Route(
        post=frozenset(ACTORS), public=True, post_data=lambda o: {"language": "sr"}
    ),
    "select_programme": Route(
        post=EVERY_MEMBER,
        programme_level=True,
        post_data=lambda o: {"programme": o["programme"].pk},
        outsider_status=403,
    ),
    # Results framework
    "outcomes:list": Route(get=EVERY_MEMBER, programme_level=True),
    "outcomes:detail": Route(pk("outcome"), get=EVERY_MEMBER),
    "outcomes:edit": Route(pk("outcome"), get=OUTCOME_EDITORS, post=OUTCOME_EDITORS),
    "outcomes:report_result": Route(
        lambda o: {"pk": o["outcome"].pk, "indicator_pk": o["indicator"].pk},
        get=OUTCOME_EDITORS,
        post=OUTCOME_EDITORS,
    ),
    # The reporting cycle (issue 9): the site's result is approved; a manager reopens it.
    "outcomes:result_step": Route(
        lambda o: {"pk": o["outcome"].pk, "result_pk": o["result"].pk, "step": "reopen"},
        post=MANAGERS,
        post_data=lambda o: {"based_on": f"{o['result'].pk}:1", "comment": "Recount, please."},
    ),
    "outcomes:reporting_status": Route(get=STAFF, programme_level=True),
    "outcomes:period_lock": Route(
        lambda o: {"period_pk": o["period"].pk, "action": "lock"},
        post=MANAGERS,
        post_data=lambda o: {"reason": "Report sent."},
    ),
    "outcomes:results_csv": Route(get=EVERY_MEMBER, programme_level=True),
    "outcomes:results_xlsx": Route(get=EVERY_MEMBER, programme_level=True),
    # The alignment report (issue 4): the site's link is proposed, its plan a draft.
    "outcomes:alignment": Route(get=EVERY_MEMBER, programme_level=True),
    "outcomes:alignment_csv": Route(get=EVERY_MEMBER, programme_level=True),
    "outcomes:alignment_xlsx": Route(get=EVERY_MEMBER, programme_level=True),
    "outcomes:alignment_link": Route(pk("alignment"), get=EVERY_MEMBER),
    "outcomes:alignment_review": Route(
        pk("alignment"),
        post=REVIEWERS,
        post_data=lambda o: {"version": 1, "status": "queried", "comment": "Why?"},
    ),
    "outcomes:alignment_answer": Route(
        pk("alignment"),
        post=OUTCOME_EDITORS,
        post_data=lambda o: {
            "version": 1,
            "reply": "It does.",
            "degree": o["alignment"].degree,
            "rationale": o["alignment"].rationale,
        },
    ),
    "outcomes:alignment_remove": Route(
        pk("alignment"), post=REVIEWERS, post_data=lambda o: {"version": 1}
    ),
    "outcomes:alignment_propose": Route(
        get=OUTCOME_EDITORS,
        post=OUTCOME_EDITORS,
        programme_level=True,
        post_data=lambda o: {
            "outcome": o["outcome"].pk,
            "objective": o["objective"].pk,  # already linked: refused with a message
            "degree": "full",
            "rationale": "Again.",
        },
    ),
    "outcomes:alignment_plans": Route(get=EVERY_MEMBER, programme_level=True),
    "outcomes:alignment_plan_new": Route(
        get=REVIEWERS,
        post=REVIEWERS,
        programme_level=True,
        post_data=lambda o: {"title": "Another plan", "version": "new"},
    ),
    "outcomes:alignment_plan_adopt": Route(
        pk("plan"), post=REVIEWERS, post_data=lambda o: {"adopted_on": "2009-06-01"}
    ),
    "outcomes:alignment_plan_revise": Route(
        pk("plan"),
        get=REVIEWERS,
        post=REVIEWERS,
        post_data=lambda o: {"version": "revised", "title": "Revised plan"},
    ),
    "outcomes:alignment_import": Route(get=REVIEWERS, post=REVIEWERS, programme_level=True),
    "outcomes:alignment_import_template": Route(get=EVERY_MEMBER, programme_level=True),
    # Funding
    "funding:dashboard": Route(get=EVERY_MEMBER, programme_level=True),
    "funding:export_csv": Route(get=EVERY_MEMBER, programme_level=True),
    "funding:export_xlsx": Route(get=EVERY_MEMBER, programme_level=True),
    "funding:pledge_create": Route(get=MANAGERS, post=MANAGERS, programme_level=True),
    "funding:pledge": Route(pk("pledge"), get=READERS | {"donor"}),
    "funding:payment_create": Route(pk("pledge"), get=STAFF, post=STAFF),
    "funding:installation": Route(get=MANAGERS, programme_level=True),
    "funding:installation_csv": Route(get=MANAGERS, programme_level=True),
    "funding:installation_xlsx": Route(get=MANAGERS, programme_level=True),
    # Meetings
    "meetings:list": Route(get=READERS, programme_level=True),
    "meetings:timeline": Route(get=READERS, programme_level=True),
    "meetings:calendar": Route(get=READERS, programme_level=True),
    "meetings:actions": Route(get=READERS, programme_level=True),
    "meetings:create": Route(get=STAFF, post=STAFF, programme_level=True),
    "meetings:detail": Route(pk("meeting"), get=READERS),
    "meetings:ics": Route(pk("meeting"), get=READERS),
    "meetings:export": Route(
        lambda o: {"pk": o["meeting"].pk, "table": "attendance", "fmt": "csv"}, get=READERS
    ),
    "meetings:edit": Route(pk("meeting"), get=STAFF, post=STAFF),
    "meetings:attendance": Route(pk("meeting"), get=STAFF, post=STAFF),
    "meetings:attendee_add": Route(pk("meeting"), get=STAFF, post=STAFF),
    "meetings:attendee_remove": Route(pk("attendee"), post=STAFF),
    "meetings:feedback_create": Route(pk("meeting"), get=STAFF, post=STAFF),
    "meetings:feedback_answer": Route(pk("feedback"), get=STAFF, post=STAFF),
    "meetings:action_create": Route(pk("meeting"), get=STAFF, post=STAFF),
    "meetings:action_close": Route(pk("action"), post=STAFF),
    # Stakeholder directory (organisations are shared; engagement is per programme)
    "stakeholders:list": Route(get=READERS, programme_level=True),
    "stakeholders:organisation": Route(pk("ministry"), get=READERS, programme_level=True),
    # Read API (issue 11): read-only, so POST is refused to everyone
    "api:api-root": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:schema": Route(get=frozenset(ACTORS), public=True, api=True),
    "api:docs": Route(get=frozenset(ACTORS), public=True, api=True),
    "api:programme-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:programme-detail": Route(pk("programme"), get=EVERY_MEMBER, api=True),
    "api:programme-funding": Route(pk("programme"), get=EVERY_MEMBER, api=True),
    "api:pillar-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:pillar-detail": Route(pk("pillar"), get=EVERY_MEMBER, api=True),
    "api:outcome-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:outcome-detail": Route(pk("outcome"), get=EVERY_MEMBER, api=True),
    "api:indicator-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:indicator-detail": Route(pk("indicator"), get=EVERY_MEMBER, api=True),
    "api:result-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:result-detail": Route(pk("result"), get=EVERY_MEMBER, api=True),
    "api:napobjective-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:napobjective-detail": Route(pk("objective"), get=EVERY_MEMBER, api=True),
    "api:alignment-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:alignment-detail": Route(pk("alignment"), get=EVERY_MEMBER, api=True),
    "api:organisation-list": Route(get=READERS, programme_level=True, api=True),
    "api:organisation-detail": Route(pk("ministry"), get=READERS, programme_level=True, api=True),
    "api:meeting-list": Route(get=READERS, programme_level=True, api=True),
    "api:meeting-detail": Route(pk("meeting"), get=READERS, api=True),
    "api:pledge-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:pledge-detail": Route(pk("pledge"), get=READERS | {"donor"}, api=True),
    "api:payment-list": Route(get=EVERY_MEMBER, programme_level=True, api=True),
    "api:payment-detail": Route(pk("payment"), get=READERS | {"donor"}, api=True),
    # IATI export: the public (donor) view for every member; the check for managers
    "iati:activity": Route(pk("programme"), get=EVERY_MEMBER),
    "iati:check": Route(pk("programme"), get=MANAGERS),
}


def url_names() -> dict[str, str]:
    """Every named URL pattern of the project outside the admin, with its route."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace and pattern.namespace
                    else pattern.namespace or namespace
                )
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    found[f"<unnamed {prefix}{pattern.pattern}>"] = prefix + str(pattern.pattern)
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = prefix + str(pattern.pattern)

    walk(get_resolver(), "", None)
    return found


def build_programme_objects(programme, *, mark: str, agencies: dict, donor) -> dict:
    pillar = f.PillarFactory(programme=programme, code="prevention", name=f"{mark} pillar")
    outcome = f.OutcomeFactory(
        programme=programme,
        pillar=pillar,
        code="2.1",
        title=f"{mark} outcome",
        lead_agency=agencies["unodc"],
    )
    f.OutcomeBudgetFactory(outcome=outcome, amount=Decimal("1000"))
    output = f.OutputFactory(outcome=outcome, code="2.1.1", title=f"{mark} output")
    indicator = f.IndicatorFactory(outcome=outcome, output=output, code="2.1.a")
    period = f.ReportingPeriodFactory(programme=programme, name="2010 H1")
    f.ReportingPeriodFactory(programme=programme, name="2010 H2")
    result = f.ResultFactory(indicator=indicator, period=period)
    plan = f.NationalActionPlanFactory(programme=programme, title=f"{mark} plan")
    objective = f.NapObjectiveFactory(plan=plan, code="1", title=f"{mark} objective")
    alignment = f.AlignmentFactory(outcome=outcome, objective=objective)
    # Organisations and contacts are shared by every programme: no mark on them.
    ministry = f.OrganisationFactory()
    contact = f.ContactFactory(organisation=ministry)
    meeting = f.MeetingFactory(programme=programme, title=f"{mark} roundtable")
    f.InvitationFactory(meeting=meeting, organisation=ministry)
    attendee = f.AttendeeFactory(meeting=meeting, contact=contact)
    feedback = f.FeedbackFactory(
        meeting=meeting, organisation=ministry, outcome=outcome, text=f"{mark} feedback"
    )
    action = f.FollowUpActionFactory(
        meeting=meeting, owner=agencies["unodc"], description=f"{mark} action"
    )
    pledge = f.PledgeFactory(programme=programme, donor=donor, note=f"{mark} pledge")
    payment = f.PaymentFactory(pledge=pledge, received_by=agencies["unodc"])
    return {
        "programme": programme,
        "pillar": pillar,
        "outcome": outcome,
        "output": output,
        "indicator": indicator,
        "period": period,
        "result": result,
        "plan": plan,
        "objective": objective,
        "alignment": alignment,
        "ministry": ministry,
        "contact": contact,
        "meeting": meeting,
        "attendee": attendee,
        "feedback": feedback,
        "action": action,
        "pledge": pledge,
        "payment": payment,
    }


@pytest.fixture
def site(world) -> Site:
    other_agencies = {"unodc": f.AgencyFactory()}
    other_donor = f.DonorFactory()
    return Site(
        objects=build_programme_objects(
            world.programme,
            mark=HERE,
            agencies=world.agencies,
            donor=world.donor_org,
        ),
        other=build_programme_objects(
            world.other_programme,
            mark=ELSEWHERE,
            agencies=other_agencies,
            donor=other_donor,
        ),
        users=world.users,
    )


def database_snapshot() -> dict[str, int]:
    """Row counts of every table, history included: a refused request changes none."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"stakeholders", "jointprogramme", "outcomes", "meetings", "funding", "auth"}
    }


def client_for(world, actor):
    return world.client_for(actor)


def expected_refusal(route: Route, actor: str | None) -> set[int]:
    """The answers a user not allowed to use a method may get."""
    if actor is None:
        return {302}
    if actor == "outsider":
        return {403} if route.programme_level else {404}
    return {403}


# Bodies searched for the other programme's marks: pages, JSON and XML.
READABLE = ("text", "application/json", "application/xml")


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse(settings.LOGIN_URL)
    )


def test_every_url_has_a_rule():
    names = set(url_names())
    missing = sorted(names - set(ROUTES))
    stale = sorted(set(ROUTES) - names)
    assert not missing, f"URLs without an access rule in ROUTES: {missing}"
    assert not stale, f"ROUTES names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_url_answers_every_actor_as_the_matrix_says(world, site, name):
    route = ROUTES[name]
    for actor in ACTORS:
        objects = site.objects
        url = reverse(name, kwargs=route.kwargs(objects))
        for method, allowed in (("get", route.get), ("post", route.post)):
            client = client_for(world, actor)
            before = database_snapshot() if method == "post" else None
            # Each request is undone afterwards, so every actor meets the same data.
            with transaction.atomic():
                if method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, route.post_data(objects))
                if method == "post" and not (allowed and actor in allowed):
                    after = database_snapshot()
                transaction.set_rollback(True)
            status = response.status_code
            context = f"{method.upper()} {url} ({name}) as {actor or 'anonymous'}: {status}"
            assert status < 500, context

            if allowed is None:
                # The method is not accepted at all.
                assert status in {302, 403, 404, 405} | ({401} if route.api else set()), context
                if method == "post":
                    assert after == before, f"{context} wrote something"
                continue

            if actor is None and not route.public:
                if route.api:
                    assert status in {401, 403}, context
                else:
                    assert is_login_redirect(response), context
                if method == "post":
                    assert after == before, f"{context} wrote something"
                continue

            if actor == "outsider" and route.outsider_status is not None:
                assert status == route.outsider_status, context
                if method == "post":
                    assert after == before, f"{context} wrote something"
                continue

            permitted = actor in allowed or (
                actor == "outsider" and route.programme_level and "manager" in allowed
            )
            if permitted:
                if method == "get":
                    assert status == 200, context
                else:
                    assert status not in {403, 404, 405}, context
                if actor == "outsider":
                    body = response.content
                    if response.get("Content-Type", "").startswith(READABLE):
                        assert HERE.encode() not in body, f"{context} shows this programme"
            else:
                assert status in expected_refusal(route, actor), context
                if method == "post":
                    assert after == before, f"{context} wrote something"

            if actor in MEMBERS and response.get("Content-Type", "").startswith(READABLE):
                assert ELSEWHERE.encode() not in response.content, (
                    f"{context} shows another programme"
                )


def test_outsider_cannot_switch_into_a_programme_it_does_not_belong_to(world, site):
    client = world.client_for("outsider")
    response = client.post(reverse("select_programme"), {"programme": world.programme.pk})
    assert response.status_code == 403
    page = client.get(reverse("outcomes:list"))
    assert HERE.encode() not in page.content


def test_member_roles_cover_every_role():
    assert {role for role, _ in Membership.Role.choices} == {
        "manager",
        "agency_staff",
        "coordinator",
        "donor",
    }


@pytest.mark.parametrize("actor", ["unodc", "coordinator", "donor", None])
def test_admin_is_closed_to_everyone_but_staff(world, site, actor):
    client = world.client_for(actor)
    for url in (
        reverse("admin:index"),
        reverse("admin:outcomes_outcome_changelist"),
        reverse("admin:outcomes_outcome_change", args=[site.objects["outcome"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
        before = database_snapshot()
        client.post(url, {"title": "changed"})
        assert database_snapshot() == before


def test_admin_manager_cannot_open_another_programmes_outcome(world, site):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    client = world.client_for("manager")
    other_outcome = site.other["outcome"]
    response = client.get(reverse("admin:outcomes_outcome_change", args=[other_outcome.pk]))
    assert response.status_code in {302, 403, 404}
    assert ELSEWHERE.encode() not in response.content
