from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointProgrammeConfig(AppConfig):
    name = "jointprogramme"
    verbose_name = _("Joint programmes")

    def ready(self) -> None:
        # After the admin has discovered every app's admin module (it comes earlier in
        # INSTALLED_APPS): one rule for the language columns of translated texts.
        from .admin_languages import hide_default_language_columns

        hide_default_language_columns()
