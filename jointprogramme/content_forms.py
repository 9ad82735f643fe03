"""Editing forms show a translated text in both languages (django-modeltranslation).

The form keeps its field under the plain name (``title``), now the English text, and
gains ``title_sr`` for the Serbian one, so existing posts and error messages keep
their names. Both columns are written explicitly, whatever the interface language.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BothLanguagesMixin:
    """For a ModelForm: ``translated_fields`` are shown in English and Serbian."""

    translated_fields: tuple[str, ...] = ()

    def add_serbian_fields(self) -> None:
        for name in self.translated_fields:
            if name not in self.fields:
                continue
            english = self.fields[name]
            base = english.label or name.replace("_", " ").capitalize()
            # The English field keeps its label (conflict messages and tests name it);
            # its help says which language it holds.
            english.label = base
            english.help_text = english.help_text or _("In English.")
            # Labelled "Serbian" under the English field, the field's name in the help:
            # a label that repeated it ("Title (Serbian)") would make "Title" name two
            # fields for assistive technology and browser tests alike.
            serbian = forms.CharField(
                required=False,
                label=_("Serbian"),
                max_length=getattr(english, "max_length", None),
                widget=type(english.widget)(attrs=dict(english.widget.attrs)),
                help_text=_(
                    "%(field)s in Serbian, in Latin or Cyrillic script: readers see it in "
                    "the script they chose."
                )
                % {"field": base},
            )
            serbian.widget.attrs["lang"] = "sr"
            self.fields[f"{name}_sr"] = serbian
            if self.instance.pk:
                self.initial[name] = getattr(self.instance, f"{name}_en", None) or ""
                self.initial[f"{name}_sr"] = getattr(self.instance, f"{name}_sr", None) or ""

    def _post_clean(self) -> None:
        super()._post_clean()
        for name in self.translated_fields:
            if name in self.cleaned_data:
                setattr(self.instance, f"{name}_en", self.cleaned_data[name])
            if f"{name}_sr" in self.cleaned_data:
                setattr(self.instance, f"{name}_sr", self.cleaned_data[f"{name}_sr"] or None)

    def language_values(self) -> dict:
        """The English and Serbian columns, for services that take field values."""
        values = {}
        for name in self.translated_fields:
            if name in self.cleaned_data:
                values[f"{name}_en"] = self.cleaned_data[name]
                values[f"{name}_sr"] = self.cleaned_data.get(f"{name}_sr") or None
        return values
