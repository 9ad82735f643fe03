"""The permission predicates of the results framework, role by role.

Each role × each permission × an object of the user's own programme and of
another programme. The outcome is led by UNODC with IOM taking part.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from jointprogramme.access import forget_memberships
from tests import factories as f
from tests.conftest import EVERYONE

EDITORS = {"manager", "unodc", "iom"}
MEMBERS = {"manager", "unodc", "unhcr", "iom", "coordinator", "donor"}

# (permission, object kind) -> who of our programme is allowed.
MATRIX = {
    ("outcomes.read_outcome", "programme"): MEMBERS,
    ("outcomes.read_outcome", "outcome"): MEMBERS,
    ("outcomes.read_outcome", "indicator"): MEMBERS,
    ("outcomes.edit_outcome", "outcome"): EDITORS,
    ("outcomes.edit_outcome", "output"): EDITORS,
    ("outcomes.edit_outcome", "indicator"): EDITORS,
    ("outcomes.report_result", "outcome"): EDITORS,
    ("outcomes.report_result", "indicator"): EDITORS,
    ("outcomes.report_result", "result"): EDITORS,
    ("outcomes.create_outcome", "programme"): {"manager"},
}


@pytest.fixture
def objects(world):
    """The same shape of results framework in our programme and in the other one."""

    def build(programme, lead, partner):
        outcome = f.OutcomeFactory(
            programme=programme, lead_agency=lead, participating_agencies=[partner]
        )
        output = f.OutputFactory(outcome=outcome)
        indicator = f.IndicatorFactory(outcome=outcome, output=output)
        result = f.ResultFactory(indicator=indicator)
        return {
            "programme": programme,
            "outcome": outcome,
            "output": output,
            "indicator": indicator,
            "result": result,
        }

    agencies = world.agencies
    return {
        "own": build(world.programme, agencies["unodc"], agencies["iom"]),
        # Led by the same agencies, but our staff are not members there.
        "other": build(world.other_programme, agencies["unodc"], agencies["iom"]),
    }


def user_for(world, name):
    return AnonymousUser() if name is None else world.users[name]


@pytest.mark.parametrize(("perm", "kind"), list(MATRIX), ids=lambda v: str(v))
@pytest.mark.parametrize("name", EVERYONE)
def test_permission_on_own_programme(world, objects, name, perm, kind):
    user = user_for(world, name)
    assert user.has_perm(perm, objects["own"][kind]) == (name in MATRIX[(perm, kind)])


@pytest.mark.parametrize(("perm", "kind"), list(MATRIX), ids=lambda v: str(v))
@pytest.mark.parametrize("name", EVERYONE)
def test_permission_on_another_programme(world, objects, name, perm, kind):
    """Nobody of our programme may do anything there; its own manager (the
    outsider) may do what a manager does."""
    user = user_for(world, name)
    expected = name == "outsider" and "manager" in MATRIX[(perm, kind)]
    assert user.has_perm(perm, objects["other"][kind]) == expected


@pytest.mark.parametrize(("perm", "kind"), list(MATRIX), ids=lambda v: str(v))
def test_superuser_may_do_everything_everywhere(world, objects, perm, kind):
    admin = f.UserFactory(username="root", is_superuser=True)
    assert admin.has_perm(perm, objects["own"][kind])
    assert admin.has_perm(perm, objects["other"][kind])


@pytest.mark.parametrize(
    "perm", ["outcomes.read_outcome", "outcomes.edit_outcome", "outcomes.report_result"]
)
def test_no_object_means_no_permission(world, perm):
    assert not world.users["manager"].has_perm(perm)


def test_agency_staff_of_a_participating_agency_lose_the_right_when_removed(world, objects):
    outcome = objects["own"]["outcome"]
    iom = world.users["iom"]
    assert iom.has_perm("outcomes.edit_outcome", outcome)
    outcome.participating_agencies.clear()
    assert not iom.has_perm("outcomes.edit_outcome", outcome)


def test_checks_cost_one_query_per_user_and_none_after(world, objects, django_assert_num_queries):
    """Memberships are read once per user object; agencies come from the prefetch."""
    from outcomes.models import Outcome

    outcome = Outcome.objects.prefetch_related("participating_agencies").get(
        pk=objects["own"]["outcome"].pk
    )
    user = world.users["iom"]
    forget_memberships(user)
    with django_assert_num_queries(1):
        for perm in ("outcomes.read_outcome", "outcomes.edit_outcome", "outcomes.report_result"):
            user.has_perm(perm, outcome)
    with django_assert_num_queries(0):
        user.has_perm("outcomes.edit_outcome", outcome)
