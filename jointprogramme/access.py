"""Who may do what to which object: the one mechanism behind every check.

Each app declares its rules next to its models in ``<app>/rules.py`` with the
predicates below (django-rules). Views, forms, templates (``{% has_perm %}``)
and the admin all ask ``user.has_perm("app.action_model", obj)``; nothing
decides access on its own.

A user's memberships are loaded once per request object and cached on the
user, so checks in a loop cost no further queries.
"""

from __future__ import annotations

import rules

from .models import Membership, Programme

Role = Membership.Role
_CACHE_ATTR = "_jointprogramme_memberships"


def memberships(user) -> dict[int, Membership]:
    """The user's memberships keyed by programme id (one query, then cached)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            m.programme_id: m
            for m in Membership.objects.filter(user=user).select_related("organisation")
        }
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    """Drop the cache, e.g. after memberships change during a request or a test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def programme_id_of(obj) -> int | None:
    """The programme an object belongs to, following the usual attribute names."""
    if obj is None:
        return None
    if isinstance(obj, Programme):
        return obj.pk
    programme_id = getattr(obj, "programme_id", None)
    if programme_id is not None:
        return programme_id
    for parent in (
        "outcome",
        "plan",
        "meeting",
        "pledge",
        "indicator",
        "result",
        "period",
        "dimension",
    ):
        related = getattr(obj, parent, None)
        if related is not None:
            return programme_id_of(related)
    return None


def membership_for(user, obj) -> Membership | None:
    programme_id = programme_id_of(obj)
    if programme_id is None:
        return None
    return memberships(user).get(programme_id)


def role_in(user, obj) -> str | None:
    membership = membership_for(user, obj)
    return membership.role if membership else None


def organisation_in(user, obj):
    """The agency (staff) or donor organisation the user acts for in obj's programme."""
    membership = membership_for(user, obj)
    return membership.organisation if membership else None


def has_role(*roles: str):
    """A predicate: the user has one of ``roles`` in the object's programme."""

    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user, obj=None) -> bool:
        if obj is None:
            return False
        return role_in(user, obj) in roles

    return predicate


is_superuser = rules.is_superuser
is_member = rules.predicate(
    lambda user, obj=None: obj is not None and bool(membership_for(user, obj)), name="is_member"
)
is_manager = has_role(Role.MANAGER)
is_agency_staff = has_role(Role.AGENCY_STAFF)
is_coordinator = has_role(Role.COORDINATOR)
is_donor = has_role(Role.DONOR)

rules.add_perm("jointprogramme.use_programme", is_superuser | is_member)
rules.add_perm("jointprogramme.manage_programme", is_superuser | is_manager)


@rules.predicate
def is_manager_anywhere(user) -> bool:
    """Manages at least one programme: may open the admin's lists, which are then
    filtered to the programmes they manage."""
    return any(m.role == Role.MANAGER for m in memberships(user).values())


@rules.predicate
def object_given(user, obj=None) -> bool:
    return obj is not None


def admin_rule(scoped_predicate):
    """The admin's rule for a model: superusers; managers anywhere for lists and
    additions (no object yet); otherwise ``scoped_predicate`` on the object."""
    return is_superuser | (~object_given & is_manager_anywhere) | (object_given & scoped_predicate)


def add_admin_perms(app_label: str, model_name: str, scoped_predicate) -> None:
    """Declare view/add/change/delete for ``model_name`` with one predicate."""
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"{app_label}.{action}_{model_name}", admin_rule(scoped_predicate))


# Programme-level abilities the pages ask about, checked against a Programme.
rules.add_perm(
    "jointprogramme.view_directory", is_superuser | is_manager | is_agency_staff | is_coordinator
)

for _model in ("programme", "pillar", "participation", "milestone", "membership"):
    add_admin_perms("jointprogramme", _model, is_manager)

# Organisations and contacts are shared by every programme and sit in the layer
# below this one, so their rules are declared here: any programme manager keeps them.
for _model in ("organisation", "contact"):
    add_admin_perms("stakeholders", _model, is_manager_anywhere)
