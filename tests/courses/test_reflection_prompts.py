"""A reflection prompt is an intro and a list of questions, wherever it appears."""

import importlib
import tomllib

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from courses.models import SessionPage
from courses.services import CurriculumError, session_fields
from courses.views import render_session

SPLIT = importlib.import_module(
    "courses.migrations.0004_reflection_questions_and_named_boxes"
).SplitReflectionQuestions()
QUESTIONS = [
    "What happened?",
    "How did it make you feel?",
    "What did you learn today about listening?",
    "What one thing will you do differently when you talk with the people you help?",
]


def seeded_prompts() -> list[dict]:
    prompts = []
    for path in sorted((settings.CURRICULUM_DIR / "sessions").glob("*.toml")):
        body = tomllib.loads(path.read_text())["body"]
        prompts += [block for block in body if block["type"] == "reflection_prompt"]
    return prompts


@pytest.mark.parametrize(
    "old_prompt",
    [
        "Think about it.\n\n- What happened?\n- How did it make you feel?\n",
        "Think about it.- What happened?- How did it make you feel?",
    ],
)
def test_the_data_migration_takes_the_questions_out_of_the_prompt(old_prompt):
    value = SPLIT.apply({"prompt": old_prompt, "framework": "gibbs", "appears_in": ["slides"]})
    assert value["prompt"] == "Think about it."
    assert [item["value"] for item in value["questions"]] == [
        "What happened?",
        "How did it make you feel?",
    ]
    assert (value["framework"], value["appears_in"]) == ("gibbs", ["slides"])


def test_the_data_migration_keeps_paragraphs_and_leaves_new_prompts_alone():
    value = SPLIT.apply({"prompt": "What? Think.\n\nSo what? Why?\n\nNow what? Do one."})
    assert value["prompt"] == "What? Think."
    assert [item["value"] for item in value["questions"]] == ["So what? Why?", "Now what? Do one."]
    assert SPLIT.apply({"prompt": "Plain.", "questions": []}) == {
        "prompt": "Plain.",
        "questions": [],
    }
    assert SPLIT.apply({"prompt": "Why? Write a line."})["questions"] == []


def test_every_seeded_prompt_lists_its_questions_apart():
    prompts = seeded_prompts()
    assert len(prompts) == 17
    for block in prompts:
        assert len(block["questions"]) >= 2, block["prompt"]
        assert "\n" not in block["prompt"] and "- " not in block["prompt"], block["prompt"]


def test_the_loader_refuses_questions_left_in_the_prompt():
    source = tomllib.loads(
        next((settings.CURRICULUM_DIR / "sessions").glob("06-*.toml")).read_text()
    )
    prompt = next(block for block in source["body"] if block["type"] == "reflection_prompt")
    prompt["prompt"] = "Think about it.\n\n- What happened?\n- Why?"
    with pytest.raises(CurriculumError) as refused:
        session_fields(source)
    assert refused.value.code == "reflection_questions_in_prompt"


def listed_questions(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for box in soup.select(".app-box--reflection, .box--reflection, section[data-kind]"):
        items = [li.get_text(strip=True) for li in box.select("li")]
        if items == QUESTIONS:
            return items
    return []


@pytest.mark.parametrize(
    ("username", "address"),
    [("trainee", ""), ("trainer", "trainer/"), ("trainer", "slides/")],
)
def test_the_questions_are_a_list_on_the_pages_and_slides(client_for, username, address):
    page = SessionPage.objects.live().get(slug="communication-in-care")
    html = client_for(username).get(page.url + address).content.decode()
    assert listed_questions(html) == QUESTIONS


@pytest.mark.parametrize("mode", ["workbook", "trainer_book"])
def test_the_questions_are_a_list_on_the_book_pages(rf, users, mode):
    page = SessionPage.objects.live().get(slug="communication-in-care")
    request = rf.get(page.url)
    request.user = users["facilitator"]
    html = render_session(request, page, mode).render().content.decode()
    assert listed_questions(html) == QUESTIONS
    soup = BeautifulSoup(html, "html.parser")
    write_in = [h.get_text(strip=True) for h in soup.select(".reflect-step__heading")]
    assert write_in == (QUESTIONS if mode == "workbook" else [])
