"""The results and alignment exports are kept in the cache (``fingerprints``) and
are never served stale: each kind of change to what they show gives a new file, in
each language and for each reader's view."""

import csv
import io

import pytest
from django.urls import reverse

from outcomes import alignment_exports, reporting_exports
from tests import factories as f
from tests.outcomes import test_reporting_views
from tests.outcomes.alignment_world import alignment_world_fixture  # noqa: F401


def csv_text(client, name, **params) -> str:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def csv_rows(client, name, **params) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_text(client, name, **params))))


# A sensitive indicator broken down by sex, two approved results (test_reporting_views).
approved = test_reporting_views.sensitive


@pytest.fixture
def builds(monkeypatch):
    """How many times each export file was built rather than served from the cache."""
    counts = {"results": 0, "alignment": 0}
    for key, module in (("results", reporting_exports), ("alignment", alignment_exports)):
        original = module.write

        def counting(*args, _original=original, _key=key, **kwargs):
            counts[_key] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, "write", counting)
    return counts


# Results -----------------------------------------------------------------------------


def test_the_results_file_is_built_once_and_then_served_from_the_cache(approved, builds):
    client = approved.client_for("iom")
    first = csv_text(client, "outcomes:results_csv")
    assert csv_text(client, "outcomes:results_csv") == first
    assert builds["results"] == 1
    client.get(reverse("outcomes:results_xlsx"))
    assert builds["results"] == 2  # each kind its own file


def test_the_results_file_follows_every_source(approved, builds):
    ow = approved
    client = ow.client_for("iom")

    def rows():
        return csv_rows(client, "outcomes:results_csv")

    assert {r["Period"] for r in rows()} == {"2010 H1", "2010 H2"}
    period = ow.periods[0]
    period.name = "2010 first half"
    period.save()
    assert {r["Period"] for r in rows()} == {"2010 first half", "2010 H2"}

    indicator = next(i for i in ow.outcome.indicators.all() if i.code == "2.1.v")
    indicator.title = "Victims identified and referred"
    indicator.save()
    assert {r["Indicator title"] for r in rows()} == {"Victims identified and referred"}

    category = indicator.dimensions.get().categories.get(name="Women")
    category.name = "Girls and women"
    category.save()
    assert "Girls and women" in {r["Category"] for r in rows()}

    manager = ow.user("manager")
    manager.first_name = "Renamed"
    manager.save()
    assert {r["Approved by"].split()[0] for r in rows()} == {"Renamed"}

    result = indicator.results.get(period=ow.periods[1])
    result.value = 7
    result.save()
    assert "7" in {r["Value"] for r in rows() if r["Dimension"] == "Total"}

    result.delete()
    assert {r["Period"] for r in rows()} == {"2010 first half"}
    assert builds["results"] == 7


def test_each_reader_and_language_gets_its_own_results_file(approved, builds):
    ow = approved
    staff = csv_rows(ow.client_for("iom"), "outcomes:results_csv")
    donor = csv_rows(ow.client_for("donor"), "outcomes:results_csv")
    assert [r["Shown as"] for r in staff][:3] == ["43", "3", "40"]
    assert [r["Shown as"] for r in donor][:3] == ["43", "< 5", "hidden"]
    client = ow.client_for("iom")
    client.cookies["django_language"] = "sr-latn"
    serbian = csv_text(client, "outcomes:results_csv")
    assert serbian.splitlines()[0].startswith("Ishod")
    assert builds["results"] == 3


# Alignment ---------------------------------------------------------------------------


def test_the_alignment_file_is_built_once_and_follows_every_source(alignment_world, builds):
    aw = alignment_world
    client = aw.client_for("coordinator")

    def text():
        return csv_text(client, "outcomes:alignment_csv", plan=aw.plan.pk)

    first = text()
    assert text() == first and builds["alignment"] == 1
    assert "Objective 2.1" in first

    objective = aw.objectives["2.1"]
    objective.title = "Prosecutors specialised in trafficking"
    objective.save()
    assert "Prosecutors specialised in trafficking" in text()

    aw.queried.review_comment = "Asylum seekers too?"
    aw.queried.save()
    assert "Asylum seekers too?" in text()

    outcome = aw.outcomes["3.1"]
    outcome.title = "Victims identified early"
    outcome.save()
    assert "Victims identified early" in text()

    unhcr = aw.world.agencies["unhcr"]
    unhcr.acronym = "UNHCR-RS"
    unhcr.save()
    assert "UNHCR-RS" in text()

    coordinator = aw.user("coordinator")
    coordinator.first_name, coordinator.last_name = "Nova", "Koordinatorka"
    coordinator.save()
    assert "Nova Koordinatorka" in text()

    before = text()
    f.AlignmentFactory(outcome=aw.outcomes["2.1"], objective=aw.objectives["3.1"])
    assert text() != before
    assert builds["alignment"] == 7

    response = client.get(reverse("outcomes:alignment_xlsx"), {"plan": aw.plan.pk})
    assert response.status_code == 200 and builds["alignment"] == 8  # each kind its own file


def test_the_alignment_page_shows_a_change_at_once(alignment_world):
    aw = alignment_world
    client = aw.client_for("coordinator")
    url = reverse("outcomes:alignment")
    assert "Objective 3.1" in client.get(url, {"plan": aw.plan.pk}).content.decode()
    objective = aw.objectives["3.1"]
    objective.title = "Victims referred within 48 hours"
    objective.save()
    page = client.get(url, {"plan": aw.plan.pk})
    assert "Victims referred within 48 hours" in page.content.decode()
    before = page.context["report"].overall.links
    f.AlignmentFactory(outcome=aw.outcomes["2.1"], objective=aw.objectives["2.2"])
    after = client.get(url, {"plan": aw.plan.pk}).context["report"].overall.links
    assert after == before + 1
