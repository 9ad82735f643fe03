"""The admin of programme records: each manager sees, opens and chooses only
objects of the programmes they manage.

Permissions come from the access rules through rules' object-permission admin
(``stakeholders.admin.RulesAdminMixin``): superusers may do anything; any
programme manager may open the lists and add; an object may be viewed or changed
by managers of its programme. On top of that each admin names the
``programme_path`` from its model to ``Programme`` so that lists, the objects one
may open and the choices in foreign-key fields are limited to the programmes the
user manages (``jointprogramme.access.memberships``). Models shared by every
programme (organisations, contacts, exchange rates) leave it ``None``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.admin import ObjectPermissionsStackedInline, ObjectPermissionsTabularInline

from stakeholders.admin import ImportExportAdminMixin, RulesAdminMixin

from .access import Role, memberships


def managed_programme_ids(user) -> set[int] | None:
    """Ids of the programmes ``user`` manages; ``None`` means every programme."""
    if user.is_superuser:
        return None
    return {pid for pid, m in memberships(user).items() if m.role == Role.MANAGER}


def scope_to_managed(queryset, programme_path: str | None, user):
    """``queryset`` limited to objects of the programmes ``user`` manages."""
    if programme_path is None:
        return queryset
    ids = managed_programme_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{programme_path}__in": ids})


class ManagedProgrammeFilter(admin.RelatedFieldListFilter):
    """A programme filter offering the programmes the user manages, read from the
    programmes' own table. ``RelatedOnlyFieldListFilter`` would read the whole list
    (over 100,000 results at the size of a real installation) for the programmes
    its rows belong to, on every page of the list."""

    def field_choices(self, field, request, model_admin):
        ids = managed_programme_ids(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to=None if ids is None else {"pk__in": ids},
        )


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited as the related model's own
    admin limits its list."""

    def _scope_choices(self, db_field, request, kwargs) -> None:
        if "queryset" in kwargs:
            return
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        path = getattr(related_admin, "programme_path", None)
        if path is None:
            return
        queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        kwargs["queryset"] = scope_to_managed(queryset, path, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedChoicesMixin, RulesAdminMixin):
    """Put first among a ModelAdmin's bases; set ``programme_path``."""

    #: Lookup path from the model to its Programme ("pk" for Programme itself);
    #: None for records every programme shares.
    programme_path: str | None = None

    def get_queryset(self, request):
        return scope_to_managed(super().get_queryset(request), self.programme_path, request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not request.user.is_superuser:
            # Not found among one's own programmes: a plain 404, not Django's
            # redirect saying the object "may have been deleted".
            raise Http404("No such record in the programmes you manage.")
        return obj


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Scoped admin without import/export."""


class ScopedImportExportMixin(ScopedAdminMixin, ImportExportAdminMixin):
    """Scoped admin with CSV/XLSX import and export: combine with ``admin.ModelAdmin``
    or ``SimpleHistoryAdmin``. Export takes the scoped list; import lets rows name
    only programmes the user manages (the resource gets ``user``)."""


class VersionCheckedForm(forms.ModelForm):
    """An admin form for a record with an optimistic-lock ``version`` (outcomes,
    alignments, pledges): it remembers the version it was opened at and refuses
    to save over a newer one, as the pages' services do; a save moves the
    version on, so a page form opened before it is told in turn."""

    opened_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, label=gettext_lazy("Version opened")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the database, not the instance: simple-history's "revert"
            # builds the form on an old version of the record.
            self.fields["opened_version"].initial = self._current_version(lock=False)
            self.fields["opened_version"].required = True

    def _current_version(self, *, lock: bool) -> int | None:
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()  # held until the admin's save commits
        return rows.values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        opened = cleaned.get("opened_version")
        current = self._current_version(lock=True)
        if opened is not None and current is not None:
            if opened != current:
                raise forms.ValidationError(
                    _(
                        "Someone saved this %(record)s after you opened it (version "
                        "%(opened)s; it is now at version %(current)s). Nothing was saved: "
                        "open it again to see their changes."
                    )
                    % {
                        "record": self._meta.model._meta.verbose_name,
                        "opened": opened,
                        "current": current,
                    }
                )
            self.instance.version = current + 1
        return cleaned


class ScopedTabularInline(ScopedChoicesMixin, ObjectPermissionsTabularInline):
    extra = 0


class ScopedStackedInline(ScopedChoicesMixin, ObjectPermissionsStackedInline):
    extra = 0
