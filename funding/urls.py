from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge"),
    path("pledges/<int:pk>/payments/new/", views.payment_create, name="payment_create"),
    path("all/", views.installation, name="installation"),
    path("all/export.csv", views.installation_csv, name="installation_csv"),
    path("all/export.xlsx", views.installation_xlsx, name="installation_xlsx"),
]
