"""Forms of the results framework pages. They validate; layout is in crispy helpers.

Messages are written for the people who see them: what is wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from jointprogramme.content_forms import BothLanguagesMixin
from jointprogramme.transliteration import localized
from stakeholders.forms import FiniteDecimalField

from .models import Indicator, Outcome, Output, ReportingPeriod
from .reporting import DimensionParts, breakdown_problems
from .services import RowChanges

NUMBER = _("Enter a number, e.g. 40 or 12.5.")
CODE_REQUIRED = gettext_lazy("Give a code, e.g. 2.1.")
TITLE_REQUIRED = gettext_lazy("Give a title.")


class OutcomeFilterForm(forms.Form):
    """The filters of the results framework page (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Outcome.Status.choices], required=False, label=_("Status")
    )

    def __init__(self, *args, pillars, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"] = PreloadedChoiceField(
            objects=pillars,
            required=False,
            empty_label=_("All pillars"),
            label=_("Pillar"),
            label_for=lambda pillar: localized(pillar, "name")[0],
            invalid_message=_("Choose a pillar from the list."),
        )
        self.fields["agency"] = PreloadedChoiceField(
            objects=agencies,
            required=False,
            empty_label=_("All agencies"),
            label=_("Agency"),
            invalid_message=_("Choose an agency from the list."),
        )
        self.fields["agency"].choices = [
            ("", _("All agencies")),
            *((a.pk, a.short_name) for a in agencies),
        ]
        self.fields["q"].widget.attrs["placeholder"] = _("Code, title or description")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "mb-3 d-print-none"
        self.helper.attrs = {"role": "search", "aria-label": _("Filter outcomes")}
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-4"),
                Column("pillar", css_class="col-md-2"),
                Column("agency", css_class="col-md-2"),
                Column("status", css_class="col-md-2"),
                Column(
                    Submit("", _("Filter"), css_class="btn-primary"),
                    HTML(
                        format_html(
                            '<a class="btn btn-link" href="{}">{}</a>',
                            reverse("outcomes:list"),
                            _("Clear"),
                        )
                    ),
                    css_class="col-md-2 d-flex align-items-end mb-3",
                ),
                css_class="g-2",
            )
        )

    def filters(self) -> dict:
        """The valid filters; an invalid one is ignored (its message shows by the field)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "pillar": cleaned.get("pillar"),
            "agency": cleaned.get("agency"),
            "status": cleaned.get("status") or "",
            "search": (cleaned.get("q") or "").strip(),
        }


class OutcomeForm(BothLanguagesMixin, forms.ModelForm):
    """The outcome's own fields, and the version the edit is based on.

    Only those who manage the programme choose which agencies lead or take part:
    that choice decides who may edit the outcome.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    translated_fields = ("title", "description")

    class Meta:
        model = Outcome
        fields = [
            "code",
            "title",
            "pillar",
            "status",
            "description",
            "lead_agency",
            "participating_agencies",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "participating_agencies": forms.CheckboxSelectMultiple,
        }
        labels = {
            "code": gettext_lazy("Code"),
            "title": gettext_lazy("Title"),
            "pillar": gettext_lazy("Pillar"),
            "status": gettext_lazy("Status"),
            "description": gettext_lazy("Description"),
            "lead_agency": gettext_lazy("Lead agency"),
            "participating_agencies": gettext_lazy("Participating agencies"),
        }
        error_messages = {
            "code": {"required": CODE_REQUIRED},
            "title": {"required": TITLE_REQUIRED},
            "pillar": {
                "required": gettext_lazy("Choose the pillar this outcome belongs to."),
                "invalid_choice": gettext_lazy("Choose a pillar of this programme."),
            },
            "lead_agency": {
                "required": gettext_lazy("Choose the agency that leads this outcome."),
                "invalid_choice": gettext_lazy("Choose one of the programme's agencies."),
            },
            "participating_agencies": {
                "invalid_choice": gettext_lazy("Choose only the programme's agencies."),
            },
        }

    def __init__(self, *args, pillars, agencies, can_assign_agencies: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_serbian_fields()
        self.fields["version"].initial = self.instance.version
        self.fields["pillar"].queryset = pillars
        self.fields["pillar"].empty_label = None
        # Pillar names in the page's language and script, as everywhere else.
        self.fields["pillar"].label_from_instance = lambda pillar: localized(pillar, "name")[0]
        if can_assign_agencies:
            self.fields["lead_agency"].queryset = agencies
            self.fields["lead_agency"].empty_label = None
            self.fields["participating_agencies"].queryset = agencies
            self.fields["participating_agencies"].help_text = gettext_lazy(
                "Staff of the lead and participating agencies may edit this outcome."
            )
        else:
            del self.fields["lead_agency"]
            del self.fields["participating_agencies"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        agencies_row = (
            [Row(Column("lead_agency", css_class="col-md-4"), Column("participating_agencies"))]
            if can_assign_agencies
            else []
        )
        self.helper.layout = Layout(
            Field("version"),
            Row(
                Column("code", css_class="col-md-2"),
                Column("title", css_class="col-md-10"),
            ),
            Row(Column("title_sr", css_class="col-md-10 offset-md-2")),
            Row(
                Column("pillar", css_class="col-md-4"),
                Column("status", css_class="col-md-4"),
            ),
            "description",
            "description_sr",
            *agencies_row,
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        taken = (
            Outcome.objects.filter(programme_id=self.instance.programme_id, code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise ValidationError(
                _(
                    "Another outcome of this programme already has the code %(code)s. "
                    "Choose a different code."
                )
                % {"code": code}
            )
        return code

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_agency")
        participating = cleaned.get("participating_agencies")
        if lead is not None and participating and lead in participating:
            self.add_error(
                "participating_agencies",
                _(
                    "%(agency)s already leads this outcome: leave it out of the "
                    "participating agencies."
                )
                % {"agency": lead.short_name},
            )
        return cleaned

    def validate_unique(self):
        """The code is checked in ``clean_code`` (with a plainer message)."""


class _ChildForm(forms.ModelForm):
    """A row of an outcome's outputs or indicators."""

    layout_rows: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = ""  # said once on the outcome, not on every row

    @property
    def helper(self) -> FormHelper:
        # Built when rendered: the formset adds the id and DELETE fields after __init__.
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.render_hidden_fields = True
        delete = [Field("DELETE", wrapper_class="text-danger")] if "DELETE" in self.fields else []
        helper.layout = Layout(*self.layout_rows, *delete)
        return helper

    def validate_unique(self):
        """Codes are checked across the whole formset, in Python (see the formset)."""


class OutputForm(_ChildForm):
    layout_rows = [
        Row(Column("code", css_class="col-md-2"), Column("title", css_class="col-md-10")),
        Field("description", rows=2),
    ]

    class Meta:
        model = Output
        fields = ["code", "title", "description"]
        error_messages = {
            "code": {"required": CODE_REQUIRED},
            "title": {"required": TITLE_REQUIRED},
        }


class PreloadedChoiceField(forms.ModelChoiceField):
    """Chooses among objects loaded once (for a whole formset, or a filter bar), so
    that neither rendering nor validating runs a query of its own."""

    def __init__(self, *, objects: Iterable, invalid_message: str, label_for=str, **kwargs):
        """``label_for``: an object's text in the list (texts people write in the
        page's language and script: ``localized``)."""
        objects = list(objects)
        self._by_pk = {str(o.pk): o for o in objects}
        self._invalid_message = invalid_message
        super().__init__(queryset=Output.objects.none(), **kwargs)
        self.choices = [("", self.empty_label), *((o.pk, label_for(o)) for o in objects)]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self._by_pk[str(getattr(value, "pk", value))]
        except KeyError:
            raise ValidationError(self._invalid_message, code="invalid_choice") from None


class IndicatorForm(_ChildForm):
    layout_rows = [
        Row(
            Column("code", css_class="col-md-2"),
            Column("title", css_class="col-md-6"),
            Column("output", css_class="col-md-4"),
        ),
        Row(
            Column("unit", css_class="col-md-3"),
            Column("baseline", css_class="col-md-2"),
            Column("target", css_class="col-md-2"),
            Column("means_of_verification", css_class="col-md-5"),
        ),
        Field("is_sensitive"),
    ]

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "output",
            "unit",
            "baseline",
            "target",
            "means_of_verification",
            "is_sensitive",
        ]
        # NaN or infinity is "Enter a number.", not a 500 in the formset's has_changed.
        field_classes = {"baseline": FiniteDecimalField, "target": FiniteDecimalField}
        error_messages = {
            "code": {"required": CODE_REQUIRED},
            "title": {"required": TITLE_REQUIRED},
            "unit": {"required": _('Give the unit, e.g. "victims identified" or "%".')},
            "baseline": {"required": _("Give the baseline (0 if none)."), "invalid": NUMBER},
            "target": {"required": _("Give the target value."), "invalid": NUMBER},
        }

    def __init__(self, *args, outputs: Iterable[Output] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output"] = PreloadedChoiceField(
            objects=outputs,
            invalid_message=_(
                "Choose one of this outcome's outputs, or none for an outcome-level indicator."
            ),
            required=False,
            empty_label=_("— outcome level —"),
            label_for=lambda output: f"{output.code} {localized(output, 'title')[0]}",
            label=_("Output"),
            help_text=_("New outputs can be chosen once saved."),
        )


class _ChildFormSet(BaseInlineFormSet):
    """Rows of one outcome. Codes must differ from each other; as every row of the
    outcome is in the formset, checking here covers the database too."""

    noun = _("Row")  # the rows' name in a conflict's list of differences
    deleted_meanwhile = _("This row was deleted by someone else after you opened the page.")
    code_taken = _("Another row of this outcome already has the code %(code)s.")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_field = form.fields.get(self._pk_field.name)
        if pk_field is not None:
            pk_field.error_messages["invalid_choice"] = self.deleted_meanwhile

    def validate_unique(self):
        first_form_with_code: dict[str, forms.Form] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            code = (form.cleaned_data.get("code") or "").strip()
            if not code:
                continue
            if code in first_form_with_code:
                form.add_error(
                    "code",
                    self.code_taken % {"code": code},
                )
            else:
                first_form_with_code[code] = form

    def changes(self) -> RowChanges:
        """What saving would do, without touching the database."""
        saved = self.save(commit=False)
        return RowChanges(saved=list(saved), deleted=list(self.deleted_objects))


class OutputFormSet(
    inlineformset_factory(
        Outcome,
        Output,
        form=OutputForm,
        formset=_ChildFormSet,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
    )
):
    noun = _("Output")
    deleted_meanwhile = _("This output was deleted by someone else after you opened the page.")
    code_taken = _(
        "Another output of this outcome already has the code %(code)s. Each needs its own code."
    )


class IndicatorFormSet(
    inlineformset_factory(
        Outcome,
        Indicator,
        form=IndicatorForm,
        formset=_ChildFormSet,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
    )
):
    noun = _("Indicator")
    deleted_meanwhile = _("This indicator was deleted by someone else after you opened the page.")
    code_taken = _(
        "Another indicator of this outcome already has the code %(code)s. Each needs its own code."
    )


class OutcomeEditor:
    """The outcome form and its outputs and indicators formsets, edited and saved
    together as one change."""

    def __init__(
        self,
        *,
        outcome: Outcome,
        outputs: list[Output],
        pillars,
        agencies,
        can_assign_agencies: bool,
        data=None,
    ):
        self.outcome = outcome
        self.can_assign_agencies = can_assign_agencies
        self.form = OutcomeForm(
            data,
            instance=outcome,
            pillars=pillars,
            agencies=agencies,
            can_assign_agencies=can_assign_agencies,
        )
        self.outputs = OutputFormSet(
            data,
            instance=outcome,
            prefix="outputs",
            queryset=Output.objects.filter(outcome=outcome).order_by("order", "code", "pk"),
        )
        self.indicators = IndicatorFormSet(
            data,
            instance=outcome,
            prefix="indicators",
            queryset=Indicator.objects.filter(outcome=outcome).order_by("order", "code", "pk"),
            form_kwargs={"outputs": outputs},
        )

    @property
    def parts(self):
        return [self.form, self.outputs, self.indicators]

    def is_valid(self) -> bool:
        # Validate every part (not all() over a generator), so each shows its errors.
        results = [part.is_valid() for part in self.parts]
        valid = False not in results
        if valid:
            deleted = {
                form.instance.pk
                for form in self.outputs.forms
                if form.instance.pk and self.outputs._should_delete_form(form)
            }
            for form in self.indicators.forms:
                output = form.cleaned_data.get("output")
                if output is not None and output.pk in deleted:
                    form.add_error(
                        "output",
                        _("Output %(code)s is being deleted: choose another output or none.")
                        % {"code": output.code},
                    )
                    valid = False
        return valid

    def has_changed(self) -> bool:
        return any(part.has_changed() for part in self.parts)

    @property
    def expected_version(self) -> int:
        return self.form.cleaned_data["version"]

    def posted_version(self) -> int | None:
        """The version the submitted form was loaded at, even if the form is invalid."""
        try:
            return int(self.form["version"].value())
        except (TypeError, ValueError):
            return None

    def changes(self) -> dict:
        """Keyword arguments for ``services.outcome_update`` (after ``is_valid``)."""
        changes = {
            "outcome": self.form.instance,
            "outputs": self.outputs.changes(),
            "indicators": self.indicators.changes(),
        }
        if self.can_assign_agencies:
            changes["participating_agencies"] = list(
                self.form.cleaned_data["participating_agencies"]
            )
        return changes

    # Comparing with what someone else saved ------------------------------------

    def differences_from(self, saved: OutcomeEditor) -> list[tuple[str, str, str]]:
        """(what, saved value, your value) for every field where this submitted
        editor differs from ``saved``, an unbound editor of the outcome as stored."""
        rows: list[tuple[str, str, str]] = []
        yours = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        for name, field in self.form.fields.items():
            if name == "version" or name not in yours:
                continue
            theirs_value = saved.form.initial.get(name)
            if _comparable(theirs_value) != _comparable(yours[name]):
                rows.append(
                    (
                        _("Outcome: %(field)s") % {"field": field.label},
                        _display(field, theirs_value),
                        _display(field, yours[name]),
                    )
                )
        for mine, stored, noun in [
            (self.outputs, saved.outputs, self.outputs.noun),
            (self.indicators, saved.indicators, self.indicators.noun),
        ]:
            rows.extend(_formset_differences(mine, stored, noun))
        return rows


def _comparable(value):
    """A value normalised for comparison: objects by pk, numbers by value."""
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return tuple(sorted(_comparable(v) for v in value))
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def _display(field: forms.Field, value) -> str:
    if value in (None, "") or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(field, forms.ModelMultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(sorted(str(labels.get(_comparable(v), v)) for v in value)) or "—"
    if isinstance(field, forms.ChoiceField):
        if hasattr(value, "pk"):
            return str(value)
        labels = {str(k): v for k, v in field.choices}
        return str(labels.get(str(value), value))
    return str(value)


def _posted_pk(form, name: str) -> int | None:
    try:
        return int(form[name].value())
    except (KeyError, TypeError, ValueError):
        return None


def _formset_differences(mine: _ChildFormSet, stored: _ChildFormSet, noun: str):
    stored_by_pk = {form.instance.pk: form for form in stored.forms if form.instance.pk}
    seen = set()
    for form in mine.forms:
        # The posted id, also when the row is gone and the form did not find it.
        pk = form.instance.pk or _posted_pk(form, mine._pk_field.name)
        data = getattr(form, "cleaned_data", {})
        if pk is None:
            continue
        seen.add(pk)
        theirs = stored_by_pk.get(pk)
        label = f"{noun} {form.initial.get('code') or data.get('code') or ''}".strip()
        if theirs is None:
            yield (label, _("deleted"), _("kept") if not data.get("DELETE") else _("deleted"))
            continue
        if data.get("DELETE"):
            yield (label, _("kept"), _("deleted"))
            continue
        for name, field in form.fields.items():
            if name in ("id", "DELETE", mine.fk.name) or name not in data:
                continue
            theirs_value = theirs.initial.get(name)
            if _comparable(theirs_value) != _comparable(data[name]):
                yield (
                    f"{noun} {theirs.initial.get('code')}: {field.label}",
                    _display(field, theirs_value),
                    _display(field, data[name]),
                )
    for pk, theirs in stored_by_pk.items():
        if pk not in seen:
            code = theirs.initial.get("code")
            added = _("added: %(code)s %(title)s") % {
                "code": code,
                "title": theirs.initial.get("title"),
            }
            yield (f"{noun} {code}", added, "—")


class PeriodChoiceField(forms.ModelChoiceField):
    """A reporting period, its lock said in its label."""

    def label_from_instance(self, obj) -> str:
        return _("%(period)s (locked)") % {"period": obj.name} if obj.is_locked else obj.name


class ResultForm(forms.Form):
    """An indicator's result for one reporting period, broken down by the
    indicator's dimensions (one field per category, ``part_<category id>``)."""

    period = PeriodChoiceField(
        queryset=ReportingPeriod.objects.none(),
        label=_("Reporting period"),
        error_messages={
            "required": _("Choose the reporting period."),
            "invalid_choice": _("Choose one of the programme's reporting periods."),
        },
    )
    value = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        label=_("Value"),
        error_messages={"required": _("Give the value reached."), "invalid": NUMBER},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Note"),
        help_text=_("What the figure means, where it comes from, what changed."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={
            "invalid": _("Enter a full web address, e.g. https://example.org/report.pdf.")
        },
        help_text=_("A report, a dataset or minutes that back the figure."),
    )
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, periods, unit: str = "", dimensions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        if unit:
            self.fields["value"].help_text = format_html(str(_("In {}.")), unit)
        self.dimensions = list(dimensions)
        breakdown_layout = []
        for dimension in self.dimensions:
            names = []
            for category in dimension.category_list:
                name = f"part_{category.pk}"
                self.fields[name] = forms.DecimalField(
                    label=category.name,
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    error_messages={
                        "invalid": NUMBER,
                        "min_value": _("A part cannot be below 0."),
                    },
                )
                names.append(name)
            breakdown_layout.append(
                Fieldset(
                    format_html(
                        '<span class="fs-6 fw-semibold">{}</span>',
                        _("By %(dimension)s") % {"dimension": dimension.name.lower()},
                    ),
                    Row(*(Column(n, css_class="col-6 col-md-3") for n in names)),
                    css_class="border rounded px-3 pt-2 mb-3",
                    data_testid=f"breakdown-{dimension.pk}",
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        intro = (
            [
                HTML(
                    format_html(
                        '<p class="small text-body-secondary mb-2">{}</p>',
                        _(
                            "Break the total down: each dimension's parts add up to the value "
                            "(0 where there is none). Required before submitting."
                        ),
                    )
                )
            ]
            if self.dimensions
            else []
        )
        self.helper.layout = Layout(
            Field("based_on"),
            Row(Column("period", css_class="col-md-4"), Column("value", css_class="col-md-4")),
            *intro,
            *breakdown_layout,
            "note",
            "evidence_url",
        )

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("value")
        parts_valid = not any(name.startswith("part_") for name in self.errors)
        if self.dimensions and value is not None and parts_valid:
            problems = breakdown_problems(value, self.parts(), complete=False)
            for problem in problems:
                self.add_error(None, problem)
        return cleaned

    def parts(self) -> list[DimensionParts]:
        cleaned = getattr(self, "cleaned_data", {})
        return [
            DimensionParts(d.name, tuple(cleaned.get(f"part_{c.pk}") for c in d.category_list))
            for d in self.dimensions
        ]

    def breakdown(self) -> dict[int, Decimal | None]:
        """Category id → part (None where left empty), for ``services.result_report``."""
        return {
            c.pk: self.cleaned_data.get(f"part_{c.pk}")
            for d in self.dimensions
            for c in d.category_list
        }

    @staticmethod
    def breakdown_initial(result) -> dict[str, Decimal]:
        """The parts stored for ``result`` (breakdowns loaded), as initial values."""
        return {f"part_{b.category_id}": plain_number(b.value) for b in result.breakdown_list}


def plain_number(value: Decimal) -> Decimal:
    """A stored figure as a person typed it: 45, not 45.00; 12.5, not 12.50."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class StepForm(forms.Form):
    """A step of the reporting cycle from a button: the result version it was shown
    at, and the reviewer's comment (required to return or reopen)."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, comment_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.comment_required = comment_required

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if self.comment_required and not comment:
            raise ValidationError(
                _("Say what needs to change: the agency reads it with the result.")
            )
        return comment


class PeriodLockForm(forms.Form):
    """Lock or unlock a period, with a reason (required to unlock)."""

    reason = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Report sent to donors on 15 March")}),
    )

    def __init__(self, *args, unlocking: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.unlocking = unlocking

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if self.unlocking and not reason:
            raise ValidationError(_("Give the reason for unlocking: it is kept with the period."))
        return reason


class ReportingPeriodChoiceForm(forms.Form):
    """The period the reporting status page shows (GET)."""

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"] = PreloadedChoiceField(
            objects=periods,
            required=False,
            empty_label=_("Current period"),
            label=_("Reporting period"),
            invalid_message=_("Choose one of the programme's reporting periods."),
        )
        self.fields["period"].choices = [
            ("", _("Current period")),
            *(
                (p.pk, _("%(period)s (locked)") % {"period": p.name} if p.is_locked else p.name)
                for p in periods
            ),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "d-print-none"
        self.helper.layout = Layout(
            Row(
                Column("period", css_class="col-md-4"),
                Column(
                    Submit("", _("Show"), css_class="btn-primary"),
                    css_class="col-md-2 d-flex align-items-end mb-3",
                ),
                css_class="g-2",
            )
        )

    def chosen(self):
        """The period asked for, or None for the current one (or an invalid choice)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("period")
