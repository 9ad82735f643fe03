"""Import and export of pledges and exchange rates.

The funding dashboard converts every figure with rates imported from CSV, so a
rates file goes in whole or not at all, like every import (see
``stakeholders.resources``).
"""

from import_export.fields import Field

from outcomes.resources import ProgrammeWidget, outcome_widget, pillar_widget
from stakeholders.resources import NaturalKeyResource, OrganisationWidget

from .models import ExchangeRate, Pledge


class PledgeResource(NaturalKeyResource):
    natural_key = ("programme", "donor", "pledged_on", "amount", "currency", "reference")
    constraint_messages = {
        "pledge_earmarked_at_most_once": (
            "a pledge is earmarked to one pillar, outcome or agency at most: fill in "
            "only one of earmark_pillar, earmark_outcome and earmark_agency"
        ),
    }

    programme = Field(attribute="programme", column_name="programme", widget=ProgrammeWidget())
    donor = Field(attribute="donor", column_name="donor", widget=OrganisationWidget())
    earmark_pillar = Field(
        attribute="earmark_pillar", column_name="earmark_pillar", widget=pillar_widget()
    )
    earmark_outcome = Field(
        attribute="earmark_outcome", column_name="earmark_outcome", widget=outcome_widget()
    )
    earmark_agency = Field(
        attribute="earmark_agency", column_name="earmark_agency", widget=OrganisationWidget()
    )

    class Meta:
        model = Pledge
        fields = (
            "programme",
            "donor",
            "amount",
            "currency",
            "pledged_on",
            "status",
            "earmark_pillar",
            "earmark_outcome",
            "earmark_agency",
            "reference",
            "note",
            "is_anonymous",
            "is_sample",
        )
        export_order = fields
        use_bulk = True  # no many-to-many fields: batches of inserts, with history

    export_select_related = (
        "programme",
        "donor",
        "earmark_pillar",
        "earmark_outcome",
        "earmark_agency",
    )


class ExchangeRateResource(NaturalKeyResource):
    natural_key = ("base_currency", "quote_currency", "rate_date")
    constraint_messages = {
        "exchange_rate_positive": "the rate must be more than 0",
        "exchange_rate_two_currencies": "the base and quote currencies must differ",
    }

    class Meta:
        model = ExchangeRate
        fields = ("base_currency", "quote_currency", "rate_date", "rate", "source")
        export_order = fields
        use_bulk = True
