"""Fixtures for the results framework pages: one outcome led by UNODC with IOM
taking part, so UNODC and IOM staff edit it and UNHCR staff do not."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from outcomes.models import Indicator, Outcome, Output, ReportingPeriod
from tests import factories as f
from tests.conftest import World


@dataclass
class OutcomeWorld:
    world: World
    outcome: Outcome
    output: Output
    indicator: Indicator
    periods: list[ReportingPeriod]
    other_outcome: Outcome  # in the other programme

    def client_for(self, name):
        return self.world.client_for(name)

    def user(self, name):
        return self.world.users[name]


@pytest.fixture
def outcome_world(world) -> OutcomeWorld:
    programme = world.programme
    pillar = f.PillarFactory(programme=programme, code="prosecution", name="Prosecution", order=2)
    outcome = f.OutcomeFactory(
        programme=programme,
        pillar=pillar,
        code="2.1",
        title="Traffickers are prosecuted",
        lead_agency=world.agencies["unodc"],
        participating_agencies=[world.agencies["iom"]],
    )
    output = f.OutputFactory(outcome=outcome, code="2.1.1", title="Prosecutors trained")
    indicator = f.IndicatorFactory(
        outcome=outcome,
        output=output,
        code="2.1.a",
        title="Prosecutions opened",
        unit="cases",
        baseline=Decimal("10"),
        target=Decimal("50"),
    )
    periods = [
        f.ReportingPeriodFactory(programme=programme, name=name, start_date=start, end_date=end)
        for name, start, end in [
            ("2010 H1", "2010-01-01", "2010-06-30"),
            ("2010 H2", "2010-07-01", "2010-12-31"),
            ("2011 H1", "2011-01-01", "2011-06-30"),
        ]
    ]
    other_pillar = f.PillarFactory(programme=world.other_programme, code="prevention")
    other_outcome = f.OutcomeFactory(
        programme=world.other_programme,
        pillar=other_pillar,
        code="9.9",
        title="Elsewhere's outcome",
    )
    return OutcomeWorld(world, outcome, output, indicator, periods, other_outcome)


def edit_payload(outcome: Outcome, **changes) -> dict:
    """The edit form as the page posts it, unchanged unless ``changes`` say so.

    Keys of ``changes`` are form field names (``title``, ``outputs-0-title``...).
    """
    outcome.refresh_from_db()
    outputs = list(outcome.outputs.order_by("order", "code", "pk"))
    indicators = list(outcome.indicators.order_by("order", "code", "pk"))
    data = {
        "version": outcome.version,
        "code": outcome.code,
        "title": outcome.title,
        "pillar": outcome.pillar_id,
        "status": outcome.status,
        "description": outcome.description,
        "lead_agency": outcome.lead_agency_id,
        "participating_agencies": [a.pk for a in outcome.participating_agencies.all()],
        "outputs-TOTAL_FORMS": len(outputs) + 1,
        "outputs-INITIAL_FORMS": len(outputs),
        "outputs-MIN_NUM_FORMS": 0,
        "outputs-MAX_NUM_FORMS": 1000,
        "indicators-TOTAL_FORMS": len(indicators) + 1,
        "indicators-INITIAL_FORMS": len(indicators),
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    for i, output in enumerate(outputs):
        data.update(
            {
                f"outputs-{i}-id": output.pk,
                f"outputs-{i}-outcome": outcome.pk,
                f"outputs-{i}-code": output.code,
                f"outputs-{i}-title": output.title,
                f"outputs-{i}-description": output.description,
            }
        )
    for i, indicator in enumerate(indicators):
        data.update(
            {
                f"indicators-{i}-id": indicator.pk,
                f"indicators-{i}-outcome": outcome.pk,
                f"indicators-{i}-code": indicator.code,
                f"indicators-{i}-title": indicator.title,
                f"indicators-{i}-output": indicator.output_id or "",
                f"indicators-{i}-unit": indicator.unit,
                f"indicators-{i}-baseline": indicator.baseline,
                f"indicators-{i}-target": indicator.target,
                f"indicators-{i}-means_of_verification": indicator.means_of_verification,
            }
        )
        if indicator.is_sensitive:
            data[f"indicators-{i}-is_sensitive"] = "on"
    # The empty row for a new indicator posts its default baseline, as the page does.
    data[f"indicators-{len(indicators)}-baseline"] = "0"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
