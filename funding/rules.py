"""Access rules for pledges and payments.

Every member sees the funding dashboard; a donor sees the details of its own
pledges only.
"""

import rules

from jointprogramme.access import (
    add_admin_perms,
    is_agency_staff,
    is_coordinator,
    is_donor,
    is_manager,
    is_manager_anywhere,
    is_member,
    is_superuser,
    organisation_in,
)


@rules.predicate
def is_own_pledge(user, pledge) -> bool:
    donor = organisation_in(user, pledge)
    return donor is not None and pledge.donor_id == donor.pk


rules.add_perm("funding.view_funding", is_superuser | is_member)  # against a Programme
rules.add_perm(
    "funding.view_pledge_details",  # against a Pledge
    is_superuser | is_manager | is_agency_staff | is_coordinator | (is_donor & is_own_pledge),
)
rules.add_perm("funding.record_pledge", is_superuser | is_manager)
# Against a Programme: see every pledge (donors' names even where anonymous to other
# donors); donors see their own pledges only.
rules.add_perm(
    "funding.view_all_pledges", is_superuser | is_manager | is_agency_staff | is_coordinator
)
# Against a Programme or a Pledge: agency staff record what their agency received.
rules.add_perm("funding.record_payment", is_superuser | is_manager | is_agency_staff)
# Against a Programme: the fundraising pipeline, never shown to donors.
rules.add_perm("funding.view_pipeline", is_superuser | is_manager | is_agency_staff)
# No object: the installation-wide funding summary of the programmes one manages.
rules.add_perm("funding.view_installation", is_superuser | is_manager_anywhere)

for _model in ("pledge", "payment", "prospect"):
    add_admin_perms("funding", _model, is_manager)
# Exchange rates are shared by every programme.
add_admin_perms("funding", "exchangerate", is_manager_anywhere)
