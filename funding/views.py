"""The funding pages: thin views over the selectors, the report and the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jointprogramme.access import Role, organisation_in, role_in
from jointprogramme.fingerprints import cached_content
from jointprogramme.selectors import current_programme

from . import exports
from .forms import PaymentForm, PledgeForm
from .reports import LEVEL_LABELS, LEVEL_RULES, STAFF, funding_report
from .selectors import (
    funding_report_for,
    installation_reports,
    payments_of,
    pledge_data,
    pledge_for_page,
    rate_table_for,
    viewer_for,
)
from .services import payment_record, pledge_record
from .tables import chart_data, installation_tables, report_tables, table_page

# The long tables of the funding page, a page at a time (all rows are in the
# exports): table slug -> query-string parameter of its page.
PAGED_TABLES = {"pledges": "pledges_page", "payments": "payments_page"}
TABLE_PAGE_SIZE = 25


def _programme_or_refuse(request):
    programme = current_programme(request)
    if programme is None or not request.user.has_perm("funding.view_funding", programme):
        return None
    return programme


def _no_programme(request):
    return render(request, "jointprogramme/no_programme.html", status=403)


@login_required
@require_GET
def dashboard(request):
    """Where the money of the current programme stands, in every cut, with charts."""
    programme = _programme_or_refuse(request)
    if programme is None:
        return _no_programme(request)
    report, tables, charts = _cached_report(request, programme)
    tables = {table.slug: table for table in tables}
    pages = {}
    for slug, parameter in PAGED_TABLES.items():
        if slug in tables:
            tables[slug], pages[slug] = table_page(
                tables[slug], request.GET.get(parameter), per_page=TABLE_PAGE_SIZE
            )
    context = {
        "programme": programme,
        "report": report,
        "tables": tables,
        "pages": pages,
        "charts": charts,
        "levels": [(LEVEL_LABELS[k], LEVEL_RULES[k]) for k in LEVEL_LABELS],
        "may_record_pledge": request.user.has_perm("funding.record_pledge", programme),
        "may_see_installation": request.user.has_perm("funding.view_installation"),
        "may_record_payment": request.user.has_perm("funding.record_payment", programme),
    }
    return render(request, "funding/dashboard.html", context)


def _cached_report(request, programme):
    """The programme's funding report as the user may see it, its tables and its
    charts' data: kept until any of the tables they are built from changes, each
    reader's view (all pledges, or a donor's own) apart. Built, they are most of
    the page's time at the size of a large programme."""
    viewer = viewer_for(request.user, programme)

    def build():
        report = funding_report_for(programme=programme, user=request.user)
        return report, report_tables(report), chart_data(report)

    models = exports.sources()
    parts = (programme.pk, viewer, timezone.localdate())
    return cached_content("funding-report", parts, models, build)


def _export(request, kind: str):
    programme = _programme_or_refuse(request)
    if programme is None:
        return _no_programme(request)
    viewer = viewer_for(request.user, programme)

    def build() -> bytes:
        _report, tables, _charts = _cached_report(request, programme)
        return exports.write(tables, kind)

    # Kept until any of the tables the report is built from changes; each reader's
    # view of it (all pledges, or a donor's own) apart. Built from the page's report.
    models = exports.sources()
    today = timezone.localdate()
    parts = (programme.pk, kind, viewer, today)
    body = cached_content("funding-export", parts, models, build)
    return exports.response(body, kind=kind, filename=exports.filename(programme, today, kind))


@login_required
@require_GET
def export_csv(request):
    """Every table of the funding page, one after the other, as CSV."""
    return _export(request, "csv")


@login_required
@require_GET
def export_xlsx(request):
    """Every table of the funding page, a sheet each, as an Excel workbook."""
    return _export(request, "xlsx")


def _pledge_or_404(request, pk: int, perm: str):
    """The pledge, if the user may ``perm`` it: 404 outside its programme, 403 inside."""
    pledge = pledge_for_page(pk)
    if pledge is None or not request.user.has_perm("jointprogramme.use_programme", pledge):
        raise Http404("No such pledge.")
    if not request.user.has_perm(perm, pledge):
        raise PermissionDenied("You may not see this pledge.")
    return pledge


@login_required
@require_GET
def pledge_detail(request, pk: int):
    """One pledge and the payments received against it."""
    pledge = _pledge_or_404(request, pk, "funding.view_pledge_details")
    payments = payments_of(pledge)
    rates = rate_table_for(
        currencies={pledge.currency, *(p.currency for p in payments)},
        target=pledge.programme.currency,
    )
    report = funding_report(data=pledge_data(pledge, payments), rates=rates, viewer=STAFF)
    context = {
        "pledge": pledge,
        "view": report.pledges[0],
        "missing": report.missing,
        "currency": pledge.programme.currency,
        "may_record_payment": request.user.has_perm("funding.record_payment", pledge),
    }
    return render(request, "funding/pledge_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request):
    """Managers record a donor's pledge to the current programme."""
    programme = _programme_or_refuse(request)
    if programme is None:
        return _no_programme(request)
    if not request.user.has_perm("funding.record_pledge", programme):
        raise PermissionDenied("Only the programme's managers record pledges.")
    form = PledgeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        pledge = pledge_record(programme=programme, by=request.user, **form.cleaned_data)
        messages.success(request, _("Pledge #%(number)s recorded.") % {"number": pledge.pk})
        return redirect("funding:pledge", pk=pledge.pk)
    return render(request, "funding/pledge_form.html", {"form": form, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def payment_create(request, pk: int):
    """Agency staff record a payment their agency received; managers, for any agency."""
    pledge = _pledge_or_404(request, pk, "funding.record_payment")
    is_staff = role_in(request.user, pledge) == Role.AGENCY_STAFF
    fixed_agency = organisation_in(request.user, pledge) if is_staff else None
    form = PaymentForm(request.POST or None, pledge=pledge, agency=fixed_agency)
    if request.method == "POST" and form.is_valid():
        payment = payment_record(pledge=pledge, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Payment of %(amount)s %(currency)s recorded.")
            % {"amount": payment.amount, "currency": payment.currency},
        )
        return redirect("funding:pledge", pk=pledge.pk)
    return render(request, "funding/payment_form.html", {"form": form, "pledge": pledge})


def _installation_rows(request):
    if not request.user.has_perm("funding.view_installation"):
        raise PermissionDenied("Only programme managers see the installation's funding.")
    return installation_reports(request.user)


@login_required
@require_GET
def installation(request):
    """Every programme the manager runs, side by side and summed per currency."""
    rows = _installation_rows(request)
    context = {"rows": rows, "table": installation_tables(rows)[0]}
    return render(request, "funding/installation.html", context)


def _installation_export(request, kind: str):
    tables = installation_tables(_installation_rows(request))
    filename = f"funding-all-programmes-{timezone.localdate():%Y-%m-%d}.{kind}"
    return exports.response(exports.write(tables, kind), kind=kind, filename=filename)


@login_required
@require_GET
def installation_csv(request):
    return _installation_export(request, "csv")


@login_required
@require_GET
def installation_xlsx(request):
    return _installation_export(request, "xlsx")
