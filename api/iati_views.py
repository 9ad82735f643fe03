"""The IATI export as pages: the XML at /programmes/<id>/iati.xml for every member
(it is the public view: nothing a donor does not see), and the check a manager
reads before publishing it, at /programmes/<id>/iati/.

A programme whose export has errors gets no XML: the answer is a 422 with the
problems in plain words (the full list for its managers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jointprogramme.models import Programme

from .iati.export import export_programme


def _programme_or_404(request, pk: int) -> Programme:
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None or not request.user.has_perm("jointprogramme.use_programme", programme):
        raise Http404("No programme found.")
    return programme


@login_required
@require_GET
def activity_xml(request, pk: int):
    """The programme's IATI 2.03 activity file, or why it cannot be published yet."""
    programme = _programme_or_404(request, pk)
    export = export_programme(programme)
    if not export.ok:
        context = {
            "programme": programme,
            "export": export,
            "is_manager": request.user.has_perm("jointprogramme.manage_programme", programme),
        }
        return render(request, "api/iati_check.html", context, status=422)
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="programme-{programme.pk}-iati.xml"'
    return response


@login_required
@require_GET
def activity_check(request, pk: int):
    """What stands between the programme's data and a valid IATI file: errors to fix,
    warnings to know about, and what the file holds."""
    programme = _programme_or_404(request, pk)
    if not request.user.has_perm("jointprogramme.manage_programme", programme):
        raise PermissionDenied("The IATI check is for the programme's managers.")
    export = export_programme(programme)
    context = {"programme": programme, "export": export, "is_manager": True}
    return render(request, "api/iati_check.html", context)
