"""The admin edits a translated text as the pages' forms do: the plain field (``title``)
in the language of the admin's interface, and ``title_sr`` beside it for Serbian.

django-modeltranslation adds ``title_en`` and ``title_sr`` to the models; left in the
admin's forms, ``title_en`` would be posted with the value the form was opened with
and silently undo a change to ``title``. Called once the admin has been discovered
(``JointProgrammeConfig.ready``), so every app's admin is covered, inlines included.
"""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.translator import translator


def _hidden_columns(model) -> tuple[str, ...]:
    if model not in translator.get_registered_models():
        return ()
    fields = translator.get_options_for_model(model).fields
    return tuple(f"{name}_en" for name in fields)


def _exclude(holder, model) -> None:
    hidden = _hidden_columns(model)
    if hidden:
        holder.exclude = tuple(dict.fromkeys((*(holder.exclude or ()), *hidden)))


def hide_default_language_columns(site: admin.AdminSite = admin.site) -> None:
    for model, model_admin in site._registry.items():
        _exclude(model_admin, model)
        for inline in model_admin.inlines:
            _exclude(inline, inline.model)
