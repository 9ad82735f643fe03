"""Access rules for the results framework, the National Action Plan and alignment.

Objects are outcomes, outputs, indicators, results (via their outcome), plans,
objectives and alignments; programme-level checks take the Programme.
"""

import rules

from jointprogramme.access import (
    add_admin_perms,
    is_agency_staff,
    is_coordinator,
    is_manager,
    is_member,
    is_superuser,
    organisation_in,
)


def outcome_of(obj):
    """The outcome an object of the results framework belongs to."""
    for attr in ("outcome", "indicator"):
        related = getattr(obj, attr, None)
        if related is not None:
            return outcome_of(related)
    return obj if obj.__class__.__name__ == "Outcome" else None


@rules.predicate
def works_on_outcome(user, obj) -> bool:
    """Agency staff whose agency leads or takes part in the object's outcome.

    Uses ``participating_agencies`` from the prefetch cache when it is there.
    """
    outcome = outcome_of(obj)
    agency = organisation_in(user, obj)
    if outcome is None or agency is None:
        return False
    if outcome.lead_agency_id == agency.pk:
        return True
    return any(a.pk == agency.pk for a in outcome.participating_agencies.all())


can_view = is_superuser | is_member
can_edit_outcome = is_superuser | is_manager | (is_agency_staff & works_on_outcome)

# Pages
rules.add_perm("outcomes.read_outcome", can_view)
rules.add_perm("outcomes.edit_outcome", can_edit_outcome)  # outcome, outputs, indicators
rules.add_perm("outcomes.report_result", can_edit_outcome)
rules.add_perm("outcomes.create_outcome", is_superuser | is_manager)  # against a Programme
rules.add_perm("outcomes.view_alignment_report", can_view)  # against a Programme
rules.add_perm("outcomes.propose_alignment", can_edit_outcome)  # against an Outcome
rules.add_perm("outcomes.review_alignment", is_superuser | is_manager | is_coordinator)
rules.add_perm("outcomes.answer_alignment", can_edit_outcome)  # against an Alignment

# Admin
for _model in ("outcome", "outcomebudget", "output", "indicator", "result", "alignment"):
    add_admin_perms("outcomes", _model, is_manager)
for _model in ("reportingperiod", "nationalactionplan", "napobjective"):
    add_admin_perms("outcomes", _model, is_manager)
