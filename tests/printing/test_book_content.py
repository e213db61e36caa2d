"""Workbook-only and trainer-only chapters: seeded with real text, edited in the CMS."""

import re

import pytest
import textstat
from django.contrib.auth.models import Group
from wagtail.models import WorkflowContentType

from pdf.rendering import html_for
from tests.helpers import fold, html_text
from trainer_resources.models import TrainerChapter
from trainer_resources.services import load_book_content as load_trainer_book_content
from workbook_content.models import WorkbookChapter
from workbook_content.services import load_book_content as load_workbook_content


def chapter_text(chapter) -> str:
    """Every word of a chapter as printed, one line per paragraph, list item or term."""
    return html_text(html_for("printing/includes/chapter.html", {"chapter": chapter}))


def test_every_chapter_of_both_books_is_seeded_and_published(db):
    assert sorted(WorkbookChapter.objects.filter(live=True).values_list("key", flat=True)) == (
        sorted(key for key, _ in WorkbookChapter.KEYS)
    )
    assert sorted(TrainerChapter.objects.filter(live=True).values_list("key", flat=True)) == (
        sorted(key for key, _ in TrainerChapter.KEYS)
    )
    for chapter in [*WorkbookChapter.objects.all(), *TrainerChapter.objects.all()]:
        assert chapter.live_revision_id is not None
        assert len(chapter_text(chapter)) > 300, chapter.title


def test_glossary_explains_at_least_20_words(db):
    glossary = WorkbookChapter.objects.get(key="glossary")
    terms = [
        item for block in glossary.body if block.block_type == "glossary" for item in block.value
    ]
    assert len(terms) >= 20
    assert all(len(item["meaning"].split()) >= 4 for item in terms)


@pytest.mark.parametrize("key", [key for key, _ in WorkbookChapter.KEYS])
def test_workbook_chapters_read_below_an_age_11_level(db, key):
    """Flesch-Kincaid grade under 6 and no sentence over 20 words, like the sessions."""
    text = chapter_text(WorkbookChapter.objects.get(key=key))
    lines = [fold(line) for line in re.split(r"(?<=[.!?:])\s+|\n", text) if line.strip()]
    assert textstat.flesch_kincaid_grade(". ".join(lines)) < 6
    assert [line for line in lines if len(line.split()) > 20] == []


def test_boundaries_chapter_keeps_buddies_to_safe_practice(db):
    text = fold(chapter_text(WorkbookChapter.objects.get(key="boundaries"))).lower()
    assert "a buddy never lifts anyone" in text
    assert "buddies never give personal care" in text
    for personal_care in ("wash", "dress", "shower", "toilet", "medicines"):
        assert personal_care in text
    assert "always tell staff" in text


def test_looking_after_yourself_covers_offload_supervision_and_who_to_talk_to(db):
    text = chapter_text(WorkbookChapter.objects.get(key="looking_after_yourself"))
    for words in ("Offload sessions", "Supervision", "Who to talk to", "Samaritans"):
        assert words in text


def test_trainer_book_chapters_cover_the_model_the_guide_and_the_forms(db):
    model = chapter_text(TrainerChapter.objects.get(key="train_the_trainers"))
    for stage in ("Observe", "Co-deliver", "Deliver under observation", "Signed off"):
        assert stage in model
    assert "Keeping quality when local staff take over" in model
    guide = TrainerChapter.objects.get(key="supervision_guide")
    frameworks = [block.value["name"] for block in guide.body if block.block_type == "framework"]
    assert frameworks == ["Gibbs' reflective cycle", "What? So what? Now what?"]
    forms = {key: TrainerChapter.objects.get(key=key) for key in TrainerChapter.FORMS}
    assert [block.block_type for block in forms["attendance_register"].body] == [
        "attendance_register"
    ]
    assert [block.block_type for block in forms["session_feedback"].body] == ["feedback_form"]
    assert [block.block_type for block in forms["trainer_sign_off"].body] == ["sign_off_record"]


def test_loading_again_creates_nothing_and_keeps_cms_edits(db):
    chapter = WorkbookChapter.objects.get(key="role")
    chapter.title = "The buddy job, edited in the CMS"
    chapter.save_revision().publish()
    TrainerChapter.objects.get(key="session_feedback").delete()

    assert load_workbook_content() == []
    assert load_trainer_book_content() == ["Session feedback"]
    assert WorkbookChapter.objects.get(key="role").title == "The buddy job, edited in the CMS"
    assert (WorkbookChapter.objects.count(), TrainerChapter.objects.count()) == (6, 5)


def test_chapters_go_through_the_curriculum_review_and_facilitators_may_edit(db):
    for model in (WorkbookChapter, TrainerChapter):
        assert model.get_default_workflow().name == "Curriculum review"
        facilitators = Group.objects.get(name="Facilitator")
        codenames = set(facilitators.permissions.values_list("codename", flat=True))
        name = model._meta.model_name
        assert {f"add_{name}", f"change_{name}"} <= codenames
        assert f"publish_{name}" not in codenames
    assert WorkflowContentType.objects.count() >= 2


@pytest.mark.parametrize("model", [WorkbookChapter, TrainerChapter])
def test_facilitators_find_and_edit_the_chapters_in_the_admin(client_for, model):
    client = client_for("facilitator")
    index = client.get(f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/")
    assert index.status_code == 200
    chapter = model.objects.first()
    assert chapter.title in index.content.decode()
    edit = client.get(
        f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/edit/{chapter.pk}/"
    )
    assert edit.status_code == 200
    assert "Submit to Curriculum review" in edit.content.decode()
