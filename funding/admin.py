"""Admin for pledges and their payments, the fundraising pipeline and exchange
rates. Pledges keep an audit history; pledges and exchange rates import and
export as CSV or XLSX (the funding dashboard converts with imported rates)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jointprogramme.admin_scoping import (
    ManagedProgrammeFilter,
    ScopedAdmin,
    ScopedImportExportMixin,
    ScopedTabularInline,
    VersionCheckedForm,
)

from .models import ExchangeRate, Payment, Pledge, Prospect
from .resources import ExchangeRateResource, PledgeResource

programme_filter = ("programme", admin.RelatedOnlyFieldListFilter)


class PaymentInline(ScopedTabularInline):
    model = Payment
    fields = ("received_on", "amount", "currency", "received_by", "reference")
    autocomplete_fields = ("received_by",)


@admin.register(Pledge)
class PledgeAdmin(ScopedImportExportMixin, SimpleHistoryAdmin):
    programme_path = "programme"
    resource_classes = [PledgeResource]
    form = VersionCheckedForm
    list_display = ("donor", "amount", "currency", "pledged_on", "status", "programme", "earmark")
    # The programmes the user manages, from their own table: RelatedOnlyFieldListFilter
    # would read every pledge for the programmes they belong to, on every page.
    list_filter = (("programme", ManagedProgrammeFilter), "status", "currency", "is_sample")
    list_select_related = (
        "donor",
        "programme",
        "earmark_pillar",
        "earmark_outcome",
        "earmark_agency",
    )
    search_fields = ("donor__name", "donor__acronym", "reference", "note")
    autocomplete_fields = ("donor", "earmark_agency")
    readonly_fields = ("version",)
    date_hierarchy = "pledged_on"
    # Newest first, as the index ``pledge_newest_first`` is: the model's ordering
    # (by programme title first) joins and sorts every pledge before the first page.
    ordering = ("-pledged_on", "-pk")
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ScopedAdmin):
    programme_path = "pledge__programme"
    list_display = ("pledge", "amount", "currency", "received_on", "received_by")
    list_filter = (("pledge__programme", ManagedProgrammeFilter), "currency")
    # Latest first: the model's ordering (by pledge, then programme) joins and sorts
    # every payment before the first page.
    ordering = ("-received_on", "-pk")
    list_select_related = ("pledge__donor", "received_by")
    search_fields = ("reference", "pledge__donor__name", "received_by__name")
    autocomplete_fields = ("received_by",)
    date_hierarchy = "received_on"


@admin.register(Prospect)
class ProspectAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("donor", "amount_hoped", "currency", "stage", "owner_agency", "date")
    list_filter = (programme_filter, "stage")
    list_select_related = ("donor", "owner_agency")
    search_fields = ("donor__name", "donor__acronym", "next_step")
    autocomplete_fields = ("donor", "owner_agency")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ScopedImportExportMixin, admin.ModelAdmin):
    programme_path = None  # rates are shared by every programme
    resource_classes = [ExchangeRateResource]
    list_display = ("rate_date", "base_currency", "quote_currency", "rate", "source")
    list_filter = ("base_currency", "quote_currency", "source")
    search_fields = ("base_currency", "quote_currency", "source")
    date_hierarchy = "rate_date"
