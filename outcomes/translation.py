"""Content in English and Serbian (django-modeltranslation): title_en, title_sr…

The audit history (django-simple-history) keeps both languages: each historical
model is registered with the same fields as its model, so a change to either
language is recorded like any other change.
"""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import Indicator, NapObjective, NationalActionPlan, Outcome, Output


@register(Outcome)
class OutcomeTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Output)
class OutputTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(NationalActionPlan)
class NationalActionPlanTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(NapObjective)
class NapObjectiveTranslationOptions(TranslationOptions):
    fields = ("title", "description")


for _model, _options in (
    (Outcome, OutcomeTranslationOptions),
    (Output, OutputTranslationOptions),
    (Indicator, IndicatorTranslationOptions),
):
    translator.register(_model.history.model, _options)
