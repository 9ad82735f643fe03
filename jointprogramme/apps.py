from django.apps import AppConfig


class JointProgrammeConfig(AppConfig):
    name = "jointprogramme"
    verbose_name = "Joint programmes"
