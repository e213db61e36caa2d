"""Loading the seeded curriculum, and the demo data of `make run`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.models import ProgrammePage, SessionPage
from courses.services import text_to_html


def test_loading_again_creates_nothing_and_keeps_edits(db, capsys):
    session = SessionPage.objects.get(slug="hand-hygiene")
    session.summary = "Edited in the CMS."
    session.save_revision().publish()
    pages_before = SessionPage.objects.count() + ProgrammePage.objects.count()
    call_command("load_curriculum")
    assert SessionPage.objects.count() + ProgrammePage.objects.count() == pages_before
    assert SessionPage.objects.get(slug="hand-hygiene").summary == "Edited in the CMS."
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_update_option_puts_back_the_seeded_text(db):
    session = SessionPage.objects.get(slug="hand-hygiene")
    session.summary = "Edited in the CMS."
    session.save_revision().publish()
    call_command("load_curriculum", "--update")
    assert SessionPage.objects.get(slug="hand-hygiene").summary != "Edited in the CMS."


def test_source_text_is_escaped_into_paragraphs_and_lists():
    html = text_to_html("One <b>line</b>\nwraps.\n\n- a\n- b & c")
    assert html == "<p>One &lt;b&gt;line&lt;/b&gt; wraps.</p><ul><li>a</li><li>b &amp; c</li></ul>"


def test_a_list_right_under_its_lead_in_line_is_a_list_not_hyphens_in_a_paragraph():
    html = text_to_html("Points to draw out:\n- safety first\n- ask staff\nThen sum up.")
    assert html == (
        "<p>Points to draw out:</p><ul><li>safety first</li><li>ask staff</li></ul>"
        "<p>Then sum up.</p>"
    )


def test_demo_is_never_loaded_into_a_database_with_data(db, capsys):
    users_before = get_user_model().objects.count()
    call_command("load_demo")
    assert get_user_model().objects.count() == users_before
    assert "demo data not loaded" in capsys.readouterr().out


@pytest.mark.parametrize("password", ["chosen-demo-password"])
def test_demo_creates_one_account_per_role_with_the_given_password(db, monkeypatch, password):
    get_user_model().objects.all().delete()
    monkeypatch.setenv("DEMO_PASSWORD", password)
    call_command("load_demo")
    for username, group in [
        ("facilitator", "Facilitator"),
        ("trainer", "Local trainer"),
        ("education", "Education department"),
        ("trainee", "Peer support worker"),
        ("evaluator", "Evaluator"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password)
        assert list(user.groups.values_list("name", flat=True)) == [group]
