"""Probing leaves a trace: a 404 given because the record is another prison's, or a journal
entry not shared with the reader, is in the audit log (who, when, what was asked, never the
content), at most ``HIDDEN_PER_WINDOW`` rows per person per window, then one row saying so."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from audit import services
from audit.models import AuditEvent
from cohorts.models import Trainee
from journals.models import Framework, JournalEntry
from tests.factories import make_cohort, sessions_of

pytestmark = pytest.mark.django_db

SECRET = "Something only I should read"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def their_cohort(staff_at_home, elsewhere):
    make_cohort(establishment=staff_at_home, trainees=1)
    return make_cohort(establishment=elsewhere, trainees=1)


def hidden(user=None):
    events = AuditEvent.objects.filter(action=AuditEvent.Action.HIDDEN).order_by("pk")
    if user is not None:
        events = events.filter(user=user)
    return list(events.values_list("username", "what"))


@pytest.mark.parametrize("role", ["trainer", "education", "facilitator"])
def test_asking_for_another_prisons_cohort_is_audited(client_for, users, their_cohort, role):
    response = client_for(role).get(f"/cohorts/{their_cohort.pk}/", REMOTE_ADDR="10.9.8.7")

    assert response.status_code == 404
    assert hidden() == [(role, f"GET /cohorts/{their_cohort.pk}/ (cohort {their_cohort.pk})")]
    assert AuditEvent.objects.get(action="hidden").ip_address == "10.9.8.7"


def test_another_prisons_trainee_delivery_and_readiness_are_audited(client_for, their_cohort):
    client = client_for("trainer")
    trainee = Trainee.objects.get(establishment=their_cohort.establishment)
    delivery = their_cohort.deliveries.create(
        session=sessions_of(their_cohort.programme)[0], starts_at="2026-03-02T09:30Z"
    )
    code = their_cohort.establishment.code

    for url in (
        f"/cohorts/trainees/{trainee.pk}/",
        f"/cohorts/deliveries/{delivery.pk}/register/",
        f"/cohorts/establishments/{code}/readiness/",
    ):
        assert client.get(url).status_code == 404

    assert [what for _, what in hidden()] == [
        f"GET /cohorts/trainees/{trainee.pk}/ (trainee {trainee.pk})",
        f"GET /cohorts/deliveries/{delivery.pk}/register/ (delivery {delivery.pk})",
        f"GET /cohorts/establishments/{code}/readiness/ (establishment {code})",
    ]


def test_a_record_that_does_not_exist_is_a_plain_404(client_for, their_cohort):
    client = client_for("trainer")

    assert client.get("/cohorts/987654/").status_code == 404
    assert client.get("/cohorts/establishments/hmp-nowhere/readiness/").status_code == 404
    assert hidden() == []


def test_the_own_prisons_records_leave_no_such_row(client_for, staff_at_home):
    ours = make_cohort(establishment=staff_at_home, trainees=1)

    assert client_for("trainer").get(f"/cohorts/{ours.pk}/").status_code == 200
    assert hidden() == []


def test_reading_a_journal_entry_not_shared_is_audited_without_its_content(
    client_for, users, own_trainee, staff_at_home
):
    entry = JournalEntry.objects.create(
        trainee=own_trainee,
        title=SECRET,
        written_on=date(2026, 11, 20),
        framework=Framework.FREE,
        sections={"text": SECRET},
    )
    client = client_for("trainer")

    assert client.get(f"/journal/{entry.pk}/").status_code == 404
    assert client.post(f"/journal/{entry.pk}/comments/", {"text": "Hi"}).status_code == 404

    assert hidden(users["trainer"]) == [
        ("trainer", f"GET /journal/{entry.pk}/ (journal entry {entry.pk})"),
        ("trainer", f"POST /journal/{entry.pk}/comments/ (journal entry {entry.pk})"),
    ]
    assert not AuditEvent.objects.filter(what__contains=SECRET).exists()


def test_another_prisons_record_in_the_admin_is_audited(client_for, users, their_cohort):
    trainee = Trainee.objects.get(establishment=their_cohort.establishment)
    client = client_for("facilitator")

    for url in (
        f"/admin/cohorts/trainees/edit/{trainee.pk}/",
        f"/admin/cohorts/trainees/history/{trainee.pk}/",
        f"/admin/cohorts/cohorts/usage/{their_cohort.pk}/",
        "/admin/cohorts/trainees/edit/987654/",
        "/admin/cohorts/trainees/edit/not-a-number/",
    ):
        assert client.get(url).status_code == 404

    assert [what for _, what in hidden()] == [
        f"GET /admin/cohorts/trainees/edit/{trainee.pk}/ (trainee {trainee.pk})",
        f"GET /admin/cohorts/trainees/history/{trainee.pk}/ (trainee {trainee.pk})",
        f"GET /admin/cohorts/cohorts/usage/{their_cohort.pk}/ (cohort {their_cohort.pk})",
    ]


def test_a_crawler_leaves_a_bounded_trace_then_one_row_saying_so(client_for, users, their_cohort):
    limit = services.HIDDEN_PER_WINDOW
    crawler = client_for("trainer")

    for _ in range(limit + 15):
        assert crawler.get(f"/cohorts/{their_cohort.pk}/").status_code == 404

    rows = hidden(users["trainer"])
    assert len(rows) == limit + 1
    assert rows[-1] == ("trainer", f"more than {limit} in 10 minutes; the rest are not recorded")


def test_the_bound_is_per_person_and_per_window(client_for, users, their_cohort, monkeypatch):
    limit = services.HIDDEN_PER_WINDOW
    url = f"/cohorts/{their_cohort.pk}/"
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: 1_000_000.0))
    for _ in range(limit + 5):
        client_for("trainer").get(url)

    client_for("education").get(url)
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: 1_000_000.0 + 600))
    client_for("trainer").get(url)

    assert len(hidden(users["education"])) == 1
    assert len(hidden(users["trainer"])) == limit + 2


def test_another_prisons_cohort_report_and_costs_are_audited(client_for, their_cohort):
    from evaluation.models import CohortCosts

    costs = CohortCosts.objects.create(cohort=their_cohort, printing=10)
    report = client_for("trainer").get(f"/evaluation/cohorts/{their_cohort.pk}/")
    edit = client_for("facilitator").get(f"/admin/evaluation/cohort-costs/edit/{costs.pk}/")

    assert report.status_code == edit.status_code == 404
    assert hidden() == [
        ("trainer", f"GET /evaluation/cohorts/{their_cohort.pk}/ (cohort {their_cohort.pk})"),
        (
            "facilitator",
            f"GET /admin/evaluation/cohort-costs/edit/{costs.pk}/ (cohort costs {costs.pk})",
        ),
    ]
