"""Attendance arithmetic: pure functions over invitations, testable without a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol


class InvitationLike(Protocol):
    attended: bool | None


@dataclass(frozen=True)
class AttendanceSummary:
    """Who was invited, who came, who did not, and whose attendance is not recorded."""

    attended: list[Any] = field(default_factory=list)
    absent: list[Any] = field(default_factory=list)
    unknown: list[Any] = field(default_factory=list)

    @property
    def invited_count(self) -> int:
        return len(self.attended) + len(self.absent) + len(self.unknown)

    @property
    def attended_count(self) -> int:
        return len(self.attended)

    @property
    def absent_count(self) -> int:
        return len(self.absent)

    @property
    def recorded_count(self) -> int:
        return len(self.attended) + len(self.absent)

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(attended=self.attended_count, absent=self.absent_count)


def attendance_rate(*, attended: int, absent: int) -> Decimal | None:
    """Share of invited organisations that came, as a whole percentage.

    Only invitations whose attendance is recorded count: an organisation not yet
    known to have come or stayed away is neither. None when nothing is recorded.
    """
    recorded = attended + absent
    if recorded <= 0:
        return None
    return (Decimal(100) * attended / recorded).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def summarise_attendance(invitations: Iterable[InvitationLike]) -> AttendanceSummary:
    """Split invitations into attended, absent (invited but did not come) and unknown."""
    summary = AttendanceSummary()
    for invitation in invitations:
        if invitation.attended is True:
            summary.attended.append(invitation)
        elif invitation.attended is False:
            summary.absent.append(invitation)
        else:
            summary.unknown.append(invitation)
    return summary
