"""Content in English and Serbian (django-modeltranslation): title_en, title_sr…"""

from modeltranslation.translator import TranslationOptions, register

from .models import Meeting


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "purpose")
