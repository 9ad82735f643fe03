"""Admin for organisations and contacts, and the admin pieces every app shares.

Organisations and contacts belong to no programme: every programme manager may
keep them (the rules are declared in ``jointprogramme.access``). The two mixins
below sit here, in the lowest layer, for the same reason as the import base in
``resources.py``; ``jointprogramme.admin_scoping`` adds programme scoping on top.
"""

import csv
import os
import tempfile
import zipfile

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.tmp_storages import TempFolderStorage
from rules.contrib.admin import ObjectPermissionsModelAdminMixin, ObjectPermissionsTabularInline
from tablib import InvalidDimensions

from .changelists import QuickChangeListMixin
from .forms import FiniteDecimalField
from .models import Contact, Organisation
from .resources import ContactResource, OrganisationResource, import_errors
from .uploads import checked_upload

#: Session key: the temporary files this user's previews wrote, the only ones their
#: confirmation may name.
PREVIEWED_FILES = "import_previewed_files"


#: Decimal form fields that refuse "sNaN" before the admin compares it with the saved
#: value (``stakeholders.forms.FiniteDecimalField``).
DECIMAL_OVERRIDES = {models.DecimalField: {"form_class": FiniteDecimalField}}


class RulesAdminMixin(QuickChangeListMixin, ObjectPermissionsModelAdminMixin):
    """Permissions from the access rules (django-rules), object by object; decimal
    fields, the inlines' too, refuse NaN and infinity as a form error. Every admin
    builds on it, so its change lists are the quick ones of ``changelists``."""

    formfield_overrides = DECIMAL_OVERRIDES

    def has_module_permission(self, request):
        # rules' backend knows no per-app permission: the app shows in the index
        # when the model's list may be seen.
        return self.has_view_or_change_permission(request)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            for field, options in DECIMAL_OVERRIDES.items():
                inline.formfield_overrides.setdefault(field, {}).update(options)
        return inlines


class CheckedImportForm(ImportForm):
    """The upload step: the file is checked (``stakeholders.uploads``: size, kind,
    encoding) before anything parses it; a CSV goes on re-encoded as UTF-8."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats

    def clean(self):
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or index in (None, ""):
            return cleaned
        kind = "xlsx" if self.format_classes[int(index)]().is_binary() else "csv"
        try:
            content = checked_upload(upload, kind=kind)
        except ValidationError as error:
            self.add_error("import_file", error)
        else:
            cleaned["import_file"] = SimpleUploadedFile(upload.name, content)
        return cleaned


def read_failure(error: Exception) -> str:
    """What went wrong reading a file that passed the upload checks, in plain words."""
    if isinstance(error, InvalidDimensions):
        return _(
            "A row has more or fewer cells than the header row has columns: look for "
            "a stray comma or an unclosed quotation mark."
        )
    if isinstance(error, csv.Error):
        return _("The file is not valid CSV (%(error)s).") % {"error": error}
    if isinstance(error, StopIteration | IndexError):
        return _("The workbook's first sheet is empty: it needs a header row and data rows.")
    if isinstance(error, zipfile.BadZipFile | KeyError | OSError):
        return _("The workbook is damaged or not an Excel .xlsx file: save it again from Excel.")
    return _("The file could not be read: check that the format chosen matches the file.")


class ImportExportAdminMixin(ImportExportMixin):
    """CSV and XLSX import/export through the model's resource, all or nothing.

    import-export passes the signed-in ``user`` to the resource, which limits
    what a row may name to what that user may manage. An upload is checked before
    it is parsed (``CheckedImportForm``); the confirmation may only name a file
    this user's own preview wrote; text exports are neutralised against formula
    injection by the resource (``NaturalKeyResource.export_field``).
    """

    formats = [CSV, XLSX]
    import_form_class = CheckedImportForm

    def _import_url(self):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error("import_file", read_failure(e))

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            previewed = request.session.get(PREVIEWED_FILES, [])[-9:]
            name = os.path.basename(initial["import_file_name"])
            request.session[PREVIEWED_FILES] = [*previewed, name]
        return initial

    def _confirmable(self, request) -> bool:
        """The confirmation names a format and resource there are and a file this
        user's preview wrote that is still there (a tampered or stale form is not)."""
        data = request.POST
        name = os.path.basename(data.get("import_file_name", ""))
        try:
            format_ok = 0 <= int(data.get("format", "")) < len(self.get_import_formats())
            resource = data.get("resource", "")
            resources = self.get_import_resource_classes(request)
            resource_ok = resource == "" or 0 <= int(resource) < len(resources)
        except ValueError:
            return False
        if not (format_ok and resource_ok and name in request.session.get(PREVIEWED_FILES, [])):
            return False
        storage = self.get_tmp_storage_class()
        if issubclass(storage, TempFolderStorage):
            return os.path.isfile(os.path.join(tempfile.gettempdir(), name))
        return True

    def process_import(self, request, **kwargs):
        allowed = request.method == "POST" and self.has_import_permission(request)
        if allowed and not self._confirmable(request):
            messages.error(
                request,
                _(
                    "Nothing was imported: this import can no longer be confirmed (the "
                    "preview has expired or the form was changed). Upload the file again."
                ),
            )
            return HttpResponseRedirect(self._import_url())
        return super().process_import(request, **kwargs)

    def export_action(self, request):
        # import-export passes the query string to the list as filters: an unknown
        # one would be a 500 (the change list itself says "?e=1").
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            messages.error(
                request, _("The export was asked for with filters this list does not have.")
            )
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )

    def process_result(self, result, request):
        # The file passed the dry run, but the database may have changed since
        # (someone added the same code): the import was rolled back, so say so
        # rather than import-export's "Import finished".
        if result.has_errors() or result.has_validation_errors():
            problems = import_errors(result)
            shown = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
            messages.error(request, _("Nothing was imported. %(problems)s") % {"problems": shown})
            return HttpResponseRedirect(self._import_url())
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
