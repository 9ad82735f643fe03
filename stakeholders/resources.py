"""Import and export of organisations and contacts, and the rules every import follows.

The base class and widgets live here, in the lowest layer, so that every app's
``resources.py`` can build on them. ``NaturalKeyResource`` makes an import:

- name related records by natural keys (an organisation's name, a programme's
  title, an outcome's code), never by database id, so a file exported from one
  installation imports into another;
- create records, never overwrite them: a row that repeats a record already in
  the database or earlier in the same file is an error;
- all or nothing: one bad row and no row is written;
- say in plain words which row is wrong and why (``import_errors``);
- refuse a file that cannot be what it claims before reading any row: columns
  missing, unknown or repeated, more than ``IMPORT_MAX_ROWS`` rows
  (``file_problem``);
- cost a fixed number of queries per file, not per row, where it can: a related
  record named again is found in the import's cache, duplicates are checked
  against the natural keys read once, check constraints are evaluated once per
  distinct set of values, and resources of models without many-to-many fields
  (``use_bulk``) insert in batches, with their audit history, and without a
  savepoint per row: the whole file is one transaction either way;
- read text as exported (``stakeholders.spreadsheets``): an apostrophe written in
  front of a formula-like text is dropped again, and text exports neutralised, so
  a file exported here imports back unchanged.

Rows are numbered as import-export and its admin page number them: 1 is the
first row under the headers.
"""

from __future__ import annotations

import copy
import functools
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from import_export import resources, results, widgets
from import_export.fields import Field
from simple_history.utils import bulk_create_with_history

from .models import Contact, Organisation
from .spreadsheets import cell as spreadsheet_cell
from .spreadsheets import unneutralise

#: The most rows one file may import (``settings.IMPORT_MAX_ROWS`` overrides it): the
#: whole file is checked in one transaction, and a larger one is more likely a
#: wrong file than a real programme's records.
IMPORT_MAX_ROWS = 20_000


def import_max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", IMPORT_MAX_ROWS)


def cell_text(value) -> str:
    """A cell as text: XLSX gives numbers (code 1 arrives as 1 or 1.0), CSV gives text.

    The apostrophe an export puts before formula-like text is dropped. A NUL
    character is an error: PostgreSQL cannot store it, and no real text holds one.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unneutralise(str(value).strip()).strip()
    if "\x00" in text:
        raise ValueError("the cell holds a NUL character (\\x00), which no text may contain")
    return text


class PlainDecimalWidget(widgets.DecimalWidget):
    """Money and measures as written in a file: digits and a decimal point.

    Deliberately not locale-aware: in Serbian "1.250" means one thousand two
    hundred and fifty, so a file must not change meaning with the interface
    language.
    """

    MAX_DIGITS_BEFORE_POINT = 24

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        if isinstance(value, int | Decimal):
            number, text = Decimal(value), str(value)
        elif isinstance(value, float):
            # str() of a float is the shortest text that reads back the same,
            # i.e. what the spreadsheet showed.
            text = str(value)
            number = Decimal(text)
        else:
            text = str(value).strip()
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            raise ValueError(
                f"{text!r} is not a number: write digits with a decimal point, e.g. 1250.50"
            )
        if number and number.adjusted() >= self.MAX_DIGITS_BEFORE_POINT:
            # Refused before anything turns "1e999999999" into a billion digits.
            raise ValueError(f"{text[:40]!r} is too large a number")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return format(value, "f")


class PlainIntegerWidget(widgets.IntegerWidget):
    """Whole numbers (orders, counts); "abc" or "1.5" is a row error, not a crash."""

    def clean(self, value, row=None, **kwargs):
        number = PlainDecimalWidget().clean(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(f"{cell_text(value)!r} is not a whole number")
        return int(number)


class TextWidget(widgets.CharWidget):
    """Text with surrounding spaces dropped, as forms do; empty cells are ""."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class IsoDateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD in text files; XLSX date cells are taken as they are."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):  # openpyxl reads date cells as datetimes
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2009-03-25"
            ) from None


class IsoDateTimeWidget(widgets.DateTimeWidget):
    """Moments as ISO 8601 with their UTC offset; naive values are local time."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, datetime):
            text = str(value).strip()
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    f"{text!r} is not a date and time: write it as YYYY-MM-DD HH:MM, "
                    "e.g. 2009-03-25 14:30"
                ) from None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        try:
            value.astimezone(UTC)  # the database stores UTC: year 1 or 9999 may not fit
        except OverflowError:
            raise ValueError(f"{str(value)!r} is too far in the past or future") from None
        return value

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        value = timezone.localtime(value)
        if kwargs.get("force_native_type"):
            return value.replace(tzinfo=None)  # XLSX cannot hold a time zone
        return value.isoformat()


class StrictBooleanWidget(widgets.BooleanWidget):
    """Yes/no columns: anything but a clear yes or no is an error, not a silent "no"."""

    TRUE_TEXT = {"1", "true", "yes", "y"}
    FALSE_TEXT = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text == "":
            return None
        if text in self.TRUE_TEXT:
            return True
        if text in self.FALSE_TEXT:
            return False
        raise ValueError(f"{value!r} is neither yes nor no: write 1 or 0")


class ChoicesWidget(widgets.CharWidget):
    """A choice written as its code ("un_agency") or its label ("UN agency")."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.codes = {str(code): str(code) for code, _label in choices}
        self.labels = {str(label).lower(): str(code) for code, label in choices}

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text == "":
            return ""
        if text in self.codes:
            return text
        if text.lower() in self.labels:
            return self.labels[text.lower()]
        raise ValueError(f"{text!r} is not one of: {', '.join(self.codes)}")


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural field (a name, a code); unknown values
    are a plain error naming what was looked for.

    During an import (``NaturalKeyResource.before_import`` gives the widget a
    ``cache``) a record found once is not looked up again: a file of 10,000
    pledges from a dozen donors costs a dozen queries, not 10,000. Only records
    found are kept, so a record created later in the same file is still found.
    """

    noun = None  # e.g. "organisation named"; defaults to the model's name and field
    cache: dict | None = None

    def start_import(self, dataset, *, column: str, user) -> None:
        """Called before the first row of an import: a fresh cache; a subclass may
        read the records the file can name in a query or two."""
        self.cache = {}

    def cache_key(self, text: str, row, **kwargs) -> tuple:
        """What the lookup depends on besides the cell: who imports (programmes are
        scoped to the user's)."""
        return (text, getattr(kwargs.get("user"), "pk", None))

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text == "":
            return None
        key = self.cache_key(text, row or {}, **kwargs) if self.cache is not None else None
        if key is not None and key in self.cache:
            return self.cache[key]
        try:
            found = self.get_instance_by_lookup_fields(text, row or {}, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.not_found_message(text, row or {}, **kwargs)) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                f"more than one {self.model._meta.verbose_name} matches {text!r}"
            ) from None
        if key is not None:
            self.cache[key] = found
        return found

    def not_found_message(self, value, row, **kwargs) -> str:
        noun = self.noun or f"{self.model._meta.verbose_name} with {self.field}"
        return f"no {noun} {value!r}"


class OrganisationWidget(NaturalKeyWidget):
    """An organisation by its name (any case) or, when unambiguous, its acronym."""

    def __init__(self, **kwargs):
        super().__init__(Organisation, "name", **kwargs)

    directory: OrganisationDirectory | None = None

    def start_import(self, dataset, *, column: str, user) -> None:
        super().start_import(dataset, column=column, user=user)
        self.directory = OrganisationDirectory() if column in (dataset.headers or ()) else None

    def cache_key(self, text: str, row, **kwargs) -> tuple:
        return (text,)  # organisations are not scoped to the user

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        found = self.directory.find(value) if self.directory else find_organisation(value)
        if isinstance(found, str):
            raise ValueError(found)
        return found


class OrganisationsWidget(widgets.ManyToManyWidget):
    """Several organisations, by name or acronym, separated by semicolons
    (ministries' names contain commas)."""

    cache: dict | None = None  # set for the length of an import, as NaturalKeyWidget's
    directory: OrganisationDirectory | None = None

    def __init__(self, **kwargs):
        super().__init__(Organisation, separator=";", field="name", **kwargs)

    def start_import(self, dataset, *, column: str, user) -> None:
        self.cache = {}
        self.directory = OrganisationDirectory() if column in (dataset.headers or ()) else None

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in cell_text(value).split(self.separator)]
        found, problems = [], []
        for name in filter(None, names):
            if self.cache is not None and name in self.cache:
                found.append(self.cache[name])
                continue
            organisation = (self.directory.find if self.directory else find_organisation)(name)
            if isinstance(organisation, str):
                problems.append(organisation)
            else:
                found.append(organisation)
                if self.cache is not None:
                    self.cache[name] = organisation
        if problems:
            raise ValueError("; ".join(problems))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{self.separator} ".join(o.name for o in value.all())


def find_organisation(name: str) -> Organisation | str:
    """The organisation called ``name`` (or with that acronym), or why there is none."""
    try:
        return Organisation.objects.get(name__iexact=name)
    except Organisation.DoesNotExist:
        pass
    by_acronym = list(Organisation.objects.filter(acronym__iexact=name)[:2])
    if len(by_acronym) == 1:
        return by_acronym[0]
    if by_acronym:
        return f"more than one organisation has the acronym {name!r}: use the full name"
    return f"no organisation named {name!r}"


class OrganisationDirectory:
    """Every organisation, read in one query for an import, found as
    ``find_organisation`` finds them; a name it cannot settle (none or several
    match) goes to ``find_organisation``, whose answer is the database's."""

    def __init__(self):
        self.by_name: dict[str, list[Organisation]] = {}
        self.by_acronym: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.all():
            self.by_name.setdefault(organisation.name.casefold(), []).append(organisation)
            if organisation.acronym:
                acronym = organisation.acronym.casefold()
                self.by_acronym.setdefault(acronym, []).append(organisation)

    def find(self, name: str) -> Organisation | str:
        key = name.casefold()
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0]
        by_acronym = self.by_acronym.get(key, [])
        if not named and len(by_acronym) == 1:
            return by_acronym[0]
        return find_organisation(name)


#: Lookups ``condition_holds`` evaluates as the database would (regular expressions,
#: text comparisons and the like are left to the database).
_PYTHON_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def condition_holds(condition, instance) -> bool | None:
    """Whether a check constraint's condition holds for ``instance``, computed in
    Python when it is made of plain comparisons of its own numbers, dates and
    foreign keys with constants and of ``isnull``; None when the database must say.
    SQL's three-valued logic is kept: a comparison with NULL is unknown, and a
    check constraint passes unless its condition is false."""

    def value(name):
        field = instance._meta.get_field(name)
        if not field.concrete or field.many_to_many:
            raise LookupError(name)
        return getattr(instance, field.attname)

    def evaluate(node):
        if isinstance(node, models.Q):
            results_ = [evaluate(child) for child in node.children]
            if node.connector == models.Q.AND:
                result = False if False in results_ else (None if None in results_ else True)
            else:
                result = True if True in results_ else (None if None in results_ else False)
            return (None if result is None else not result) if node.negated else result
        if not isinstance(node, tuple) or len(node) != 2:
            raise LookupError(node)
        path, constant = node
        name, _, lookup = path.partition("__")
        lookup = lookup or "exact"
        if lookup == "isnull" and isinstance(constant, bool):
            return (value(name) is None) == constant
        compare = _PYTHON_LOOKUPS.get(lookup)
        plain = (int, Decimal, date)  # datetime is a date; bool an int
        if compare is None or isinstance(constant, bool) or not isinstance(constant, plain):
            raise LookupError(path)
        current = value(name)
        if current is None:
            return None
        if isinstance(current, bool) or not isinstance(current, plain):
            raise LookupError(path)
        if isinstance(current, datetime) != isinstance(constant, datetime):
            raise LookupError(path)
        return compare(current, constant)

    try:
        return evaluate(condition) is not False
    except (LookupError, FieldDoesNotExist, TypeError, ArithmeticError):
        return None


class PlainError(results.Error):
    """A file-level problem as the admin shows it: the message, without the
    traceback import-export would print under it."""

    @property
    def traceback(self) -> str:
        return ""


class NaturalKeyResource(resources.ModelResource):
    """Create-only, all-or-nothing import keyed on natural keys (see the module)."""

    #: Model fields that identify a record; a second row with the same values is
    #: a duplicate, whether the first is in the database or earlier in the file.
    natural_key: tuple[str, ...] = ()
    #: Columns a file must have besides those of required model fields: those the
    #: natural keys of related records are read from (e.g. "programme").
    context_columns: tuple[str, ...] = ()
    #: Plain words for the model's check constraints, by constraint name.
    constraint_messages: dict[str, str] = {}

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
        "DecimalField": PlainDecimalWidget,
        "IntegerField": PlainIntegerWidget,
        "PositiveIntegerField": PlainIntegerWidget,
        "PositiveSmallIntegerField": PlainIntegerWidget,
        "DateField": IsoDateWidget,
        "DateTimeField": IsoDateTimeWidget,
        "BooleanField": StrictBooleanWidget,
    }

    class Meta:
        # Every row is a new record: nothing is looked up by id, nothing overwritten.
        force_init_instance = True
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = False
        # For resources that set use_bulk: rows inserted this many at a time.
        batch_size = 1000

    def get_error_result_class(self):
        return PlainError

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices:
            return functools.partial(ChoicesWidget, choices=f.flatchoices)
        return super().widget_from_django_field(f, default)

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """All or nothing, whatever the caller asks: any invalid row rolls back the
        whole file (import-export only rolls back on validation errors when asked)."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        if not dry_run:
            # Only the preview shows each row's values: the import on confirmation
            # needs no diff (this resource's own copy of the options; the class's stay).
            self._meta = copy.copy(self._meta)
            self._meta.skip_diff = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        """A fresh cache of related records and natural keys for each file."""
        super().before_import(dataset, **kwargs)
        self._import_user = kwargs.get("user")
        self._existing_keys = None  # read on the first row that needs them
        self._keys_in_file = set()
        self._constraint_checks = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, NaturalKeyWidget | OrganisationsWidget):
                field.widget.start_import(dataset, column=field.column_name, user=self._import_user)

    # Checks before the first row

    def required_columns(self) -> list[str]:
        columns = list(self.context_columns)
        model = self._meta.model
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or "__" in field.attribute:
                continue
            model_field = model._meta.get_field(field.attribute)
            if not (model_field.blank or model_field.has_default()):
                columns.append(field.column_name)
        return columns

    def known_columns(self) -> set[str]:
        return {f.column_name for f in self.fields.values()} | set(self.context_columns)

    def file_problem(self, dataset) -> str | None:
        """Why the file as a whole cannot be imported, or None: checked before any row,
        so a wrong file gets one plain sentence rather than an error per row."""
        headers = [h for h in (dataset.headers or []) if h != ""]
        if not headers:
            return "The file has no header row: its first row must name the columns."
        if len(headers) == 1 and ";" in headers[0]:
            return (
                "The file's columns are separated by semicolons: save it as CSV with "
                "commas (in Excel, “CSV UTF-8 (Comma delimited)”) or upload it as XLSX."
            )
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            return f"The file has the column {', '.join(map(repr, repeated))} more than once."
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            return f"The file has no column {', '.join(map(repr, missing))}."
        unknown = [h for h in headers if h not in self.known_columns()]
        if unknown:
            expected = ", ".join(f.column_name for f in self.get_export_fields())
            return (
                f"The file has columns this import does not know: "
                f"{', '.join(map(repr, unknown))}. The columns are: {expected}."
            )
        limit = import_max_rows()
        if len(dataset) > limit:
            return (
                f"The file has {len(dataset):,} rows; at most {limit:,} can be imported "
                "at once: split it into smaller files."
            )
        return None

    def import_data_inner(self, dataset, dry_run, raise_errors, *args, **kwargs):
        """A file-level problem stops the import before the first row."""
        if dataset.headers:
            dataset.headers = ["" if h is None else str(h).strip() for h in dataset.headers]
        problem = self.file_problem(dataset)
        if problem is None:
            return super().import_data_inner(dataset, dry_run, raise_errors, *args, **kwargs)
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        self.handle_import_error(result, ValueError(problem), raise_errors)
        return result

    # Each row

    def import_instance(self, instance, row, **kwargs):
        """Collect every field's problem in one go, many-to-many ones included
        (import-export only reads those after saving, when a bad name would be a crash)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            is_m2m = isinstance(field.widget, widgets.ManyToManyWidget)
            if is_m2m and not field.readonly and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation, as ``full_clean`` does it, without its
        queries per row: related records the widgets just read need no second
        look, and constraints are checked as ``model_constraint_errors`` says."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        duplicate = self.duplicate_message(instance, exclude)
        keys_checked = duplicate is None and self.duplicate_checked(instance, exclude)
        if duplicate:
            errors[NON_FIELD_ERRORS] = [duplicate]
            exclude.update(self.natural_key)  # the model's own unique check would repeat it
        try:
            instance.full_clean(
                exclude=exclude | self._related_records_read(instance),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
        if validate_unique:
            try:
                instance.validate_unique(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        errors = self.model_constraint_errors(
            instance, exclude, errors, skip_unique_on_natural_key=keys_checked
        )
        if errors:
            raise ValidationError(self._by_column(errors))

    @staticmethod
    def _related_records_read(instance) -> set[str]:
        """Foreign keys holding a record read from the database during this import
        (a widget found it): checking that it exists would be a query per row."""
        names = set()
        for field in instance._meta.concrete_fields:
            if not field.is_relation or field.get_limit_choices_to():
                continue
            if field.is_cached(instance):
                related = field.get_cached_value(instance)
                if related is not None and not related._state.adding:
                    names.add(field.name)
        return names

    def model_constraint_errors(
        self, instance, exclude: set, errors: dict, *, skip_unique_on_natural_key: bool
    ) -> dict:
        """``Model.validate_constraints`` at a fixed cost per file: a check constraint
        depends only on the values of the fields it names, so its answer (a query
        each time in Django) is kept per distinct set of values; a unique constraint
        on the natural key repeats the duplicate check already made."""
        model = type(instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    fields = constraint.condition.referenced_base_fields
                    if fields & exclude:
                        continue
                    key = (
                        constraint.name,
                        tuple(
                            getattr(instance, model._meta.get_field(name).attname)
                            for name in sorted(fields)
                        ),
                    )
                    if key not in self._constraint_checks:
                        passes = condition_holds(constraint.condition, instance)
                        if passes is not None:
                            self._constraint_checks[key] = None
                            if not passes:
                                self._constraint_checks[key] = ValidationError(
                                    constraint.get_violation_error_message(),
                                    code=constraint.violation_error_code,
                                )
                    if key not in self._constraint_checks:
                        try:
                            constraint.validate(model_class, instance, exclude=exclude)
                            self._constraint_checks[key] = None
                        except ValidationError as error:
                            self._constraint_checks[key] = error
                    error = self._constraint_checks[key]
                    if error is not None:
                        errors = error.update_error_dict(errors)
                    continue
                if (
                    skip_unique_on_natural_key
                    and isinstance(constraint, models.UniqueConstraint)
                    and constraint.condition is None
                    and self._constraint_fields(model, constraint) <= set(self.natural_key)
                ):
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude)
                except ValidationError as error:
                    if error.code == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        return errors

    @staticmethod
    def _constraint_fields(model, constraint) -> set[str]:
        if constraint.fields:
            return set(constraint.fields)
        return {
            refs[0]
            for expression in constraint.expressions
            for refs in model._get_expr_references(expression)
        }

    def duplicate_lookup(self, instance) -> dict:
        return {
            instance._meta.get_field(name).attname: getattr(
                instance, instance._meta.get_field(name).attname
            )
            for name in self.natural_key
        }

    def duplicate_checked(self, instance, unresolved) -> bool:
        """Whether the row's natural key is complete enough to look for a duplicate."""
        if not self.natural_key or unresolved & set(self.natural_key):
            return False
        return not any(value is None for value in self.duplicate_lookup(instance).values())

    def duplicate_key(self, instance) -> tuple:
        """The natural key as compared, for a row and (``existing_keys``) the database."""
        return tuple(self.duplicate_lookup(instance).values())

    def existing_keys(self) -> set[tuple]:
        """Every natural key in the database, read in one query per file."""
        attnames = [self._meta.model._meta.get_field(name).attname for name in self.natural_key]
        return set(self._meta.model._default_manager.values_list(*attnames))

    def _is_duplicate(self, instance) -> bool:
        key = self.duplicate_key(instance)
        if not hasattr(self, "_keys_in_file"):  # validated outside import_data
            return (
                type(instance)._default_manager.filter(**self.duplicate_lookup(instance)).exists()
            )
        if self._existing_keys is None:
            self._existing_keys = self.existing_keys()
        return key in self._keys_in_file or key in self._existing_keys

    def duplicate_message(self, instance, unresolved) -> str | None:
        if not self.duplicate_checked(instance, unresolved):
            return None
        if not self._is_duplicate(instance):
            return None
        described = ", ".join(
            f"{instance._meta.get_field(name).verbose_name} {str(getattr(instance, name))!r}"
            for name in self.natural_key
        )
        return (
            f"duplicate {instance._meta.verbose_name}: one with {described} is already "
            "in the database or earlier in this file"
        )

    def _by_column(self, errors: dict) -> dict:
        """Name problems by the file's column, not the model's attribute, and say
        what a violated database constraint means."""
        columns = {f.attribute: f.column_name for f in self.get_import_fields()}
        plain = {
            f"Constraint “{name}” is violated.": message
            for name, message in self.constraint_messages.items()
        }
        return {
            columns.get(key, key): [plain.get(m, m) for m in ValidationError(value).messages]
            for key, value in errors.items()
        }

    def before_save_instance(self, instance, row, **kwargs):
        # The audit history says who imported the record.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        if self.natural_key and hasattr(self, "_keys_in_file"):
            # A later row repeating this one is a duplicate (with use_bulk the record
            # is not in the database yet).
            self._keys_in_file.add(self.duplicate_key(instance))

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Batches of new records, with their audit history for audited models."""
        model = self._meta.model
        if not getattr(model._meta, "simple_history_manager_attribute", None):
            return super().bulk_create(
                using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result
            )
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    model,
                    batch_size=batch_size,
                    default_user=getattr(self, "_import_user", None),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    # Export

    #: select_related / prefetch_related for export, so it costs a fixed number of queries.
    export_select_related: tuple[str, ...] = ()
    export_prefetch_related: tuple[str, ...] = ()

    #: Widgets whose values are numbers, dates or yes/no, never formula-like text.
    NOT_TEXT_WIDGETS = (
        widgets.NumberWidget,
        widgets.DateWidget,
        widgets.DateTimeWidget,
        widgets.TimeWidget,
        widgets.BooleanWidget,
    )

    def export_field(self, field, instance, **kwargs):
        """Text neutralised against formula injection (numbers such as -5.00 are left
        as they are: a number is no formula, and the import reads it back)."""
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, self.NOT_TEXT_WIDGETS):
            return value
        return spreadsheet_cell(value)

    def filter_export(self, queryset, **kwargs):
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        if self.export_prefetch_related:
            queryset = queryset.prefetch_related(*self.export_prefetch_related)
        return queryset


def import_errors(result) -> list[str]:
    """Every problem of an import, one line each: "Row 4, lead_agency: no organisation
    named 'Ministry of Magic'"."""
    lines = [f"File: {error.error}" for error in result.base_errors]
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            where = f"Row {row.number}"
            if column != NON_FIELD_ERRORS:
                where += f", {column}"
            lines.extend(f"{where}: {message}" for message in messages)
    for row in result.error_rows:
        lines.extend(f"Row {row.number}: {error.error}" for error in row.errors)
    return lines


# Organisations and contacts


class OrganisationResource(NaturalKeyResource):
    natural_key = ("name",)

    class Meta:
        model = Organisation
        fields = (
            "name",
            "acronym",
            "kind",
            "country",
            "website",
            "description",
            "is_sample",
        )
        export_order = fields
        use_bulk = True  # no many-to-many fields: batches of inserts, no savepoint per row

    def duplicate_lookup(self, instance) -> dict:
        return {"name__iexact": instance.name}  # names are unique whatever their case

    def duplicate_key(self, instance) -> tuple:
        return (instance.name.casefold(),)

    def existing_keys(self) -> set[tuple]:
        return {(name.casefold(),) for name in Organisation.objects.values_list("name", flat=True)}


class ContactResource(NaturalKeyResource):
    natural_key = ("organisation", "name", "position")

    organisation = Field(
        attribute="organisation", column_name="organisation", widget=OrganisationWidget()
    )

    class Meta:
        model = Contact
        fields = ("organisation", "name", "position", "email", "phone", "is_sample")
        export_order = fields
        use_bulk = True

    export_select_related = ("organisation",)
