"""Forms of the alignment report: review, answer, propose, plan versions, import.

They validate; layout is in crispy helpers. Messages say what is wrong and what to do.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import tablib
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Alignment

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEGREE_HELP = _("Full: the outcome serves the whole objective. Partial: part of it.")


class ObjectChoiceField(forms.ChoiceField):
    """Chooses among objects loaded once, so that rendering and validating run no query."""

    def __init__(self, *, objects: Iterable, label_for=str, invalid_message: str, **kwargs):
        objects = list(objects)
        self._by_pk = {str(o.pk): o for o in objects}
        self._invalid_message = invalid_message
        super().__init__(choices=[("", "---------")] + [(o.pk, label_for(o)) for o in objects])
        for key, value in kwargs.items():
            setattr(self, key, value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self._by_pk[str(value)]
        except KeyError:
            raise ValidationError(self._invalid_message, code="invalid_choice") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class VersionedForm(forms.Form):
    """A form about one link: it carries the link's version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(VersionedForm):
    """The coordinator confirms or queries a link (the button pressed says which)."""

    status = forms.ChoiceField(
        choices=[
            (Alignment.ReviewStatus.CONFIRMED, _("Confirm")),
            (Alignment.ReviewStatus.QUERIED, _("Query")),
        ],
        error_messages={"required": _("Press Confirm or Query.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to query: say what the agencies should answer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Field("comment"),
            Div(
                StrictButton(
                    format_html(
                        '<i class="bi bi-check-lg" aria-hidden="true"></i> {}', _("Confirm")
                    ),
                    type="submit",
                    name="status",
                    value=Alignment.ReviewStatus.CONFIRMED,
                    css_class="btn btn-success",
                ),
                StrictButton(
                    format_html(
                        '<i class="bi bi-question-lg" aria-hidden="true"></i> {}', _("Query")
                    ),
                    type="submit",
                    name="status",
                    value=Alignment.ReviewStatus.QUERIED,
                    css_class="btn btn-outline-warning ms-1",
                ),
                css_class="mb-3",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Alignment.ReviewStatus.QUERIED
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say what you query: the agencies answer your comment."))
        return cleaned


class AnswerForm(VersionedForm):
    """The agencies answer a query: a reply, a new degree or rationale."""

    reply = forms.CharField(
        label=_("Your reply"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    degree = forms.ChoiceField(
        label=_("Degree"),
        choices=Alignment.Degree.choices,
        widget=forms.RadioSelect,
        help_text=DEGREE_HELP,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the outcome serves the objective."),
    )

    def __init__(self, *args, alignment: Alignment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": alignment.version,
                "degree": alignment.degree,
                "rationale": alignment.rationale,
            },
        )
        super().__init__(*args, **kwargs)
        self.alignment = alignment
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Field("reply"),
            Row(Column("degree", css_class="col-md-3"), Column("rationale", css_class="col-md-9")),
            Submit("answer", _("Send answer"), css_class="btn-primary"),
        )

    def clean(self):
        cleaned = super().clean()
        reply = (cleaned.get("reply") or "").strip()
        changed = cleaned.get("degree") != self.alignment.degree or (
            (cleaned.get("rationale") or "").strip() != self.alignment.rationale.strip()
        )
        if "degree" in cleaned and not reply and not changed:
            raise ValidationError(_("Write a reply, or change the degree or the rationale."))
        return cleaned


class ProposeForm(forms.Form):
    """A new link from one of the user's outcomes to an objective of the plan."""

    degree = forms.ChoiceField(
        label=_("Degree"),
        choices=Alignment.Degree.choices,
        widget=forms.RadioSelect,
        help_text=DEGREE_HELP,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the outcome serves the objective: the coordinator reviews it."),
        error_messages={"required": _("Say how the outcome serves the objective.")},
    )

    def __init__(self, *args, outcomes, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"] = ObjectChoiceField(
            objects=outcomes,
            label=_("JP outcome"),
            invalid_message=_("Choose one of your outcomes from the list."),
        )
        self.fields["objective"] = ObjectChoiceField(
            objects=objectives,
            label=_("NAP objective"),
            label_for=lambda o: f"{o.code} {o.title}",
            invalid_message=_("Choose an objective of this plan from the list."),
        )
        self.order_fields(["outcome", "objective", "degree", "rationale"])
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("outcome", css_class="col-md-6"), Column("objective", css_class="col-md-6")),
            "degree",
            "rationale",
            Submit("propose", _("Propose link"), css_class="btn-primary"),
        )


class PlanForm(forms.Form):
    """A first version of a National Action Plan."""

    title = forms.CharField(label=_("Title"), max_length=300)
    version = forms.CharField(
        label=_("Version"),
        max_length=30,
        help_text=_('As the government names it, e.g. "2009 draft" or "2".'),
    )
    period_start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("From")
    )
    period_end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Until")
    )
    submit_label = _("Create plan")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("title", css_class="col-md-8"), Column("version", css_class="col-md-4")),
            Row(
                Column("period_start", css_class="col-md-3"),
                Column("period_end", css_class="col-md-3"),
            ),
            *self.extra_layout(),
            Submit("save", self.submit_label, css_class="btn-primary"),
        )

    def extra_layout(self) -> list:
        return []

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan cannot end before it starts."))
        return cleaned


class TableFileField(forms.FileField):
    """A CSV (UTF-8) or XLSX table, read into a tablib Dataset."""

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return None
        return read_table(uploaded)


def read_table(uploaded) -> tablib.Dataset:
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB: split it."))
    content = uploaded.read()
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    try:
        if name.endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
                ) from None
            dataset = tablib.Dataset().load(io.StringIO(text), format="csv")
        elif name.endswith(".xlsx"):
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        else:
            raise ValidationError(_("Choose a .csv or .xlsx file."))
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means the same to the user
        raise ValidationError(
            _("The file could not be read as a table: save it as CSV (UTF-8) or XLSX.")
        ) from None
    if not dataset.headers:
        raise ValidationError(_("The file has no header row."))
    dataset.headers = [str(h or "").strip() for h in dataset.headers]
    return dataset


class PlanRevisionForm(PlanForm):
    """A new version replacing a plan: objectives copied, or read from a table."""

    objectives = TableFileField(
        label=_("Objectives of the new version (optional)"),
        required=False,
        help_text=_(
            "A CSV or XLSX table as for the import: every objective of the new version. "
            "Columns it leaves out (e.g. description) keep the previous version's values. Leave "
            "the file out to copy the objectives of the version it replaces."
        ),
    )
    submit_label = _("Create the new version")

    def extra_layout(self) -> list:
        return [Field("objectives")]


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"adopted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_labels = True
        self.helper.layout = Layout(
            Row(
                Column("adopted_on", css_class="col-auto"),
                Column(Submit("adopt", _("Adopt"), css_class="btn-success"), css_class="col-auto"),
                css_class="align-items-end g-2",
            )
        )


class ImportForm(forms.Form):
    file = TableFileField(label=_("Table of objectives (CSV or XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file", accept=".csv,.xlsx"),
            HTML(""),
            Submit("import", _("Import"), css_class="btn-primary"),
        )
