"""Reads about programmes and the current user's place in them."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Participation, Programme

SESSION_KEY = "current_programme_id"


def programmes_for_user(user) -> list[Programme]:
    return list(Programme.objects.for_user(user).order_by("title"))


def programmes_of_request(request: HttpRequest) -> list[Programme]:
    """The signed-in user's programmes by title; one query, cached on the request
    (the programme switcher and the current programme share it)."""
    if not hasattr(request, "_user_programmes"):
        user = request.user
        request._user_programmes = programmes_for_user(user) if user.is_authenticated else []
    return request._user_programmes


def current_programme(request: HttpRequest) -> Programme | None:
    """The programme the user is working in: the one chosen in the session if they
    still belong to it, else their first one. Cached on the request."""
    if hasattr(request, "_current_programme"):
        return request._current_programme
    programmes = programmes_of_request(request)
    chosen = request.session.get(SESSION_KEY) if programmes else None
    programme = next((p for p in programmes if str(p.pk) == str(chosen)), None)
    if programme is None:
        programme = min(programmes, key=lambda p: p.pk, default=None)
    request._current_programme = programme
    return programme


def participation_of(programme: Programme, organisation) -> Participation | None:
    """The organisation's part in the programme (agency, counterpart...), if any."""
    return Participation.objects.filter(programme=programme, organisation=organisation).first()
