"""Access rules for meetings and what was said in them.

Donors do not see meeting records: they hold the views of ministries and
civil society given in confidence.
"""

import rules

from jointprogramme.access import (
    add_admin_perms,
    is_agency_staff,
    is_coordinator,
    is_manager,
    is_superuser,
)

can_record = is_superuser | is_manager | is_agency_staff

rules.add_perm("meetings.read_meeting", can_record | is_coordinator)  # Meeting or Programme
rules.add_perm("meetings.record_meeting", can_record)  # Meeting or Programme

for _model in ("meeting", "invitation", "attendee", "feedback", "followupaction"):
    add_admin_perms("meetings", _model, is_manager)
