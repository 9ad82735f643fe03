"""Reads of meetings."""

from __future__ import annotations

from datetime import date

from .models import Meeting


def meetings_around(programme, *, today: date, limit: int = 5) -> dict[str, list[Meeting]]:
    """The next meetings (soonest first) and the latest past ones (latest first)."""
    meetings = Meeting.objects.filter(programme=programme)
    return {
        "upcoming": list(meetings.filter(start_date__gte=today).order_by("start_date")[:limit]),
        "recent": list(meetings.filter(start_date__lt=today).order_by("-start_date")[:limit]),
    }
