"""The IATI export, included at /programmes/: /programmes/<id>/iati.xml and the
manager's check before publishing, /programmes/<id>/iati/."""

from django.urls import path

from . import iati_views

app_name = "iati"

urlpatterns = [
    path("<int:pk>/iati.xml", iati_views.activity_xml, name="activity"),
    path("<int:pk>/iati/", iati_views.activity_check, name="check"),
]
