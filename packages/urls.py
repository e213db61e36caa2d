from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("export/", views.ExportView.as_view(), name="export"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/apply/", views.ApplyView.as_view(), name="apply"),
]
