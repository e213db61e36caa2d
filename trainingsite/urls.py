from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import password_reset as admin_password_reset
from wagtail.documents import urls as wagtaildocs_urls

from cohorts.admin_views import SiteHistoryView
from courses import views as courses_views
from courses.present import present
from journals.views import preview as journals_preview

from . import password_views, views

# The admin's e-mail password reset answers the same to everyone, signed in or not: a 404
# unless mail is configured (WAGTAIL_PASSWORD_RESET_ENABLED), then the reset form.
admin_password_reset_urls = [
    path(str(p.pattern), login_not_required(p.callback), name=p.name)
    for p in admin_password_reset.urlpatterns
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        views.SignIn.as_view(
            redirect_authenticated_user=True,
            extra_context={"login_errors": [("id_username", views.WRONG_LOGIN)]},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/password/", password_views.change_password, name="change_password"),
    path(
        "accounts/temporary-password/<id:user_pk>/",
        password_views.set_temporary_password,
        name="set_temporary_password",
    ),
    path("admin/password_reset/", include(admin_password_reset_urls)),
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
    re_path(r"^admin/(?:.+/)?chosen/(?![0-9]{1,19}/$)[^/]+/$", views.not_an_id),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("media/images/<path:path>", views.media_image, name="media_image"),
    path("print/", include("printing.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("journal/", include("journals.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("learn/", include("learning.urls")),
    path("markdownx/markdownify/", journals_preview.preview, name="markdownx_markdownify"),
]

urlpatterns += [path("", include(wagtail_urls))]
