"""A small programme with a National Action Plan and links, for the alignment tests.

Outcome 2.1 is led by UNODC with IOM taking part; outcome 3.1 is led by UNHCR.
The plan (a draft) has objectives 2 (2.1, 2.2) and 3 (3.1). Links: 2.1 → 2.1
proposed, 3.1 → 3.1 queried, 3.1 → 2.2 confirmed. The other programme has a plan
and a link of its own, which nobody here may see.

Use it with ``from tests.outcomes.alignment_world import alignment_world_fixture  # noqa: F401``
(the fixture is named ``alignment_world``).
"""

from dataclasses import dataclass

import pytest

from outcomes.models import Alignment, NapObjective, NationalActionPlan, Outcome
from tests import factories as f
from tests.conftest import World


@dataclass
class AlignmentWorld:
    world: World
    plan: NationalActionPlan
    objectives: dict[str, NapObjective]
    outcomes: dict[str, Outcome]
    proposed: Alignment  # 2.1 → 2.1
    queried: Alignment  # 3.1 → 3.1
    confirmed: Alignment  # 3.1 → 2.2
    other_link: Alignment  # in the other programme
    other_plan: NationalActionPlan

    def client_for(self, name):
        return self.world.client_for(name)

    def user(self, name):
        return self.world.users[name]


@pytest.fixture(name="alignment_world")
def alignment_world_fixture(world, settings) -> AlignmentWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    programme = world.programme
    pillars = {
        code: f.PillarFactory(programme=programme, code=code, name=code.title(), order=i)
        for i, code in enumerate(["prevention", "prosecution", "protection"], start=1)
    }
    outcomes = {
        "2.1": f.OutcomeFactory(
            programme=programme,
            pillar=pillars["prosecution"],
            code="2.1",
            title="Traffickers are prosecuted",
            lead_agency=world.agencies["unodc"],
            participating_agencies=[world.agencies["iom"]],
        ),
        "3.1": f.OutcomeFactory(
            programme=programme,
            pillar=pillars["protection"],
            code="3.1",
            title="Victims are identified and referred",
            lead_agency=world.agencies["unhcr"],
        ),
    }
    plan = f.NationalActionPlanFactory(programme=programme, version="1", title="NAP 2009–2011")
    objectives = {}
    for code, parent, pillar in [
        ("2", None, "prosecution"),
        ("2.1", "2", "prosecution"),
        ("2.2", "2", "prosecution"),
        ("3", None, "protection"),
        ("3.1", "3", "protection"),
    ]:
        objectives[code] = f.NapObjectiveFactory(
            plan=plan,
            code=code,
            title=f"Objective {code}",
            parent=objectives.get(parent),
            pillar=pillars[pillar],
        )
    proposed = f.AlignmentFactory(
        outcome=outcomes["2.1"], objective=objectives["2.1"], proposed_by=world.users["unodc"]
    )
    queried = f.AlignmentFactory(
        outcome=outcomes["3.1"],
        objective=objectives["3.1"],
        review_status=Alignment.ReviewStatus.QUERIED,
        review_comment="Does it cover asylum seekers?",
        reviewed_by=world.users["coordinator"],
    )
    confirmed = f.AlignmentFactory(
        outcome=outcomes["3.1"],
        objective=objectives["2.2"],
        degree=Alignment.Degree.PARTIAL,
        review_status=Alignment.ReviewStatus.CONFIRMED,
        reviewed_by=world.users["coordinator"],
    )
    other_pillar = f.PillarFactory(programme=world.other_programme, code="prevention")
    other_outcome = f.OutcomeFactory(
        programme=world.other_programme, pillar=other_pillar, code="9.9", title="Elsewhere"
    )
    other_plan = f.NationalActionPlanFactory(programme=world.other_programme, version="X")
    other_link = f.AlignmentFactory(
        outcome=other_outcome,
        objective=f.NapObjectiveFactory(plan=other_plan, code="9", title="Elsewhere's objective"),
    )
    return AlignmentWorld(
        world=world,
        plan=plan,
        objectives=objectives,
        outcomes=outcomes,
        proposed=proposed,
        queried=queried,
        confirmed=confirmed,
        other_link=other_link,
        other_plan=other_plan,
    )
