from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cohorts.admin_views import SiteHistoryView
from courses import views as courses_views
from courses.present import present
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
    path("present/", present, name="present"),
    path("curriculum/offline-worker.js", courses_views.offline_worker, name="offline_worker"),
    # Wagtail's site history report with formula-safe downloads, in the place of its own.
    path(
        "admin/reports/site-history/",
        require_admin_access(SiteHistoryView.as_view()),
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
    ),
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
