"""Form fields every app's forms and the admin share (the lowest layer, as the
import base in ``resources.py``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class FiniteDecimalField(forms.DecimalField):
    """A decimal field that refuses NaN and infinity as soon as it reads them.

    Django's own field refuses them only in ``validate``; before that a formset or
    the admin compares the posted value with the saved one (``has_changed``), and
    comparing a Decimal with "sNaN" raises ``InvalidOperation``: a 500 for anyone
    who posts "sNaN" into an amount, a baseline or a target. Here it is "Enter a
    number." like any other word.
    """

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
