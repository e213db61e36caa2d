from datetime import UTC, datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cohorts.models import Attendance, Delivery, Membership, Trainee
from cohorts.services import (
    DeliveryOutcome,
    RegisterError,
    RegisterMark,
    register_trainees,
    save_register,
)
from tests.factories import make_cohort, sessions_of
from tests.printing.pdf_reading import Book

pytestmark = pytest.mark.django_db

GET_QUERIES = 8
POST_QUERIES = 10


def planned_delivery(cohort, **fields) -> Delivery:
    return Delivery.objects.create(
        cohort=cohort,
        session=sessions_of(cohort.programme)[0],
        starts_at=datetime(2026, 11, 26, 9, 30, tzinfo=UTC),
        location=fields.pop("location", "Education block, room 2"),
        **fields,
    )


def trainees_of(cohort) -> dict[str, Trainee]:
    return {t.display_name: t for t in Trainee.objects.filter(memberships__cohort=cohort)}


def everyone_present(cohort) -> list[RegisterMark]:
    return [RegisterMark(t.pk) for t in trainees_of(cohort).values()]


def form_data(delivery, changes: dict | None = None, **outcome) -> dict:
    """What the register form posts when only ``changes`` (name -> (mark, reason)) differ."""
    data = {
        "status": outcome.get("status", "delivered"),
        "disruption_reason": outcome.get("disruption_reason", ""),
        "led_by": outcome.get("led_by", "visiting_facilitator"),
        "notes": outcome.get("notes", ""),
    }
    for name, trainee in trainees_of(delivery.cohort).items():
        mark, reason = (changes or {}).get(name, ("present", ""))
        data[f"mark-{trainee.pk}"] = mark
        data[f"reason-{trainee.pk}"] = reason
        data[f"remark-{trainee.pk}"] = ""
    return data


def marks_of(delivery) -> dict[str, tuple[str, str]]:
    return {
        a.trainee.display_name: (a.mark, a.absence_reason)
        for a in Attendance.objects.filter(delivery=delivery).select_related("trainee")
    }


@pytest.fixture
def cohort(staff_at_home):
    return make_cohort(trainees=3, establishment=staff_at_home)


@pytest.fixture
def delivery(cohort):
    return planned_delivery(cohort)


# --- The service -------------------------------------------------------------------------------


def test_saving_a_register_records_one_mark_per_trainee(delivery, users):
    trainees = trainees_of(delivery.cohort)
    save_register(
        delivery,
        [
            RegisterMark(trainees["Trainee 1"].pk),
            RegisterMark(trainees["Trainee 2"].pk, "late", remark="Came from healthcare"),
            RegisterMark(trainees["Trainee 3"].pk, "absent", "legal_visit"),
        ],
        users["trainer"],
    )
    assert marks_of(delivery) == {
        "Trainee 1": ("present", ""),
        "Trainee 2": ("late", ""),
        "Trainee 3": ("absent", "legal_visit"),
    }
    remarks = Attendance.objects.filter(delivery=delivery).values_list("remark", flat=True)
    assert "Came from healthcare" in remarks


def test_saving_again_changes_the_marks_instead_of_adding_more(delivery, users):
    save_register(delivery, everyone_present(delivery.cohort), users["trainer"])
    first = trainees_of(delivery.cohort)["Trainee 1"]
    save_register(delivery, [RegisterMark(first.pk, "absent", "unwell")], users["facilitator"])
    assert Attendance.objects.filter(delivery=delivery).count() == 3
    changed = Attendance.objects.get(delivery=delivery, trainee=first)
    assert (changed.mark, changed.absence_reason, changed.recorded_by) == (
        "absent",
        "unwell",
        users["facilitator"],
    )


def test_an_absence_needs_a_reason(delivery, users):
    trainee = trainees_of(delivery.cohort)["Trainee 2"]
    with pytest.raises(RegisterError) as refused:
        save_register(delivery, [RegisterMark(trainee.pk, "absent")], users["trainer"])
    assert refused.value.code == "absence_without_reason"
    assert str(refused.value) == "Choose why Trainee 2 was absent."
    assert not Attendance.objects.filter(delivery=delivery).exists()


def test_only_an_absence_has_a_reason(delivery, users):
    trainee = trainees_of(delivery.cohort)["Trainee 2"]
    with pytest.raises(RegisterError) as refused:
        save_register(delivery, [RegisterMark(trainee.pk, "late", "healthcare")], users["trainer"])
    assert refused.value.code == "reason_without_absence"


def test_a_register_with_one_problem_saves_nothing_at_all(delivery, users):
    marks = everyone_present(delivery.cohort)
    marks[-1] = RegisterMark(marks[-1].trainee_id, "absent")
    with pytest.raises(RegisterError):
        save_register(delivery, marks, users["trainer"])
    delivery.refresh_from_db()
    assert not Attendance.objects.filter(delivery=delivery).exists()
    assert delivery.status == Delivery.Status.PLANNED


def test_marks_for_someone_outside_the_cohort_are_refused(delivery, users, home):
    stranger = Trainee.objects.create(establishment=home, display_name="Not a member")
    with pytest.raises(RegisterError) as refused:
        save_register(
            delivery,
            [*everyone_present(delivery.cohort), RegisterMark(stranger.pk)],
            users["trainer"],
        )
    assert refused.value.code == "not_a_member"
    assert not Attendance.objects.filter(delivery=delivery).exists()


def test_saving_the_register_of_a_planned_delivery_marks_it_delivered(delivery, users):
    save_register(delivery, everyone_present(delivery.cohort), users["trainer"])
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED


def test_the_trainer_records_how_the_session_went(delivery, users):
    outcome = DeliveryOutcome(
        status="disrupted",
        disruption_reason="Lockdown after the first hour",
        led_by="local_staff",
        notes="Good discussion before the alarm.",
    )
    save_register(delivery, everyone_present(delivery.cohort), users["trainer"], outcome=outcome)
    delivery.refresh_from_db()
    assert (
        delivery.status,
        delivery.disruption_reason,
        delivery.led_by,
        delivery.notes,
    ) == ("disrupted", "Lockdown after the first hour", "local_staff", outcome.notes)


def test_a_disruption_needs_a_reason(delivery, users):
    with pytest.raises(RegisterError) as refused:
        save_register(
            delivery,
            everyone_present(delivery.cohort),
            users["trainer"],
            outcome=DeliveryOutcome(status="disrupted"),
        )
    assert refused.value.code == "disruption_without_reason"


def test_a_register_cannot_cancel_or_unplan_a_delivery(delivery, users):
    with pytest.raises(RegisterError) as refused:
        save_register(
            delivery,
            everyone_present(delivery.cohort),
            users["trainer"],
            outcome=DeliveryOutcome(status="planned"),
        )
    assert refused.value.code == "invalid_status"


def test_who_recorded_the_marks_and_whether_from_paper_is_kept(delivery, users):
    save_register(delivery, everyone_present(delivery.cohort), users["trainer"], from_paper=True)
    recorded = set(
        Attendance.objects.filter(delivery=delivery).values_list("recorded_by", "from_paper")
    )
    assert recorded == {(users["trainer"].pk, True)}


def test_the_register_lists_members_who_have_not_left_and_anyone_already_marked(delivery, users):
    trainees = trainees_of(delivery.cohort)
    save_register(delivery, [RegisterMark(trainees["Trainee 1"].pk)], users["trainer"])
    Trainee.objects.filter(pk__in=[trainees["Trainee 1"].pk, trainees["Trainee 2"].pk]).update(
        role_status=Trainee.RoleStatus.LEFT
    )
    listed = {t.display_name for t in register_trainees(delivery)}
    assert listed == {"Trainee 1", "Trainee 3"}


# --- The register screen -----------------------------------------------------------------------


def register_url(delivery) -> str:
    return reverse("cohorts:register", args=[delivery.pk])


def test_the_register_shows_the_session_and_everyone_present_by_default(client_for, delivery):
    response = client_for("trainer").get(register_url(delivery))
    assert response.status_code == 200
    page = response.content.decode()
    assert delivery.session.title in page
    assert delivery.cohort.name in page
    assert "Education block, room 2" in page
    assert "Thursday 26 November 2026" in page
    assert reverse("cohorts:paper_register", args=[delivery.pk]) in page
    for trainee in trainees_of(delivery.cohort).values():
        assert (
            f'id="mark-{trainee.pk}-present" name="mark-{trainee.pk}" type="radio" '
            'value="present" checked' in page
        )
        assert f"Absent, {trainee.display_name}</span>" in page


def test_saving_the_register_form_redirects_with_the_time_it_was_saved(client_for, delivery):
    client = client_for("trainer")
    data = form_data(delivery, {"Trainee 2": ("absent", "regime")}, led_by="local_staff")
    data["from_paper"] = "on"
    response = client.post(register_url(delivery), data)
    assert response.status_code == 302
    assert response["Location"] == register_url(delivery)
    page = client.get(register_url(delivery)).content.decode()
    assert "Register saved. Saved at " in page
    assert marks_of(delivery)["Trainee 2"] == ("absent", "regime")
    assert set(
        Attendance.objects.filter(delivery=delivery).values_list("from_paper", flat=True)
    ) == {True}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.led_by) == ("delivered", "local_staff")


def test_a_reason_chosen_for_someone_not_absent_is_ignored(client_for, delivery):
    data = form_data(delivery, {"Trainee 1": ("present", "healthcare")})
    response = client_for("trainer").post(register_url(delivery), data)
    assert response.status_code == 302
    assert marks_of(delivery)["Trainee 1"] == ("present", "")


def test_a_mistake_shows_an_error_summary_and_keeps_everything_typed(client_for, delivery):
    trainees = trainees_of(delivery.cohort)
    data = form_data(
        delivery,
        {"Trainee 1": ("late", ""), "Trainee 2": ("absent", "")},
        notes="Keep these notes",
    )
    data[f"remark-{trainees['Trainee 1'].pk}"] = "Came after the count"
    response = client_for("trainer").post(register_url(delivery), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    trainee_2 = trainees["Trainee 2"].pk
    assert f'<a href="#reason-{trainee_2}">Choose why Trainee 2 was absent.</a>' in page
    assert (
        f'id="mark-{trainee_2}-absent" name="mark-{trainee_2}" type="radio" value="absent" checked'
        in page
    )
    assert "Came after the count" in page
    assert "Keep these notes" in page
    assert not Attendance.objects.filter(delivery=delivery).exists()


def test_a_script_saving_the_register_gets_json(client_for, delivery):
    client = client_for("trainer")
    ok = client.post(
        register_url(delivery), form_data(delivery), headers={"Accept": "application/json"}
    )
    assert ok.status_code == 200
    assert ok.json()["saved"] is True
    assert len(ok.json()["saved_at"]) == 5
    refused = client.post(
        register_url(delivery),
        form_data(delivery, {"Trainee 3": ("absent", "")}),
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400
    trainee_3 = trainees_of(delivery.cohort)["Trainee 3"].pk
    assert refused.json() == {
        "errors": [{"field": f"reason-{trainee_3}", "message": "Choose why Trainee 3 was absent."}]
    }


def test_the_register_form_refuses_marks_for_non_members(client_for, delivery, home):
    stranger = Trainee.objects.create(establishment=home, display_name="Not a member")
    data = {**form_data(delivery), f"mark-{stranger.pk}": "present"}
    response = client_for("trainer").post(register_url(delivery), data)
    assert response.status_code == 400
    assert "Someone on this register is not in the cohort." in response.content.decode()
    assert not Attendance.objects.filter(delivery=delivery).exists()


def test_another_establishments_register_is_not_found(client_for, staff_at_home, elsewhere):
    theirs = planned_delivery(make_cohort(establishment=elsewhere))
    client = client_for("trainer")
    assert client.get(register_url(theirs)).status_code == 404
    assert client.post(register_url(theirs), form_data(theirs)).status_code == 404
    paper = reverse("cohorts:paper_register", args=[theirs.pk])
    assert client.get(paper).status_code == 404
    assert not Attendance.objects.filter(delivery=theirs).exists()


def test_the_education_department_may_print_but_not_take_the_register(client_for, delivery):
    client = client_for("education")
    assert client.get(register_url(delivery)).status_code == 403
    assert client.post(register_url(delivery), form_data(delivery)).status_code == 403
    paper = client.get(reverse("cohorts:paper_register", args=[delivery.pk]))
    assert paper.status_code == 200
    assert paper["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("size", [5, 50])
def test_the_register_takes_the_same_number_of_queries_for_5_and_50_trainees(
    client_for, staff_at_home, django_assert_num_queries, size
):
    delivery = planned_delivery(make_cohort(trainees=size, establishment=staff_at_home))
    client = client_for("trainer")
    client.get(register_url(delivery))  # the session and permission caches, once
    save_register(delivery, everyone_present(delivery.cohort)[:2], None)
    with django_assert_num_queries(GET_QUERIES):
        client.get(register_url(delivery))
    data = form_data(delivery, {"Trainee 3": ("absent", "work_clash")})
    with django_assert_num_queries(POST_QUERIES):
        response = client.post(register_url(delivery), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(delivery=delivery).count() == size


# --- The paper register ------------------------------------------------------------------------


def test_the_paper_register_names_the_session_and_every_trainee(client_for, delivery, users):
    Membership.objects.filter(trainee__display_name="Trainee 3").update(joined_on=None)
    delivery.lead_trainer = users["trainer"]
    delivery.save()
    response = client_for("trainer").get(reverse("cohorts:paper_register", args=[delivery.pk]))
    assert response.status_code == 200
    book = Book(response.content)
    assert len(book.pages) == 1
    text = " ".join(page.text(part) for page in book.pages for part in ("head", "body", "foot"))
    assert delivery.session.title in text
    assert delivery.cohort.name in text
    assert "26 November 2026" in text
    for name in ("Trainee 1", "Trainee 2", "Trainee 3"):
        assert name in text
    assert f"Key this register in at {register_url(delivery)}" in text


def test_the_paper_register_download_is_audited_without_names(client_for, delivery):
    client_for("trainer").get(reverse("cohorts:paper_register", args=[delivery.pk]))
    event = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).latest("pk")
    assert delivery.session.title in event.what
    assert "Trainee" not in event.what
