from django.urls import path

from . import pack_views, views

urlpatterns = [
    path("", views.print_page, name="print_page"),
    path("states/", views.print_states, name="print_states"),
    path("build/", views.build, name="print_build"),
    path("cohorts/<id:cohort>/pack/", pack_views.pack_page, name="cohort_pack"),
    path("cohorts/<id:cohort>/pack/state/", pack_views.pack_state, name="cohort_pack_state"),
    path("cohorts/<id:cohort>/pack/build/", pack_views.pack_build, name="cohort_pack_build"),
    path(
        "cohorts/<id:cohort>/pack/download/",
        pack_views.pack_download,
        name="cohort_pack_download",
    ),
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
