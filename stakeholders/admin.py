"""Admin for organisations and contacts, and the admin pieces every app shares.

Organisations and contacts belong to no programme: every programme manager may
keep them (the rules are declared in ``jointprogramme.access``). The two mixins
below sit here, in the lowest layer, for the same reason as the import base in
``resources.py``; ``jointprogramme.admin_scoping`` adds programme scoping on top.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from rules.contrib.admin import ObjectPermissionsModelAdminMixin, ObjectPermissionsTabularInline

from .models import Contact, Organisation
from .resources import ContactResource, OrganisationResource, import_errors


class RulesAdminMixin(ObjectPermissionsModelAdminMixin):
    """Permissions from the access rules (django-rules), object by object."""

    def has_module_permission(self, request):
        # rules' backend knows no per-app permission: the app shows in the index
        # when the model's list may be seen.
        return self.has_view_or_change_permission(request)


class ImportExportAdminMixin(ImportExportMixin):
    """CSV and XLSX import/export through the model's resource, all or nothing.

    import-export passes the signed-in ``user`` to the resource, which limits
    what a row may name to what that user may manage.
    """

    formats = [CSV, XLSX]

    def process_result(self, result, request):
        # The file passed the dry run, but the database may have changed since
        # (someone added the same code): the import was rolled back, so say so
        # rather than import-export's "Import finished".
        if result.has_errors() or result.has_validation_errors():
            problems = import_errors(result)
            shown = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
            messages.error(request, f"Nothing was imported. {shown}")
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


class ContactInline(ObjectPermissionsTabularInline):
    model = Contact
    extra = 0
    fields = ("name", "position", "email", "phone", "is_sample")


@admin.register(Organisation)
class OrganisationAdmin(RulesAdminMixin, ImportExportAdminMixin, admin.ModelAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("name", "acronym", "kind", "country", "is_sample")
    list_filter = ("kind", "is_sample", "country")
    search_fields = ("name", "acronym", "country")
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(RulesAdminMixin, ImportExportAdminMixin, admin.ModelAdmin):
    resource_classes = [ContactResource]
    list_display = ("__str__", "organisation", "email", "phone", "is_sample")
    list_filter = ("is_sample", "organisation__kind")
    list_select_related = ("organisation",)
    search_fields = ("name", "position", "email", "organisation__name", "organisation__acronym")
    autocomplete_fields = ("organisation",)
