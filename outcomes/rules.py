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
    membership_for,
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


@rules.predicate
def is_flagged_approver(user, obj) -> bool:
    """Agency staff the programme has flagged to approve other agencies' results."""
    membership = membership_for(user, obj)
    return bool(membership and membership.can_approve)


@rules.predicate
def of_another_agency(user, result) -> bool:
    """The result was submitted for an agency other than the user's."""
    agency = organisation_in(user, result)
    return agency is not None and getattr(result, "submitted_for_id", None) != agency.pk


@rules.predicate
def is_result_author(user, result) -> bool:
    """Entered the value or submitted it: never its reviewer (see ``reporting.is_author``)."""
    return user.pk is not None and user.pk in {
        getattr(result, "submitted_by_id", None),
        getattr(result, "reported_by_id", None),
    }


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

# The reporting cycle. Results are checked with their indicator and outcome loaded.
rules.add_perm("outcomes.submit_result", can_edit_outcome)  # submit, withdraw
rules.add_perm(
    "outcomes.approve_result",  # approve or return a submitted result
    ~is_result_author
    & (is_superuser | is_manager | (is_agency_staff & is_flagged_approver & of_another_agency)),
)
rules.add_perm("outcomes.reopen_result", is_superuser | is_manager)
rules.add_perm("outcomes.lock_period", is_superuser | is_manager)  # lock and unlock
# Against a Programme: managers see every agency, agency staff their own.
rules.add_perm("outcomes.view_reporting_status", is_superuser | is_manager | is_agency_staff)
# Drafts, submitted and returned results: only those who report and review them.
rules.add_perm("outcomes.view_unapproved_results", is_superuser | is_manager | is_agency_staff)
# Sensitive figures below the programme's minimum cell size: not for donors.
rules.add_perm(
    "outcomes.view_exact_figures", is_superuser | is_manager | is_agency_staff | is_coordinator
)

# Admin
for _model in ("outcome", "outcomebudget", "output", "indicator", "result", "alignment"):
    add_admin_perms("outcomes", _model, is_manager)
for _model in (
    "reportingperiod",
    "nationalactionplan",
    "napobjective",
    "disaggregationdimension",
    "disaggregationcategory",
    # Only looked at in the admin (RecordOnlyMixin): they change through the cycle.
    "resultbreakdown",
    "periodlockevent",
    "sentreminder",
):
    add_admin_perms("outcomes", _model, is_manager)
