"""The fingerprint under which exports are cached (jointprogramme/fingerprints.py):
it changes with every kind of change Django makes to the tables it names, and with
nothing else."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from jointprogramme.fingerprints import cached_content, fingerprint
from jointprogramme.models import Programme
from outcomes.models import NapObjective, Outcome, ReportingPeriod
from tests import factories as f

MODELS = [
    Programme,
    Outcome,
    Outcome.participating_agencies.through,
    ReportingPeriod,
    NapObjective,
    User,
]


def current():
    return fingerprint(MODELS)


@pytest.fixture
def outcome(world):
    return f.OutcomeFactory(programme=world.programme, lead_agency=world.agencies["unodc"])


def test_nothing_changed_same_fingerprint_in_one_query(outcome, django_assert_num_queries):
    before = current()
    with django_assert_num_queries(1):
        assert current() == before


def test_a_saved_row_of_a_model_with_history_changes_it(outcome):
    before = current()
    outcome.title = "Renamed"
    outcome.save()
    assert current() != before


def test_a_deleted_row_of_a_model_with_history_changes_it(world, outcome):
    spare = f.OutcomeFactory(programme=world.programme, lead_agency=world.agencies["iom"])
    before = current()
    spare.delete()
    assert current() != before


def test_a_saved_row_without_history_changes_it_through_updated_at(world):
    period = f.ReportingPeriodFactory(programme=world.programme)
    before = current()
    period.name = "2010 H1 (revised)"
    period.save()
    assert current() != before


def test_an_update_that_sets_updated_at_changes_it(world):
    period = f.ReportingPeriodFactory(programme=world.programme)
    before = current()
    ReportingPeriod.objects.filter(pk=period.pk).update(name="x", updated_at=timezone.now())
    assert current() != before


def test_a_deleted_row_without_history_changes_it(world):
    period = f.ReportingPeriodFactory(programme=world.programme)
    f.ReportingPeriodFactory(programme=world.programme)
    before = current()
    period.delete()
    assert current() != before


def test_links_added_and_removed_change_it(world, outcome):
    outcome.participating_agencies.add(world.agencies["unhcr"])
    before = current()
    outcome.participating_agencies.add(world.agencies["iom"])
    added = current()
    outcome.participating_agencies.remove(world.agencies["unhcr"])
    replaced = current()
    outcome.participating_agencies.remove(world.agencies["iom"])
    assert len({before, added, replaced, current()}) == 4


def test_a_renamed_person_changes_it(world):
    user = world.users["unodc"]
    before = current()
    user.first_name = user.first_name + "a"
    user.save()
    assert current() != before


def test_a_model_whose_changes_it_cannot_see_is_refused(db):
    with pytest.raises(ValueError, match="neither an audit history nor updated_at"):
        fingerprint([Group])


def test_cached_content_is_computed_once_per_state_and_language(world, outcome):
    calls = []

    def compute():
        calls.append(1)
        return Decimal(len(calls))

    def get():
        return cached_content("test", ("part",), MODELS, compute)

    assert get() == get() == Decimal(1)
    outcome.title = "Renamed"
    outcome.save()
    assert get() == Decimal(2)
    from django.utils import translation

    with translation.override("sr-latn"):
        assert get() == Decimal(3)
    assert get() == Decimal(2)
