"""Forms for recording pledges (managers) and payments (agency staff). They validate
and lay out; writes go through ``services``. Choices are limited to the programme's
own pillars, outcomes and agencies, so an id from elsewhere is refused."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Pledge, currency_validator
from .selectors import donor_candidates, earmark_choices, participating_agencies

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(submit_label: str, *layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates write the <form> so the action and CSRF are visible
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


class CurrencyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("validators", [currency_validator])
        kwargs.setdefault("label", _("Currency"))
        kwargs.setdefault("help_text", _("ISO 4217 code, e.g. EUR."))
        super().__init__(**kwargs)

    def to_python(self, value):
        return (super().to_python(value) or "").strip().upper()


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("That date is in the future."))
    return day


class PledgeForm(forms.Form):
    donor = forms.ModelChoiceField(queryset=None, label=_("Donor"))
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, label=_("Amount"))
    currency = CurrencyField()
    pledged_on = forms.DateField(widget=DATE_WIDGET, label=_("Pledged on"))
    status = forms.ChoiceField(choices=Pledge.Status.choices, label=_("Status"))
    earmark = forms.ChoiceField(
        label=_("Earmarked to"),
        help_text=_(
            "Money earmarked to an outcome counts there and in its pillar; to a pillar, "
            "at pillar level; to an agency, at agency level; otherwise at programme level."
        ),
    )
    reference = forms.CharField(max_length=100, required=False, label=_("Reference"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Note")
    )
    is_anonymous = forms.BooleanField(
        required=False,
        label=_("Anonymous to other donors"),
        help_text=_("Other donors see this pledge as from an anonymous donor."),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["donor"].queryset = donor_candidates()
        self.fields["earmark"].choices = earmark_choices(programme)
        self.initial.setdefault("currency", programme.currency)
        self.initial.setdefault("earmark", "programme")
        self.helper = _helper(
            _("Record pledge"),
            Row(Column("donor", css_class="col-md-6"), Column("status", css_class="col-md-6")),
            Row(
                Column("amount", css_class="col-md-4"),
                Column("currency", css_class="col-md-2"),
                Column("pledged_on", css_class="col-md-3"),
                Column("reference", css_class="col-md-3"),
            ),
            "earmark",
            "note",
            "is_anonymous",
        )

    def clean_pledged_on(self):
        return _not_in_future(self.cleaned_data.get("pledged_on"))

    def clean_earmark(self):
        """ "pillar:3" → {"earmark_pillar_id": 3}; only the programme's own choices get here."""
        value = self.cleaned_data["earmark"]
        if value == "programme":
            return {}
        level, _, pk = value.partition(":")
        return {f"earmark_{level}_id": int(pk)}


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), label=_("Amount")
    )
    currency = CurrencyField()
    received_on = forms.DateField(widget=DATE_WIDGET, label=_("Received on"))
    received_by = forms.ModelChoiceField(queryset=None, label=_("Received by"))
    reference = forms.CharField(max_length=100, required=False, label=_("Reference"))

    def __init__(self, *args, pledge, agency=None, **kwargs):
        """``agency``: the agency staff member's own; they record only what it received."""
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.initial.setdefault("currency", pledge.currency)
        if agency is not None:
            del self.fields["received_by"]
        else:
            self.fields["received_by"].queryset = participating_agencies(pledge.programme)
        self.helper = _helper(
            _("Record payment"),
            Row(
                Column("amount", css_class="col-md-4"),
                Column("currency", css_class="col-md-2"),
                Column("received_on", css_class="col-md-3"),
                Column("reference", css_class="col-md-3"),
            ),
            *(["received_by"] if agency is None else []),
        )

    def clean_received_on(self):
        return _not_in_future(self.cleaned_data.get("received_on"))

    def clean(self):
        cleaned = super().clean()
        if self.agency is not None:
            cleaned["received_by"] = self.agency
        return cleaned
