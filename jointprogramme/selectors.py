"""Reads about programmes and the current user's place in them."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Participation, Programme

SESSION_KEY = "current_programme_id"


def programmes_for_user(user) -> list[Programme]:
    return list(Programme.objects.for_user(user).order_by("title"))


def current_programme(request: HttpRequest) -> Programme | None:
    """The programme the user is working in: the one chosen in the session if they
    still belong to it, else their first one. Cached on the request."""
    if hasattr(request, "_current_programme"):
        return request._current_programme
    programme = None
    if request.user.is_authenticated:
        allowed = Programme.objects.for_user(request.user)
        chosen = request.session.get(SESSION_KEY)
        if chosen is not None:
            programme = allowed.filter(pk=chosen).first()
        if programme is None:
            programme = allowed.order_by("pk").first()
    request._current_programme = programme
    return programme


def participation_of(programme: Programme, organisation) -> Participation | None:
    """The organisation's part in the programme (agency, counterpart...), if any."""
    return Participation.objects.filter(programme=programme, organisation=organisation).first()
