from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as courses_views
from journals.views import preview as journals_preview

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            extra_context={"login_errors": [("id_username", views.WRONG_LOGIN)]},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("present/", courses_views.present, name="present"),
    re_path(r"^admin/(?:.+/)?chosen/(?![0-9]{1,19}/$)[^/]+/$", views.not_an_id),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("media/images/<path:path>", views.media_image, name="media_image"),
    path("print/", include("printing.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("journal/", include("journals.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("markdownx/markdownify/", journals_preview.preview, name="markdownx_markdownify"),
]

urlpatterns += [path("", include(wagtail_urls))]
