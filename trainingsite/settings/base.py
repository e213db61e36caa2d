"""Settings shared by every machine. What differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "trainingsite",
    "backup",
    "learning",
    "packages",
    "courses",
    "workbook_content",
    "trainer_resources",
    "printing",
    "cohorts",
    "journals",
    "evaluation",
    "audit",
    "pdf",
    "kernel",
    "markdownx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trainingsite.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trainingsite.middleware.SessionLimitsMiddleware",
    "trainingsite.middleware.SecondFactorMiddleware",
    "trainingsite.middleware.TemporaryPasswordMiddleware",
    "trainingsite.middleware.NoStoreMiddleware",
    "audit.middleware.RefusedRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Pages outside the Wagtail admin load nothing from another origin and run no inline script.
# The admin is left out: Wagtail's editor needs inline scripts and styles.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

X_FRAME_OPTIONS = "DENY"  # the slides view alone may be framed, by this site's presenter view

ROOT_URLCONF = "trainingsite.urls"
WSGI_APPLICATION = "trainingsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trainingsite.context_processors.roles",
            ],
        },
    },
]


def database_settings(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=int(env("CONN_MAX_AGE", "60")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # One laptop, several gunicorn workers: WAL lets readers and a writer work together,
        # and IMMEDIATE transactions wait for the write lock up front instead of failing
        # half-way through.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {
    "default": database_settings(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username, not an address: a whole classroom shares one address, and one person
# must not lock everyone out.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks for the address as a lockout parameter too; see above for why it is not.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_ABSOLUTE_LIMIT = int(env("SESSION_MAX_HOURS", "10")) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIMIT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Staff (everyone but peer support workers) can be made to confirm sign-in with a code from an
# authenticator app (TOTP).
REQUIRE_TOTP_FOR_STAFF = env_bool("REQUIRE_TOTP_FOR_STAFF", False)
OTP_TOTP_ISSUER = "Peer Support Training"

LOGIN_URL = "login"
LOGIN_URL_PATH = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL_PATH

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static_build/ is made by `make setup` from the npm packages (GOV.UK Frontend compiled with
# our font, reveal.js, Atkinson Hyperlegible): everything is served from this origin.
STATICFILES_DIRS = [BASE_DIR / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Peer Support Training"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: no SVG (it can carry script), documents from a short list, always through Django.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "txt", "csv"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Sign-in recovery: staff or an administrator set a temporary password (trainingsite/
# passwords.py). The admin's e-mail reset only when the site can send mail.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
WAGTAIL_PASSWORD_RESET_ENABLED = bool(EMAIL_HOST)
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English")]
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflows.publish_approved_revision"

CURRICULUM_DIR = BASE_DIR / "courses" / "curriculum"

# Background tasks. Wagtail's own small tasks (reference index, renditions) run at once, as they
# did before; printed books are built by the worker that `make run` starts
# (`manage.py db_worker --backend printing`), never inside a web request.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "printing": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# A book build's worker says it is alive every quarter of this; a build silent for longer is
# taken to have lost its worker and is handed to the next one.
PRINT_BUILD_LEASE_SECONDS = int(env("PRINT_BUILD_LEASE_SECONDS", "60"))

# Journals: Markdown with a live preview (django-markdownx), rendered through our sanitiser.
# No upload URL is routed, so nobody can upload through the editor.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "journals.rendering.markdown_to_html"
MARKDOWNX_EDITOR_RESIZABLE = False
SUPERVISION_INTERVAL_WEEKS = int(env("SUPERVISION_INTERVAL_WEEKS", "6"))

# Retention (issue 7, item 5): days each kind of record is kept before `manage.py purge_expired`
# deletes it, counted from the date in brackets. Trainee records without a period here
# (memberships, certificates, shadowing, the trainee row) stay until the trainee is erased.
RETENTION_DAYS = {
    # Journals (written on) and supervision notes (held on): six years, the limitation period
    # for a claim or complaint about the care a peer worker gave, in which these are evidence.
    "journals": int(env("RETAIN_JOURNALS_DAYS", str(6 * 365))),
    "supervision": int(env("RETAIN_SUPERVISION_DAYS", str(6 * 365))),
    # Attendance (session date): six years, as the training record behind a certificate.
    # Certificates stay checkable by reference after the marks behind them are gone.
    "attendance": int(env("RETAIN_ATTENDANCE_DAYS", str(6 * 365))),
    # Questionnaire responses (completed on): three years, long enough for pre/post and
    # year-on-year comparisons; the anonymised exports are what outlive them.
    "questionnaire_responses": int(env("RETAIN_QUESTIONNAIRES_DAYS", str(3 * 365))),
    # Printed editions no longer current (from when a newer one was built): 90 days, to
    # compare with last term's print. The current edition of each document is always kept.
    "built_pdfs": int(env("RETAIN_OLD_EDITIONS_DAYS", "90")),
    # Audit log (event time): two years, enough to answer "who read my record?" and to look
    # back on an incident. It is append-only on every screen; this purge keeps it bounded.
    "audit_log": int(env("RETAIN_AUDIT_LOG_DAYS", str(2 * 365))),
}
