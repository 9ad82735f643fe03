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
  against the natural keys read once, check constraints are evaluated in Python
  (or once per distinct set of values by the database), and resources of models
  without many-to-many fields (``use_bulk``) insert in batches, with their audit
  history (``import_history``), and without a savepoint per row: the whole file
  is one transaction either way;
- cost little Python per row: every row is a new record, so import-export's
  row-by-row diff is replaced by the preview's cells written directly (the same
  HTML), the preview (a dry run) inserts nothing, and what depends on a cell's
  value alone (reading a number, a date or a choice; a field's validation) is
  worked out once per distinct value in the file;
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
from django.db.models.expressions import DatabaseDefault
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.safestring import SafeString
from import_export import resources, results, widgets
from import_export.fields import Field

from .import_history import bulk_create_audited
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
    if type(value) is str:  # most cells: no conversion, and no apostrophe to drop
        text = value.strip()
        if text.startswith("'"):
            text = unneutralise(text).strip()
    else:
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
    """Every organisation, read in one query for an import (when the first name is
    looked up, so that the columns of a file naming organisations share one read),
    found as ``find_organisation`` finds them; a name it cannot settle (none or
    several match) goes to ``find_organisation``, whose answer is the database's."""

    by_name: dict[str, list[Organisation]] | None = None
    by_acronym: dict[str, list[Organisation]] | None = None

    def _read(self) -> None:
        self.by_name, self.by_acronym = {}, {}
        for organisation in Organisation.objects.all():
            self.by_name.setdefault(organisation.name.casefold(), []).append(organisation)
            if organisation.acronym:
                acronym = organisation.acronym.casefold()
                self.by_acronym.setdefault(acronym, []).append(organisation)

    def find(self, name: str) -> Organisation | str:
        if self.by_name is None:
            self._read()
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
    return _holds(compile_condition(condition, type(instance)), instance)


def _holds(compiled, instance) -> bool | None:
    if compiled is None:
        return None
    try:
        return compiled(instance) is not False
    except (LookupError, TypeError, ArithmeticError):
        return None


def compile_condition(condition, model):
    """``condition_holds`` worked out once for a model: a function of an instance
    giving True, False or None (unknown, as SQL), raising ``LookupError`` when the
    database must say; None when the condition cannot be computed in Python."""

    def attname(name):
        field = model._meta.get_field(name)
        if not field.concrete or field.many_to_many:
            raise LookupError(name)
        return field.attname

    def build(node):
        if isinstance(node, models.Q):
            parts = [build(child) for child in node.children]
            conjunction, negated = node.connector == models.Q.AND, node.negated

            def evaluate(instance):
                results_ = [part(instance) for part in parts]  # each may raise: all run
                if conjunction:
                    result = False if False in results_ else (None if None in results_ else True)
                else:
                    result = True if True in results_ else (None if None in results_ else False)
                return (None if result is None else not result) if negated else result

            return evaluate
        if not isinstance(node, tuple) or len(node) != 2:
            raise LookupError(node)
        path, constant = node
        name, _, lookup = path.partition("__")
        lookup = lookup or "exact"
        if lookup == "isnull" and isinstance(constant, bool):
            column = attname(name)
            return lambda instance: (getattr(instance, column) is None) == constant
        compare = _PYTHON_LOOKUPS.get(lookup)
        plain = (int, Decimal, date)  # datetime is a date; bool an int
        if compare is None or isinstance(constant, bool) or not isinstance(constant, plain):
            raise LookupError(path)
        column, constant_is_datetime = attname(name), isinstance(constant, datetime)

        def evaluate(instance):
            current = getattr(instance, column)
            if current is None:
                return None
            if isinstance(current, bool) or not isinstance(current, plain):
                raise LookupError(path)
            if isinstance(current, datetime) != constant_is_datetime:
                raise LookupError(path)
            return compare(current, constant)

        return evaluate

    try:
        return build(condition)
    except (LookupError, FieldDoesNotExist):
        return None


#: Values whose field checks ``NaturalKeyResource._clean_fields`` keeps for the file
#: (immutable, and told apart by their type and text).
_VALUES_KEPT = frozenset({str, int, bool, Decimal, date})
_NOT_KEPT = object()


#: Cells ``import_instance`` reads once per file (hashable, immutable), and the
#: widgets whose answer depends on the cell alone (not the row, the user or the
#: database).
_CELLS_KEPT = frozenset({str, int, float, bool, type(None), date, datetime, Decimal})
_PURE_WIDGETS = frozenset(
    {
        TextWidget,
        ChoicesWidget,
        PlainDecimalWidget,
        PlainIntegerWidget,
        IsoDateWidget,
        StrictBooleanWidget,
    }
)


class _CellError:
    """A cell's problem, kept for the next row with the same cell."""

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message


class _FieldError:
    """A field's validation errors, kept for the next row with the same value."""

    __slots__ = ("error_list",)

    def __init__(self, error_list):
        self.error_list = error_list


@functools.cache
def _model_constraints(model) -> tuple[tuple, ...]:
    """``Model.get_constraints()`` as (model, constraint, the fields a check
    constraint names or None, their attributes in the order of their names, the
    condition as ``compile_condition`` makes it)."""
    found = []
    for model_class, constraints in model(pk=None).get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.CheckConstraint):
                fields = constraint.condition.referenced_base_fields
                attnames = tuple(model._meta.get_field(n).attname for n in sorted(fields))
                compiled = compile_condition(constraint.condition, model)
                found.append((model_class, constraint, fields, attnames, compiled))
            else:
                found.append((model_class, constraint, None, (), None))
    return tuple(found)


@functools.cache
def _fields_to_clean(model) -> tuple[tuple[models.Field, bool], ...]:
    """The fields ``Model.clean_fields`` cleans, each with whether its answer may be
    kept for the next row with the same value: Django's own fields, not relations
    (a foreign key is looked up in the database)."""
    return tuple(
        (f, not f.is_relation and type(f).__module__.startswith("django.db.models."))
        for f in model._meta.fields
        if not f.generated
    )


def _is_plain(field) -> bool:
    """An import-export ``Field`` of the usual kind: set straight on the record,
    no dotted path."""
    return type(field) is Field and not field.readonly and "__" not in field.attribute


def _model_field_of(model, field) -> tuple[str | None, str | None]:
    """For a plain import-export field showing a column of the model: the id
    attribute of a foreign key (its cell depends on the related record alone), or
    the attribute of another column (its value is the cell's); else (None, None)."""
    if type(field) is not Field or not field.attribute or "__" in field.attribute:
        return None, None
    try:
        model_field = model._meta.get_field(field.attribute)
    except FieldDoesNotExist:
        return None, None
    if not model_field.concrete or model_field.many_to_many:
        return None, None
    if model_field.many_to_one:
        return model_field.attname, None
    if model_field.is_relation or model_field.attname != field.attribute:
        return None, None
    return None, model_field.attname


def _value_key(value) -> tuple | None:
    """What a preview cell depends on, for values that cannot change during an
    import; None for others."""
    if value is None or type(value) in _VALUES_KEPT:
        return (type(value), str(value))
    if isinstance(value, models.Model) and value.pk is not None:
        return (type(value), value.pk)
    return None


def _new_cell_html(before, after) -> str:
    """A cell of the preview as import-export's ``Diff.as_html`` writes it for a new
    record (diff-match-patch's HTML of the value against "", or of a value equal to
    the new record's default against itself), without diffing texts character by
    character."""
    if before != after:
        before = ""
    before, after = force_str(before), force_str(after)
    if not after:
        return SafeString("")
    text = (
        after.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "&para;<br>")
    )
    if before == after:
        return SafeString(f"<span>{text}</span>")
    return SafeString(f'<ins style="background:#e6ffe6;">{text}</ins>')


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

    # Set for the length of an import (``import_data``, ``before_import``).
    _rows_shown = False
    _import_fields: list | None = None
    _set_fields: list | None = None
    _m2m_fields: list = []

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
        # import-export's diff deep-copies every row's record and compares every cell
        # as text: work with no use when every row is a new record. Only the preview
        # shows the rows, and ``after_import_row`` writes their table's cells itself
        # (this resource's own copy of the options; the class's stay).
        declared = type(self)._meta
        self._rows_shown = dry_run and not (declared.skip_diff or declared.skip_html_diff)
        self._meta = copy.copy(self._meta)
        self._meta.skip_diff = True
        try:
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
            )
        finally:
            self._import_fields = None

    def before_import(self, dataset, **kwargs):
        """A fresh cache of related records and natural keys for each file, and the
        per-file plans the rows follow (fields, checks), worked out once."""
        super().before_import(dataset, **kwargs)
        self._import_user = kwargs.get("user")
        self._existing_keys = None  # read on the first row that needs them
        self._keys_in_file = set()
        self._constraint_checks = {}
        self._field_checks = {}
        self._unique_checks = {}
        self._cells_written = {}
        self._cells_read = {}
        self._import_fields = None
        self._import_fields = self.get_import_fields()
        self._plan_fields(self._import_fields)
        model = self._meta.model
        self._key_attnames = [model._meta.get_field(name).attname for name in self.natural_key]
        self._plain_relations = [
            f for f in model._meta.concrete_fields if f.is_relation and not f.get_limit_choices_to()
        ]
        self._cell_plan = [(f, *_model_field_of(model, f)) for f in self._import_fields]
        # The preview's cells of an unchanged new record, the same for every row
        # unless the resource makes its records itself.
        self._values_before = None
        self._values_before_fixed = (
            type(self).init_instance is resources.ModelResource.init_instance
            and type(self).after_init_instance is resources.Resource.after_init_instance
        )
        directory = None  # one for every column naming organisations (donor, earmark_agency)
        for field in self._import_fields:
            widget = field.widget
            if isinstance(widget, NaturalKeyWidget | OrganisationsWidget):
                widget.start_import(dataset, column=field.column_name, user=self._import_user)
            if getattr(widget, "directory", None) is not None:
                directory = directory or widget.directory
                widget.directory = directory

    def get_import_fields(self):
        # import-export asks for the fields several times a row; during an import
        # they are the list worked out in ``before_import``.
        return self._import_fields or super().get_import_fields()

    def _plan_fields(self, fields) -> None:
        """The fields a row sets on its record (and whether each is a plain import-export
        ``Field``, which ``import_instance`` sets itself), and the many-to-many ones it
        only checks (saved after the record, by ``save_m2m``)."""
        self._set_fields = [
            (f, _is_plain(f), type(f.widget) in _PURE_WIDGETS)
            for f in fields
            if f.attribute and not isinstance(f.widget, widgets.ManyToManyWidget)
        ]
        self._m2m_fields = [
            f for f in fields if isinstance(f.widget, widgets.ManyToManyWidget) and not f.readonly
        ]

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
        (import-export only reads those after saving, when a bad name would be a crash).

        As import-export's own, with the fields worked out once per file."""
        if self._rows_shown:
            self._row_instance = instance
            self._row_values_before = self._values_before_import(instance)
        if self._set_fields is None:  # called outside import_data
            self._plan_fields(super().get_import_fields())
        errors = {}
        read = self.__dict__.setdefault("_cells_read", {})
        for position, (field, plain, pure) in enumerate(self._set_fields):
            column = field.column_name
            if column not in row:
                continue
            try:
                if not plain:
                    field.save(instance, row, **kwargs)
                    continue
                # Field.save() and Field.clean(), without their generality; a cell
                # whose widget reads nothing but the cell is read once per file.
                raw = row[column]
                key = None
                if pure and type(raw) in _CELLS_KEPT:
                    key = (position, type(raw), raw if type(raw) is str else repr(raw))
                    value = read.get(key, _NOT_KEPT)
                else:
                    value = _NOT_KEPT
                if value is _NOT_KEPT:
                    try:
                        value = field.widget.clean(raw, row=row, **kwargs)
                    except ValueError as error:
                        value = _CellError(force_str(error))
                    if key is not None:
                        read[key] = value
                if type(value) is _CellError:
                    raise ValueError(value.message)
                if value in field.empty_values and field.default != NOT_PROVIDED:
                    value = field.default() if callable(field.default) else field.default
                if value is not None or field.saves_null_values:
                    setattr(instance, field.attribute, value)
            except ValueError as error:
                errors[field.attribute] = [ValidationError(force_str(error), code="invalid")]
        for field in self._m2m_fields:
            if field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def _values_before_import(self, instance) -> list:
        """The preview's "before" cells: the new record as initialised."""
        if self._values_before_fixed and self._values_before is not None:
            return self._values_before
        self._values_before = [field.export(instance) for field in self._import_fields]
        return self._values_before

    def after_import_row(self, row, row_result, **kwargs):
        """The preview's cells of a row, as import-export's diff writes them for a
        new record: a value that differs from the empty record's is shown inserted."""
        if self._rows_shown and row_result.import_type == results.RowResult.IMPORT_TYPE_NEW:
            row_result.diff = self._row_cells(self._row_instance, self._row_values_before)
        super().after_import_row(row, row_result, **kwargs)

    def _row_cells(self, instance, values_before: list) -> list[str]:
        """A value's cell is written once per file: a pledge file names the same
        programme, donors, currencies and dates again and again."""
        cells = []
        written = self._cells_written
        for position, (before, (field, foreign_key, column)) in enumerate(
            zip(values_before, self._cell_plan, strict=True)
        ):
            if type(before) is not str or type(field) is not Field:
                cells.append(_new_cell_html(before, field.export(instance)))
                continue
            if foreign_key:  # the related record's id says which it is
                key = (position, before, getattr(instance, foreign_key))
                cell = written.get(key)
                if cell is None:
                    cell = _new_cell_html(before, field.export(instance))
                    written[key] = cell
                cells.append(cell)
                continue
            # Field.get_value() of a model field's value: the attribute itself.
            value = getattr(instance, column) if column else field.get_value(instance)
            key = _value_key(value)
            if key is None:
                cells.append(_new_cell_html(before, field.widget.render(value)))
                continue
            key = (position, before, key)
            cell = written.get(key)
            if cell is None:
                cell = written[key] = _new_cell_html(before, field.widget.render(value))
            cells.append(cell)
        return cells

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation, as ``full_clean`` does it, without its
        queries per row: related records the widgets just read need no second
        look, and constraints are checked as ``model_constraint_errors`` says."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        keys_checked = self.duplicate_checked(instance, exclude)
        if keys_checked and self._is_duplicate(instance):
            errors[NON_FIELD_ERRORS] = [self._duplicate_text(instance)]
            exclude.update(self.natural_key)  # the model's own unique check would repeat it
            keys_checked = False
        not_cleaned = exclude | self._related_records_read(instance)
        errors = self._clean_fields(instance, not_cleaned, errors)
        exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
        if validate_unique:
            errors = self._unique_errors(instance, exclude, errors)
        errors = self.model_constraint_errors(
            instance, exclude, errors, skip_unique_on_natural_key=keys_checked
        )
        if errors:
            raise ValidationError(self._by_column(errors))

    def _clean_fields(self, instance, exclude: set, errors: dict) -> dict:
        """``instance.full_clean(exclude, validate_unique=False, validate_constraints=False)``,
        its errors added to ``errors``, with each field's answer kept per distinct
        value for the file: a field's own checks (conversion, choices, validators)
        depend on its value alone, and a file repeats the same currencies, statuses
        and dates thousands of times. Relations (checked against the database) and
        fields of classes other than Django's are cleaned every time."""
        kept = self.__dict__.setdefault("_field_checks", {})
        for field, keepable in _fields_to_clean(type(instance)):
            if field.name in exclude:
                continue
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            if isinstance(raw, DatabaseDefault):
                continue
            key = None
            if keepable and type(raw) in _VALUES_KEPT:
                # Decimal("1.0") == Decimal("1.00"), but only one has two places: their text.
                key = (field.attname, type(raw), str(raw) if type(raw) is Decimal else raw)
            outcome = kept.get(key, _NOT_KEPT) if key is not None else _NOT_KEPT
            if outcome is _NOT_KEPT:
                try:
                    outcome = field.clean(raw, instance)
                except ValidationError as error:
                    outcome = _FieldError(error.error_list)
                if key is not None:
                    kept[key] = outcome
            if isinstance(outcome, _FieldError):
                errors.setdefault(field.name, []).extend(outcome.error_list)
            else:
                setattr(instance, field.attname, outcome)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors

    def _unique_errors(self, instance, exclude: set, errors: dict) -> dict:
        """``instance.validate_unique(exclude)``, its errors added to ``errors``, with
        the list of checks (which depends on the model and ``exclude`` alone) made
        once per file rather than once per row."""
        kept = self.__dict__.setdefault("_unique_checks", {})
        key = frozenset(exclude)
        if key not in kept:
            kept[key] = instance._get_unique_checks(exclude=exclude)
        unique_checks, date_checks = kept[key]
        found = instance._perform_unique_checks(unique_checks)
        for name, problems in instance._perform_date_checks(date_checks).items():
            found.setdefault(name, []).extend(problems)
        if found:
            errors = ValidationError(found).update_error_dict(errors)
        return errors

    def _related_records_read(self, instance) -> set[str]:
        """Foreign keys holding a record read from the database during this import
        (a widget found it): checking that it exists would be a query per row."""
        names = set()
        relations = getattr(self, "_plain_relations", None)
        if relations is None:
            relations = [
                f
                for f in instance._meta.concrete_fields
                if f.is_relation and not f.get_limit_choices_to()
            ]
        for field in relations:
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
        checked = self._constraint_checks
        for model_class, constraint, fields, attnames, compiled in _model_constraints(model):
            if fields is not None:  # a check constraint
                if fields & exclude:
                    continue
                passes = _holds(compiled, instance)
                if passes:
                    continue
                key = (constraint.name, tuple([getattr(instance, a) for a in attnames]))
                error = checked.get(key, _NOT_KEPT)
                if error is _NOT_KEPT:
                    error = self._check_constraint_error(
                        model_class, constraint, instance, exclude, passes=passes
                    )
                    checked[key] = error
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
    def _check_constraint_error(model_class, constraint, instance, exclude, *, passes):
        """Why ``instance`` breaks a check constraint, or None: in Python when
        ``condition_holds`` can tell (``passes``), else by asking the database."""
        if passes is None:
            try:
                constraint.validate(model_class, instance, exclude=exclude)
            except ValidationError as error:
                return error
            return None
        if passes:
            return None
        return ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )

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
        attnames = getattr(self, "_key_attnames", None)
        if attnames is None:
            attnames = [instance._meta.get_field(name).attname for name in self.natural_key]
        return {attname: getattr(instance, attname) for attname in attnames}

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
        self._last_key = (instance, key)  # for before_save_instance
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
        return self._duplicate_text(instance)

    def _duplicate_text(self, instance) -> str:
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
            checked, key = getattr(self, "_last_key", (None, None))
            self._keys_in_file.add(key if checked is instance else self.duplicate_key(instance))

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Batches of new records, with their audit history for audited models.

        The preview (a dry run) inserts nothing: ``validate_instance`` has checked
        every row by the rules the database's constraints state, and inserting rows
        only to roll them back took half the preview's time. The confirmation
        inserts; should the database still refuse a batch (it changed since the
        preview), the whole file is rolled back and the error reported."""
        if dry_run:
            self.create_instances.clear()
            return
        model = self._meta.model
        if not getattr(model._meta, "simple_history_manager_attribute", None):
            return super().bulk_create(
                using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result
            )
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_audited(
                    model,
                    self.create_instances,
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
