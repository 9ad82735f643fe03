"""Admin for programmes, their pillars, participating organisations, milestones
and memberships (who may use which programme in which role)."""

from django.contrib import admin
from django.utils.functional import SimpleLazyObject

from .access import Role, forget_memberships
from .admin_scoping import ScopedAdmin, ScopedTabularInline
from .models import Membership, Milestone, Participation, Pillar, Programme

programme_filter = ("programme", admin.RelatedOnlyFieldListFilter)

# No sidebar of every app and model beside each page: it is the index page again
# (thirty models, each asked for its permissions) on every list and form; the
# breadcrumbs and the index lead to the same places.
admin.site.enable_nav_sidebar = False
_app_list = admin.site.get_app_list


def _app_list_when_shown(request, app_label=None):
    """Every admin page asks for the list of apps and models (for the sidebar);
    only the index pages show it, so it is built when shown."""
    return SimpleLazyObject(lambda: _app_list(request, app_label))


admin.site.get_app_list = _app_list_when_shown


class PillarInline(ScopedTabularInline):
    model = Pillar
    fields = ("order", "code", "name", "description")


class ParticipationInline(ScopedTabularInline):
    model = Participation
    fields = ("organisation", "role", "mandate")
    autocomplete_fields = ("organisation",)


class MembershipInline(ScopedTabularInline):
    model = Membership
    fields = ("user", "role", "organisation", "can_approve")
    autocomplete_fields = ("organisation",)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    programme_path = "pk"
    list_display = ("title", "short_title", "country", "framework", "status", "currency")
    list_filter = ("status", "country", "framework")
    search_fields = ("title", "short_title", "country")
    inlines = [PillarInline, ParticipationInline, MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            # A manager who creates a programme manages it; otherwise it would
            # vanish from their lists the moment it is saved.
            Membership.objects.get_or_create(
                user=request.user, programme=obj, defaults={"role": Role.MANAGER}
            )
            forget_memberships(request.user)


@admin.register(Pillar)
class PillarAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("name", "code", "programme", "order")
    list_filter = (programme_filter,)
    list_select_related = ("programme",)
    search_fields = ("name", "code", "programme__title")


@admin.register(Participation)
class ParticipationAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("organisation", "programme", "role")
    list_filter = ("role", programme_filter)
    list_select_related = ("organisation", "programme")
    search_fields = ("organisation__name", "organisation__acronym", "programme__title")
    autocomplete_fields = ("organisation",)


@admin.register(Milestone)
class MilestoneAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("title", "programme", "start_date", "end_date", "funded_by", "is_sample")
    list_filter = (programme_filter, "is_sample")
    list_select_related = ("programme", "funded_by")
    search_fields = ("title", "description")
    date_hierarchy = "start_date"
    autocomplete_fields = ("funded_by",)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("user", "programme", "role", "organisation")
    list_filter = ("role", programme_filter)
    list_select_related = ("user", "programme", "organisation")
    search_fields = ("user__username", "user__email", "organisation__name", "programme__title")
    autocomplete_fields = ("organisation",)
