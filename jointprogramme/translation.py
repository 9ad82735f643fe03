"""Content in English and Serbian (django-modeltranslation): title_en, title_sr…"""

from modeltranslation.translator import TranslationOptions, register

from .models import Pillar, Programme


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("title", "short_title", "country", "summary")


@register(Pillar)
class PillarTranslationOptions(TranslationOptions):
    fields = ("name", "description")
