"""Questionnaires, hourly costs and cohort costs in the CMS ("Evaluation" menu), and the
questionnaires as paper forms: on their own and in the Trainer Resource Book."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cohorts.models import Cohort
from courses.models import ProgrammePage
from evaluation.models import CohortCosts, Item, Questionnaire
from pdf.rendering import typeset_plain
from printing import documents
from printing.services import fingerprint
from tests.factories import make_cohort

QUESTIONNAIRES = "wagtailsnippets_evaluation_questionnaire"
COHORT_COSTS = "evaluation_cohort_costs"


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> str:
    return fold(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


def questionnaire_form_data(questionnaire: Questionnaire, **changes) -> dict:
    """What the CMS edit form posts for ``questionnaire``, with ``changes`` (``items`` as a
    list of dicts)."""
    items = changes.pop("items", None)
    if items is None:
        items = [
            {
                "id": item.pk,
                "text": item.text,
                "kind": item.kind,
                "reverse_scored": item.reverse_scored,
                "in_score": item.in_score,
            }
            for item in questionnaire.items.all()
        ]
    fields = {
        "title": questionnaire.title,
        "slug": questionnaire.slug,
        "introduction": questionnaire.introduction,
        "audience": questionnaire.audience,
        "choices": "\n".join(questionnaire.choices),
        "lowest_score": questionnaire.lowest_score,
        "scale_name": questionnaire.scale_name,
        "higher_is_better": questionnaire.higher_is_better,
        "items": inline_formset(items, initial=sum(1 for item in items if item.get("id"))),
        **changes,
    }
    time_points = fields.pop("time_points", questionnaire.time_points)
    data = nested_form_data(fields)
    data = {key: value for key, value in data.items() if value is not False}
    data["time_points"] = time_points
    return data


# --- The CMS ----------------------------------------------------------------------------------


def test_the_evaluation_menu_offers_questionnaires_and_costs_to_a_facilitator(client_for):
    page = client_for("facilitator").get("/admin/").content.decode()
    assert "Evaluation" in page
    for url in (
        reverse(f"{QUESTIONNAIRES}:list"),
        reverse("evaluation_hourly_costs:index"),
        reverse(f"{COHORT_COSTS}:index"),
    ):
        assert url in page


def test_a_facilitator_sees_every_questionnaire_in_the_listing(client_for):
    page = client_for("facilitator").get(reverse(f"{QUESTIONNAIRES}:list")).content.decode()
    for title in Questionnaire.objects.values_list("title", flat=True):
        assert title in page
    assert "Before the programme, At the end of the programme" in page


def test_the_edit_form_shows_time_points_as_checkboxes_and_answer_labels_one_a_line(
    client_for, rosenberg
):
    response = client_for("facilitator").get(reverse(f"{QUESTIONNAIRES}:edit", args=[rosenberg.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="checkbox" name="time_points" value="follow_up"' in page
    assert "Strongly disagree\nDisagree\nAgree\nStrongly agree</textarea>" in page
    assert "On the whole, I am satisfied with myself." in page


def test_a_facilitator_edits_a_questionnaire_and_adds_a_question(client_for, rosenberg):
    data = questionnaire_form_data(rosenberg, title="Rosenberg (edited)")
    total = int(data["items-TOTAL_FORMS"])
    data.update(
        {
            f"items-{total}-text": "I am proud of my work as a buddy.",
            f"items-{total}-kind": "rating",
            f"items-{total}-in_score": "on",
            f"items-{total}-ORDER": str(total + 1),
            f"items-{total}-id": "",
            "items-TOTAL_FORMS": str(total + 1),
        }
    )
    data["time_points"] = ["before", "follow_up"]
    data["choices"] = "No\n Not really \n\nYes"
    url = reverse(f"{QUESTIONNAIRES}:edit", args=[rosenberg.pk])
    response = client_for("facilitator").post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    rosenberg.refresh_from_db()
    assert rosenberg.title == "Rosenberg (edited)"
    assert rosenberg.time_points == ["before", "follow_up"]
    assert rosenberg.choices == ["No", "Not really", "Yes"]
    assert rosenberg.items.count() == 11
    assert rosenberg.items.last().text == "I am proud of my work as a buddy."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_points": []}, "Choose at least one time when it is given."),
        ({"time_points": ["before", "next_year"]}, "Select a valid choice."),
        ({"choices": "Yes"}, "Give 2 to 7 answer labels, one a line (there are 1)."),
        (
            {"choices": "\n".join("ABCDEFGH")},
            "Give 2 to 7 answer labels, one a line (there are 8).",
        ),
        ({"choices": "Yes\nNo\nYes"}, "Give each answer label once."),
        (
            {"items": [{"text": "Anything else?", "kind": "text", "in_score": False}]},
            "A scale needs at least one rating question that counts towards the score.",
        ),
        (
            {"items": [{"text": "Agree?", "kind": "rating", "in_score": False}]},
            "A scale needs at least one rating question that counts towards the score.",
        ),
    ],
)
def test_a_questionnaire_that_cannot_be_used_is_refused_with_a_plain_message(
    client_for, changes, message
):
    new_scale = Questionnaire(
        title="New scale",
        slug="new-scale",
        time_points=["before", "end"],
        choices=["No", "Yes"],
        scale_name="Confidence",
    )
    changes.setdefault("items", [{"text": "I feel sure.", "kind": "rating", "in_score": True}])
    data = questionnaire_form_data(new_scale, **changes)
    response = client_for("facilitator").post(reverse(f"{QUESTIONNAIRES}:add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Questionnaire.objects.filter(slug="new-scale").exists()


def test_a_new_questionnaire_with_a_scored_question_is_saved(client_for):
    data = questionnaire_form_data(
        Questionnaire(
            title="Confidence",
            slug="confidence",
            time_points=["end", "before"],
            choices=["Not sure", "Sure"],
            scale_name="Confidence score",
        ),
        items=[
            {"text": "I can help someone eat.", "kind": "rating", "in_score": True},
            {"text": "What else?", "kind": "text", "in_score": False},
        ],
    )
    response = client_for("facilitator").post(reverse(f"{QUESTIONNAIRES}:add"), data)

    assert response.status_code == 302
    saved = Questionnaire.objects.get(slug="confidence")
    assert saved.time_points == ["before", "end"]  # in the order they are given
    assert [i.kind for i in saved.items.all()] == [Item.Kind.RATING, Item.Kind.TEXT]


@pytest.mark.parametrize("username", ["trainer", "education", "trainee", "evaluator"])
def test_only_facilitators_reach_the_evaluation_admin(client_for, username, rosenberg):
    browser = client_for(username)
    for url in (
        reverse(f"{QUESTIONNAIRES}:list"),
        reverse(f"{QUESTIONNAIRES}:edit", args=[rosenberg.pk]),
        reverse("evaluation_hourly_costs:index"),
        reverse(f"{COHORT_COSTS}:index"),
    ):
        response = browser.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_nobody_deletes_a_questionnaire_in_the_admin(client_for, rosenberg):
    url = reverse(f"{QUESTIONNAIRES}:delete", args=[rosenberg.pk])
    assert client_for("facilitator").post(url).status_code in (302, 403)
    assert Questionnaire.objects.filter(pk=rosenberg.pk).exists()


@pytest.fixture
def two_prisons(staff_at_home, elsewhere):
    mine = make_cohort(sessions=1, trainees=1, establishment=staff_at_home)
    theirs = make_cohort(sessions=1, trainees=1, establishment=elsewhere)
    return mine, theirs


def test_cohort_costs_offer_only_cohorts_of_the_facilitators_prisons(client_for, two_prisons):
    mine, theirs = two_prisons
    page = client_for("facilitator").get(reverse(f"{COHORT_COSTS}:add")).content.decode()
    assert f'<option value="{mine.pk}"' in page
    assert f'<option value="{theirs.pk}"' not in page


def test_cohort_costs_of_another_prison_are_not_listed_or_found(client_for, two_prisons):
    mine, theirs = two_prisons
    own = CohortCosts.objects.create(cohort=mine, printing=12, notes="Our workbooks")
    other = CohortCosts.objects.create(cohort=theirs, printing=30, notes="Their workbooks")
    browser = client_for("facilitator")
    listing = browser.get(reverse(f"{COHORT_COSTS}:index")).content.decode()
    assert mine.name in listing
    assert theirs.name not in listing
    assert browser.get(reverse(f"{COHORT_COSTS}:edit", args=[own.pk])).status_code == 200
    assert browser.get(reverse(f"{COHORT_COSTS}:edit", args=[other.pk])).status_code == 404


def test_a_facilitator_records_a_cohorts_costs(client_for, two_prisons):
    mine, theirs = two_prisons
    browser = client_for("facilitator")
    data = {"cohort": mine.pk, "printing": "42.50", "materials": "10", "notes": "Workbooks"}
    assert browser.post(reverse(f"{COHORT_COSTS}:add"), data).status_code == 302
    assert str(Cohort.objects.get(pk=mine.pk).costs.printing) == "42.50"
    data["cohort"] = theirs.pk
    assert browser.post(reverse(f"{COHORT_COSTS}:add"), data).status_code == 200
    assert not CohortCosts.objects.filter(cohort=theirs).exists()


# --- Paper forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["attitudes-to-care", "rosenberg-self-esteem", "session-feedback"])
def test_the_paper_form_holds_every_question_and_the_answer_labels(client_for, slug):
    questionnaire = Questionnaire.objects.get(slug=slug)
    response = client_for("trainer").get(reverse("evaluation:paper_form", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)

    assert text.startswith(questionnaire.title)
    assert "Name or participant code" in text
    assert fold(" ".join(questionnaire.choices)) in text
    for number, item in enumerate(questionnaire.items.all(), 1):
        assert f"{number}. {fold(typeset_plain(item.text))}" in text  # curly quotes in print


def test_the_paper_form_of_people_receiving_support_asks_for_no_name(client_for):
    response = client_for("facilitator").get(
        reverse("evaluation:paper_form", args=["support-received"])
    )
    text = pdf_text(response.content)
    assert "Please do not write your name on this form." in text
    assert "Name or participant code" not in text
    assert "No Sometimes Yes" in text


def test_the_trainer_book_carries_every_questionnaire_after_its_forms(db):
    programme = ProgrammePage.objects.live().get(slug="three-day-programme")
    html = documents.document_html("trainer_book", programme)
    sign_off = html.index('id="chapter-trainer_sign_off"')
    for questionnaire in Questionnaire.objects.all():
        place = html.index(f'id="questionnaire-{questionnaire.slug}"')
        assert place > sign_off
        assert f">{questionnaire.title}</h1>" in html[place:]
    contents = [
        entry.label for entry in documents.document_context("trainer_book", programme)["contents"]
    ]
    assert "Questionnaire: Rosenberg Self-Esteem Scale" in contents


def test_changing_a_question_makes_the_trainer_book_out_of_date(rosenberg):
    programme = ProgrammePage.objects.live().get(slug="three-day-programme")
    book, workbook = fingerprint("trainer_book", programme), fingerprint("workbook", programme)
    item = rosenberg.items.first()
    item.text = "On the whole, I am happy with myself."
    item.save()
    assert fingerprint("trainer_book", programme) != book
    assert fingerprint("workbook", programme) == workbook
