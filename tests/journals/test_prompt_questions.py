"""A journal entry started from a reflection prompt is headed by the prompt's own questions."""

from django.urls import reverse

from journals.models import QUESTIONS_LIMIT, Framework, JournalEntry
from journals.services import carry_sections
from tests.helpers import page_text

QUESTIONS = ["What happened?", "How did it make you feel?", "What will you do next time?"]


def new_entry_address(**extra) -> str:
    query = "&".join(f"question={q.replace(' ', '+').replace('?', '%3F')}" for q in QUESTIONS)
    rest = "".join(f"&{key}={value}" for key, value in extra.items())
    return (
        f"{reverse('journals:new_entry')}?prompt=Think+about+it.&framework=questions&{query}{rest}"
    )


def entry_data(**fields) -> dict:
    data = {
        "title": "Listening",
        "written_on": "2026-11-26",
        "framework": "questions",
        "sections_framework": "questions",
        "session": "",
        "prompt": "Think about it.",
        "question": QUESTIONS,
        "section-question_1": "He shouted.",
        "section-question_2": "Scared, then calm.",
        "section-question_3": "Listen first.",
    }
    data.update(fields)
    return data


def test_the_editor_opens_with_the_prompts_questions_as_headings(client_for, own_trainee):
    text = page_text(client_for("trainee").get(new_entry_address()))
    assert "The prompt's own questions What happened?, How did it make you feel?" in text
    for question in QUESTIONS:
        assert text.count(question) >= 2  # in the prompt's box and as a heading
    html = client_for("trainee").get(new_entry_address()).content.decode()
    assert 'value="questions" aria-describedby="framework-questions-hint" checked' in html
    assert html.count('<input type="hidden" name="question"') == 3


def test_an_entry_written_under_the_questions_keeps_them(client_for, own_trainee):
    response = client_for("trainee").post(reverse("journals:new_entry"), entry_data())
    entry = JournalEntry.objects.get()
    assert response.status_code == 302
    assert entry.framework == Framework.QUESTIONS
    assert entry.questions == QUESTIONS
    assert [(heading, text) for _, heading, _, text in entry.section_list()] == [
        ("What happened?", "He shouted."),
        ("How did it make you feel?", "Scared, then calm."),
        ("What will you do next time?", "Listen first."),
    ]
    detail = page_text(client_for("trainee").get(response.url))
    assert "What happened? He shouted. How did it make you feel? Scared, then calm." in detail


def test_changing_to_gibbs_carries_the_answers_and_keeps_the_questions_on_offer(
    client_for, own_trainee
):
    data = entry_data(framework="gibbs", change_framework="1")
    response = client_for("trainee").post(reverse("journals:new_entry"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="gibbs" aria-describedby="framework-gibbs-hint" checked' in html
    assert 'value="questions"' in html
    assert "He shouted." in html and "Listen first." in html
    assert not JournalEntry.objects.exists()


def test_without_questions_the_choice_is_not_offered(client_for, own_trainee):
    html = client_for("trainee").get(
        f"{reverse('journals:new_entry')}?prompt=Think&framework=questions"
    )
    text = html.content.decode()
    assert 'value="questions"' not in text
    assert 'value="free" aria-describedby="framework-free-hint" checked' in text


def test_odd_questions_in_the_address_are_trimmed_never_an_error(client_for, own_trainee):
    address = (
        f"{reverse('journals:new_entry')}?framework=questions&question=&question=%20%20"
        + "".join(f"&question=Q{n}{'x' * 400}" for n in range(40))
    )
    response = client_for("trainee").get(address)
    assert response.status_code == 200
    assert response.content.decode().count('<input type="hidden" name="question"') == (
        QUESTIONS_LIMIT
    )


def test_answers_move_between_the_questions_and_a_framework_without_loss():
    typed = {"question_1": "One.", "question_2": "Two.", "question_3": "Three."}
    what = carry_sections("questions", "what", typed, QUESTIONS)
    back = carry_sections("what", "questions", what, QUESTIONS)
    assert back == typed


def test_the_markdown_export_keeps_the_questions_of_an_entry_written_another_way(own_trainee):
    from datetime import date

    from journals.services import entry_markdown, save_entry

    entry = save_entry(
        JournalEntry(trainee=own_trainee),
        title="Listening",
        written_on=date(2026, 11, 26),
        framework=Framework.FREE,
        sections={"text": "I listened."},
        prompt="Think about it.",
        questions=QUESTIONS,
    )
    markdown = entry_markdown(entry)
    assert "> Think about it.\n\n> - What happened?\n> - How did it make you feel?" in markdown
    assert "## Your reflection\n\nI listened." in markdown
