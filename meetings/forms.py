"""Forms for recording meetings. They validate and lay out; writes go through
``services``. Choices are limited to what the meeting may refer to, so a posted id
from elsewhere is refused with a message next to the field."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from jointprogramme.content_forms import BothLanguagesMixin

from .models import Attendee, Feedback, FollowUpAction, Meeting
from .selectors import meeting_contacts, meeting_organisations, programme_outcomes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.organisation.short_name} — {obj}"


class OutcomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


def _helper(submit_label: str, *layout) -> FormHelper:
    """Fields only: the template writes the <form> and its buttons in one row, the
    first labelled ``helper.submit_label``."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout)
    helper.submit_label = submit_label
    return helper


class FingerprintMixin(forms.Form):
    """Carries the digest of what the editor saw (see ``services.EditConflict``)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)


class MeetingForm(BothLanguagesMixin, FingerprintMixin, forms.ModelForm):
    translated_fields = ("title", "purpose")

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "audience",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "place",
            "purpose",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "kind": gettext_lazy("Kind"),
            "title": gettext_lazy("Title"),
            "audience": gettext_lazy("Audience"),
            "start_date": gettext_lazy("Date"),
            "start_time": gettext_lazy("Start time"),
            "end_date": gettext_lazy("End date (if more than one day)"),
            "end_time": gettext_lazy("End time"),
            "place": gettext_lazy("Place"),
            "purpose": gettext_lazy("Purpose"),
        }
        help_texts = {
            "start_time": gettext_lazy("Local time. Leave empty for an all-day event."),
            "audience": gettext_lazy("Who the meeting was for."),
        }

    def __init__(self, *args, submit_label: str = _("Save meeting"), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_serbian_fields()
        self.helper = _helper(
            submit_label,
            Row(Column("kind", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            Row(Column("title_sr", css_class="col-md-8 offset-md-4")),
            Row(Column("audience", css_class="col-md-4"), Column("place", css_class="col-md-8")),
            Row(
                Column("start_date", css_class="col-md-3"),
                Column("start_time", css_class="col-md-3"),
                Column("end_date", css_class="col-md-3"),
                Column("end_time", css_class="col-md-3"),
            ),
            "purpose",
            "purpose_sr",
            "fingerprint",
        )

    def clean(self):
        data = super().clean()
        start_date, end_date = data.get("start_date"), data.get("end_date")
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if start_date and end_date and end_date < start_date:
            self.add_error("end_date", _("The meeting cannot end before it starts."))
        elif end_time and not start_time:
            self.add_error("end_time", _("Give a start time as well, or leave both empty."))
        elif (
            start_time
            and end_time
            and (end_date is None or end_date == start_date)
            and end_time < start_time
        ):
            self.add_error("end_time", _("The meeting cannot end before it starts."))
        return data

    def service_fields(self) -> dict:
        # title and purpose are the English texts; title_sr and purpose_sr the Serbian.
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {
            **fields,
            "title_sr": self.cleaned_data.get("title_sr") or None,
            "purpose_sr": self.cleaned_data.get("purpose_sr") or None,
        }


class AttendanceForm(forms.Form):
    """One row per organisation shown, with two checkboxes each: invited, attended.

    ``rows`` lists the organisations the form showed, so organisations filtered
    out of the grid are left as they are.
    """

    rows = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    invited = forms.TypedMultipleChoiceField(coerce=int, required=False)
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    error_messages = {
        "unknown": gettext_lazy("An organisation in the form is not one you can invite.")
    }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(o.pk, str(o)) for o in organisations]
        for name in ("rows", "invited", "attended"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = self.error_messages["unknown"]

    def clean(self):
        data = super().clean()
        rows = set(data.get("rows") or [])
        ticked = set(data.get("invited") or []) | set(data.get("attended") or [])
        if not ticked <= rows:
            raise forms.ValidationError(self.error_messages["unknown"])
        return data


class AttendeeForm(forms.ModelForm):
    contact = ContactChoiceField(
        queryset=None,
        label=_("Person"),
        help_text=_("People of the organisations invited and of the programme's agencies."),
    )

    class Meta:
        model = Attendee
        fields = ["contact", "role"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = meeting_contacts(meeting)
        self.helper = _helper(
            _("Add person"),
            Row(Column("contact", css_class="col-md-8"), Column("role", css_class="col-md-4")),
        )


class FeedbackForm(forms.ModelForm):
    contact = ContactChoiceField(queryset=None, required=False, label=_("Person"))
    outcome = OutcomeChoiceField(
        queryset=None,
        required=False,
        help_text=_("The outcome the feedback is about; it then shows on that outcome's page."),
    )

    class Meta:
        model = Feedback
        fields = ["organisation", "contact", "outcome", "text", "response", "status"]
        labels = {
            "text": _("What was said"),
            "response": _("Answer given"),
            "organisation": _("From"),
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = meeting_organisations(meeting)
        self.fields["contact"].queryset = meeting_contacts(meeting)
        self.fields["outcome"].queryset = programme_outcomes(meeting.programme_id)
        self.helper = _helper(
            _("Add feedback"),
            Row(
                Column("organisation", css_class="col-md-4"),
                Column("contact", css_class="col-md-4"),
                Column("outcome", css_class="col-md-4"),
            ),
            "text",
            Row(Column("response", css_class="col-md-8"), Column("status", css_class="col-md-4")),
        )

    def clean(self):
        data = super().clean()
        organisation, contact = data.get("organisation"), data.get("contact")
        if contact and organisation and contact.organisation_id != organisation.pk:
            self.add_error(
                "contact",
                gettext_lazy("%(person)s does not speak for %(organisation)s.")
                % {"person": contact, "organisation": organisation.short_name},
            )
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FeedbackAnswerForm(FingerprintMixin, forms.ModelForm):
    outcome = OutcomeChoiceField(queryset=None, required=False)

    class Meta:
        model = Feedback
        fields = ["outcome", "response", "status"]
        labels = {"response": _("Answer given")}
        widgets = {"response": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = programme_outcomes(self.instance.meeting.programme_id)
        self.helper = _helper(
            _("Save answer"),
            "outcome",
            "response",
            Field("status"),
            "fingerprint",
        )


class ActionForm(forms.ModelForm):
    owner_contact = ContactChoiceField(queryset=None, required=False, label=_("Person responsible"))

    class Meta:
        model = FollowUpAction
        fields = ["description", "owner", "owner_contact", "due_date"]
        labels = {"owner": _("Owner")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DATE_WIDGET}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = meeting_organisations(meeting)
        self.fields["owner_contact"].queryset = meeting_contacts(meeting)
        self.helper = _helper(
            _("Add action"),
            "description",
            Row(
                Column("owner", css_class="col-md-4"),
                Column("owner_contact", css_class="col-md-5"),
                Column("due_date", css_class="col-md-3"),
            ),
        )

    def clean(self):
        data = super().clean()
        owner, contact = data.get("owner"), data.get("owner_contact")
        if contact and owner and contact.organisation_id != owner.pk:
            self.add_error(
                "owner_contact",
                gettext_lazy("%(person)s is not with %(organisation)s.")
                % {"person": contact, "organisation": owner.short_name},
            )
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ActionCloseForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (FollowUpAction.Status.DONE, "Done"),
            (FollowUpAction.Status.CANCELLED, "Cancelled"),
        ]
    )
