from django.urls import path

from . import views

urlpatterns = [
    path("", views.print_page, name="print_page"),
    path("states/", views.print_states, name="print_states"),
    path("build/", views.build, name="print_build"),
    path("editions/<id:pk>/download/", views.download_edition, name="print_download_edition"),
    path(
        "<slug:programme>/handout/<slug:session>/download/",
        views.download_current,
        {"kind": "handout"},
        name="print_download_handout",
    ),
    path(
        "<slug:programme>/<slug:kind>/download/",
        views.download_current,
        name="print_download",
    ),
]
