"""Security headers, the content security policy and no-store on personal pages."""

import subprocess
import sys

import pytest

SIGNED_IN_PAGES = [
    "/",
    "/curriculum/three-day-programme/",
    "/curriculum/communication-in-care/",
    "/curriculum/communication-in-care/trainer/",
    "/curriculum/communication-in-care/slides/",
    "/curriculum/communication-in-care/presenter/",
]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", [*SIGNED_IN_PAGES, "/accounts/login/"])
def test_pages_have_a_policy_of_this_origin_only_with_no_inline_script(client_for, url):
    response = client_for("trainer").get(url)
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    framed_by_presenter_view = url.endswith("/slides/")
    assert directives["frame-ancestors"] == ["'self'" if framed_by_presenter_view else "'none'"]
    for sources in directives.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
        assert all(s.startswith("'") or s == "data:" for s in sources), sources


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_personal_pages_are_never_stored(client_for, url):
    response = client_for("trainer").get(url)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_usual_security_headers_are_sent(client_for):
    response = client_for("trainer").get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_deploy_check_is_clean_with_production_settings():
    """`manage.py check --deploy` under production settings reports nothing."""
    env = {
        "DJANGO_SETTINGS_MODULE": "trainingsite.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "training.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
