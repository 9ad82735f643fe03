"""Shared fixtures: a small programme with one user per role, and an outsider.

``world`` mirrors the demo accounts: ``manager``, ``unodc``, ``unhcr``, ``iom``,
``coordinator``, ``donor`` — plus ``outsider``, a manager of another programme.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from jointprogramme.models import Membership, Participation, Programme
from stakeholders.models import Organisation
from tests import factories as f

Role = Membership.Role


@dataclass
class World:
    programme: Programme
    other_programme: Programme
    agencies: dict[str, Organisation]
    donor_org: Organisation
    users: dict

    def client_for(self, name: str | None) -> Client:
        """A client signed in as the named user; anonymous for None."""
        client = Client()
        if name is not None:
            client.force_login(self.users[name])
        return client


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty local cache: cached figures (the dashboard's
    funding summary) must not outlive the rolled-back data of the test before.
    A shared Redis cache is never cleared here (other processes use it)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture
def world(db) -> World:
    programme = f.ProgrammeFactory(title="Joint Programme against Trafficking in Serbia")
    other = f.ProgrammeFactory(title="Another country's programme", country="Elsewhere")
    agencies = {
        key: f.AgencyFactory(name=name, acronym=key.upper())
        for key, name in [
            ("unodc", "United Nations Office on Drugs and Crime"),
            ("unhcr", "United Nations High Commissioner for Refugees"),
            ("iom", "International Organization for Migration"),
        ]
    }
    for agency in agencies.values():
        f.ParticipationFactory(
            programme=programme, organisation=agency, role=Participation.Role.PARTICIPATING_AGENCY
        )
    donor_org = f.DonorFactory(name="Embassy of Norway")
    users = {}
    for name, role, organisation in [
        ("manager", Role.MANAGER, None),
        ("unodc", Role.AGENCY_STAFF, agencies["unodc"]),
        ("unhcr", Role.AGENCY_STAFF, agencies["unhcr"]),
        ("iom", Role.AGENCY_STAFF, agencies["iom"]),
        ("coordinator", Role.COORDINATOR, None),
        ("donor", Role.DONOR, donor_org),
    ]:
        user = f.UserFactory(username=name)
        f.MembershipFactory(user=user, programme=programme, role=role, organisation=organisation)
        users[name] = user
    outsider = f.UserFactory(username="outsider")
    f.MembershipFactory(user=outsider, programme=other, role=Role.MANAGER)
    users["outsider"] = outsider
    return World(
        programme=programme,
        other_programme=other,
        agencies=agencies,
        donor_org=donor_org,
        users=users,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply: the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ROLES = ["manager", "unodc", "unhcr", "iom", "coordinator", "donor"]
EVERYONE = [*ROLES, "outsider", None]
