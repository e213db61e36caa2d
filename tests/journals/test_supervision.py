"""Supervision meetings: recorded by a supervisor, read by that supervisor and by each peer
worker for their own row only; 404 for everyone else. Who is overdue a meeting. And every
supervision and export URL walked for every role."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse

from audit.models import AuditEvent
from cohorts.models import StaffProfile, Trainee
from journals import services
from journals.models import SupervisionAction, SupervisionMeeting

TODAY = date(2026, 11, 26)
ACTIVE = Trainee.RoleStatus.ACTIVE


def worker(establishment, name, role_status=ACTIVE, **fields):
    return Trainee.objects.create(
        establishment=establishment, display_name=name, role_status=role_status, **fields
    )


def meeting(supervisor, establishment, people, held_on=TODAY, kind="group", actions=()):
    """A meeting with ``people`` as (trainee, wellbeing, notes)."""
    return services.record_meeting(
        establishment=establishment,
        supervisor=supervisor,
        held_on=held_on,
        kind=kind,
        attendees=[services.AttendeeRecord(t, w, n) for t, w, n in people],
        actions=list(actions),
        today=max(held_on, TODAY),
    )


@pytest.fixture
def group(users, staff_at_home, own_trainee):
    """A group meeting led by the trainer with the signed-in peer worker (Sam) and Alex."""
    own_trainee.role_status = ACTIVE
    own_trainee.save()
    alex = worker(staff_at_home, "Alex")
    return meeting(
        users["trainer"],
        staff_at_home,
        [
            (own_trainee, 4, "Sam felt *steady* after the incident."),
            (alex, 2, "Alex is worried about a court date."),
        ],
        actions=[
            services.ActionRecord("Book a one-to-one", date(2026, 11, 20), own_trainee),
            services.ActionRecord("Ask healthcare about support", None, alex),
            services.ActionRecord("Read the offload guide", date(2026, 12, 10)),
        ],
    )


# Recording a meeting ---------------------------------------------------------------------------


def form_data(establishment, **people):
    """The new meeting form as a browser would post it; ``people`` by trainee pk."""
    data = {
        "establishment": establishment.code,
        "held_on": "2026-11-24",
        "kind": "one_to_one",
        "framework": "gibbs",
    }
    for pk, (wellbeing, notes) in people.items():
        data[f"worker-{pk}-present"] = "on"
        data[f"worker-{pk}-wellbeing"] = str(wellbeing)
        data[f"worker-{pk}-notes"] = notes
    return data


def test_a_supervisor_records_a_one_to_one_meeting(client_for, users, staff_at_home):
    sam = worker(staff_at_home, "Sam")
    data = form_data(staff_at_home, **{str(sam.pk): (3, "Talked about *sleep*.")})
    data |= {"action-1-text": "Try the breathing exercise", "action-1-due_on": "2026-12-01"}
    data["action-1-whose"] = str(sam.pk)

    response = client_for("trainer").post(reverse("journals:new_meeting"), data)

    saved = SupervisionMeeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("journals:meeting_detail", args=[saved.pk])
    assert (saved.supervisor, saved.kind, saved.held_on) == (
        users["trainer"],
        "one_to_one",
        date(2026, 11, 24),
    )
    attendee = saved.attendees.get()
    assert (attendee.trainee, attendee.wellbeing, attendee.notes) == (
        sam,
        3,
        "Talked about *sleep*.",
    )
    action = saved.actions.get()
    assert (action.text, action.due_on, action.attendee) == (
        "Try the breathing exercise",
        date(2026, 12, 1),
        attendee,
    )


def test_the_form_offers_only_this_prisons_peer_workers_still_in_the_role(
    client_for, staff_at_home, elsewhere
):
    worker(staff_at_home, "Active Ann")
    worker(staff_at_home, "Aspiring Ash", Trainee.RoleStatus.ASPIRING)
    worker(staff_at_home, "Left Lee", Trainee.RoleStatus.LEFT)
    worker(elsewhere, "Other Olu")

    page = client_for("trainer").get(reverse("journals:new_meeting")).content.decode()

    assert "Active Ann" in page and "Aspiring Ash" in page
    assert "Left Lee" not in page and "Other Olu" not in page


def test_a_peer_worker_of_another_prison_cannot_be_posted_in(client_for, staff_at_home, elsewhere):
    stranger = worker(elsewhere, "Other Olu")
    data = form_data(staff_at_home, **{str(stranger.pk): (3, "")})

    client_for("trainer").post(reverse("journals:new_meeting"), data)

    assert not SupervisionMeeting.objects.exists()


def test_another_prison_cannot_be_chosen(client_for, staff_at_home, elsewhere):
    stranger = worker(elsewhere, "Other Olu")
    data = form_data(elsewhere, **{str(stranger.pk): (3, "")})

    response = client_for("trainer").post(reverse("journals:new_meeting"), data)

    assert response.status_code == 404
    assert not SupervisionMeeting.objects.exists()


@pytest.mark.parametrize("wellbeing", ["0", "6", "-1", "five", ""])
def test_wellbeing_outside_one_to_five_is_refused_by_the_form(client_for, staff_at_home, wellbeing):
    sam = worker(staff_at_home, "Sam")
    data = form_data(staff_at_home, **{str(sam.pk): (wellbeing, "")})

    response = client_for("trainer").post(reverse("journals:new_meeting"), data)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SupervisionMeeting.objects.exists()


def test_a_ticked_peer_worker_needs_a_wellbeing_check(client_for, staff_at_home):
    sam = worker(staff_at_home, "Sam")
    data = form_data(staff_at_home, **{str(sam.pk): ("", "")})

    response = client_for("trainer").post(reverse("journals:new_meeting"), data)

    assert (
        f'href="#id_worker-{sam.pk}-wellbeing_0">Choose how Sam is doing'
        in response.content.decode()
    )
    assert not SupervisionMeeting.objects.exists()


@pytest.mark.parametrize("wellbeing", [0, 6, None])
def test_wellbeing_outside_one_to_five_is_refused_by_the_rules(users, staff_at_home, wellbeing):
    sam = worker(staff_at_home, "Sam")

    with pytest.raises(services.SupervisionError) as refused:
        meeting(users["trainer"], staff_at_home, [(sam, wellbeing, "")], kind="one_to_one")

    assert refused.value.code == "wellbeing_out_of_range"
    assert not SupervisionMeeting.objects.exists()


def test_a_one_to_one_is_with_one_peer_worker(users, staff_at_home):
    people = [(worker(staff_at_home, name), 3, "") for name in ("Sam", "Alex")]

    with pytest.raises(services.SupervisionError) as refused:
        meeting(users["trainer"], staff_at_home, people, kind="one_to_one")

    assert refused.value.code == "one_to_one_needs_one"


def test_a_meeting_cannot_be_dated_in_the_future(users, staff_at_home):
    sam = worker(staff_at_home, "Sam")

    with pytest.raises(services.SupervisionError) as refused:
        services.record_meeting(
            establishment=staff_at_home,
            supervisor=users["trainer"],
            held_on=TODAY + timedelta(days=1),
            kind="one_to_one",
            attendees=[services.AttendeeRecord(sam, 3)],
            today=TODAY,
        )

    assert refused.value.code == "in_the_future"


# Who reads what --------------------------------------------------------------------------------


def test_the_supervisor_reads_every_attendees_wellbeing_and_notes(client_for, group):
    page = client_for("trainer").get(reverse("journals:meeting_detail", args=[group.pk]))

    text = page.content.decode()
    assert "<em>steady</em>" in text
    assert "Alex is worried about a court date." in text
    assert "4 out of 5" in text and "2 out of 5" in text


def test_the_peer_worker_reads_their_own_row_and_never_another_attendees(client_for, group):
    page = client_for("trainee").get(reverse("journals:meeting_detail", args=[group.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "<em>steady</em>" in text and "4 out of 5" in text
    assert "Book a one-to-one" in text and "Read the offload guide" in text
    assert "court date" not in text
    assert "2 out of 5" not in text
    assert "Ask healthcare" not in text
    assert "Alex" not in text


def test_the_peer_workers_list_shows_their_meetings(client_for, group):
    page = client_for("trainee").get(reverse("journals:supervision_list")).content.decode()

    assert "My supervision" in page
    assert reverse("journals:meeting_detail", args=[group.pk]) in page
    assert "Alex" not in page


def test_other_staff_of_the_same_prison_get_404(client_for, group):
    for username in ("facilitator", "reviewer"):
        response = client_for(username).get(reverse("journals:meeting_detail", args=[group.pk]))
        assert response.status_code == 404


def test_a_peer_worker_who_was_not_there_gets_404(client_for, users, staff_at_home):
    Trainee.objects.create(
        establishment=staff_at_home, display_name="Sam", user=users["trainee"], role_status=ACTIVE
    )
    alex = worker(staff_at_home, "Alex")
    theirs = meeting(users["trainer"], staff_at_home, [(alex, 3, "Private")], kind="one_to_one")

    response = client_for("trainee").get(reverse("journals:meeting_detail", args=[theirs.pk]))

    assert response.status_code == 404


def test_the_supervisor_who_moved_prison_no_longer_reads_it(client_for, users, group, elsewhere):
    users["trainer"].staff_profile.establishments.set([elsewhere])

    response = client_for("trainer").get(reverse("journals:meeting_detail", args=[group.pk]))

    assert response.status_code == 404


def test_reading_a_meeting_writes_no_read_event(client_for, group):
    client_for("trainer").get(reverse("journals:meeting_detail", args=[group.pk]))
    client_for("trainee").get(reverse("journals:meeting_detail", args=[group.pk]))
    client_for("facilitator").get(reverse("journals:meeting_detail", args=[group.pk]))

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ).exists()


def test_notes_are_rendered_through_the_sanitiser(client_for, users, staff_at_home):
    sam = worker(staff_at_home, "Sam")
    hostile = '<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">'
    made = meeting(users["trainer"], staff_at_home, [(sam, 3, hostile)], kind="one_to_one")

    text = client_for("trainer").get(reverse("journals:meeting_detail", args=[made.pk])).content

    assert b"<script>alert(1)" not in text
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert b'href="javascript:' not in text
    assert b"[x](javascript:alert(2))" in text
    assert b"<img" not in text


# Actions ---------------------------------------------------------------------------------------


def test_an_overdue_action_is_flagged(client_for, group):
    page = client_for("trainer").get(reverse("journals:meeting_detail", args=[group.pk]))

    text = page.content.decode()
    assert text.count("Overdue</strong>") == 1  # due 20 Nov; the other is due 10 Dec or undated


def test_the_supervisor_marks_an_action_done(client_for, group):
    action = group.actions.get(text="Ask healthcare about support")
    url = reverse("journals:meeting_detail", args=[group.pk])

    response = client_for("trainer").post(url, {"action": action.pk})

    action.refresh_from_db()
    assert response.status_code == 302
    assert action.done


def test_a_peer_worker_marks_their_own_action_done_but_not_anothers(client_for, group):
    own = group.actions.get(text="Book a one-to-one")
    alexs = group.actions.get(text="Ask healthcare about support")
    url = reverse("journals:meeting_detail", args=[group.pk])
    client = client_for("trainee")

    assert client.post(url, {"action": own.pk}).status_code == 302
    assert client.post(url, {"action": alexs.pk}).status_code == 404

    assert SupervisionAction.objects.get(pk=own.pk).done
    assert not SupervisionAction.objects.get(pk=alexs.pk).done


def test_other_staff_cannot_mark_an_action_done(client_for, group):
    action = group.actions.first()
    url = reverse("journals:meeting_detail", args=[group.pk])

    assert client_for("facilitator").post(url, {"action": action.pk}).status_code == 404
    assert not SupervisionAction.objects.get(pk=action.pk).done


# Overdue supervision ---------------------------------------------------------------------------


def test_a_worker_last_supervised_exactly_six_weeks_ago_is_not_overdue(users, home):
    sam = worker(home, "Sam")
    meeting(users["trainer"], home, [(sam, 3, "")], held_on=TODAY - timedelta(weeks=6))

    assert services.supervision_overdue(home, TODAY) == []


def test_a_worker_last_supervised_six_weeks_and_a_day_ago_is_overdue(users, home):
    sam = worker(home, "Sam")
    last = TODAY - timedelta(weeks=6, days=1)
    meeting(users["trainer"], home, [(sam, 3, "")], held_on=last)

    assert services.supervision_overdue(home, TODAY) == [services.OverdueSupervision(sam, last)]


def test_the_latest_meeting_counts(users, home):
    sam = worker(home, "Sam")
    meeting(users["trainer"], home, [(sam, 3, "")], held_on=TODAY - timedelta(weeks=20))
    meeting(users["trainer"], home, [(sam, 3, "")], held_on=TODAY - timedelta(weeks=1))

    assert services.supervision_overdue(home, TODAY) == []


def test_a_worker_never_supervised_is_overdue_first(users, home):
    sam = worker(home, "Sam")
    never = worker(home, "Zed")
    last = TODAY - timedelta(weeks=8)
    meeting(users["trainer"], home, [(sam, 3, "")], held_on=last)

    assert services.supervision_overdue(home, TODAY) == [
        services.OverdueSupervision(never, None),
        services.OverdueSupervision(sam, last),
    ]


def test_workers_who_left_or_are_not_yet_active_are_ignored(home, elsewhere):
    worker(home, "Left Lee", Trainee.RoleStatus.LEFT)
    worker(home, "Aspiring Ash", Trainee.RoleStatus.ASPIRING)
    worker(elsewhere, "Other Olu")

    assert services.supervision_overdue(home, TODAY) == []


def test_the_interval_is_a_setting(settings, users, home):
    settings.SUPERVISION_INTERVAL_WEEKS = 2
    sam = worker(home, "Sam")
    meeting(users["trainer"], home, [(sam, 3, "")], held_on=TODAY - timedelta(weeks=3))

    assert [o.trainee for o in services.supervision_overdue(home, TODAY)] == [sam]


@pytest.mark.parametrize("workers", [3, 30])
def test_the_overdue_tag_takes_one_query_however_many_workers(
    django_assert_num_queries, users, home, workers
):
    people = [worker(home, f"Worker {n}") for n in range(workers)]
    for person in people[::2]:
        meeting(users["trainer"], home, [(person, 3, "")], held_on=TODAY - timedelta(weeks=9))
    template = Template(
        "{% load journal_tags %}{% supervision_overdue establishment as overdue %}"
        "{{ overdue|length }}:{% for o in overdue %}{{ o.trainee.display_name }}"
        "{{ o.last_met }}{% endfor %}"
    )

    with django_assert_num_queries(1):
        text = template.render(Context({"establishment": home}))

    assert text.startswith(f"{workers}:")


def test_the_supervision_list_flags_overdue_workers(client_for, staff_at_home):
    worker(staff_at_home, "Never Ned")

    page = client_for("trainer").get(reverse("journals:supervision_list")).content.decode()

    assert "1 active peer worker has had no supervision for 6 weeks" in page
    assert "Never Ned" in page


def test_the_cohorts_list_flags_overdue_workers_with_a_link(client_for, staff_at_home):
    worker(staff_at_home, "Never Ned")
    worker(staff_at_home, "Never Nia")

    page = client_for("trainer").get(reverse("cohorts:cohort_list")).content.decode()

    assert "2 peer workers have had no supervision for 6 weeks" in page
    assert f'href="{reverse("journals:supervision_list")}#{staff_at_home.code}"' in page


def test_the_cohorts_list_says_nothing_when_nobody_is_overdue(client_for, users, staff_at_home):
    sam = worker(staff_at_home, "Sam")
    meeting(users["trainer"], staff_at_home, [(sam, 3, "")], held_on=date.today())

    page = client_for("trainer").get(reverse("cohorts:cohort_list")).content.decode()

    assert "no supervision" not in page


# Every supervision and export URL, for every role ----------------------------------------------

ROLES = ["facilitator", "trainer", "education", "trainee", "evaluator", None]
# url name -> answer by role; a role not named gets 403, someone not signed in the login page
ANSWERS = {
    "supervision_list": {"facilitator": 200, "trainer": 200, "trainee": 200},
    "new_meeting": {"facilitator": 200, "trainer": 200},
    # led by the trainer at home, with the signed-in peer worker there
    "meeting_detail": {"facilitator": 404, "trainer": 200, "trainee": 200},
    # led by someone at elsewhere, with a peer worker of elsewhere
    "meeting_elsewhere": {"facilitator": 404, "trainer": 404, "trainee": 404},
    "journal_pdf": {"facilitator": 200, "trainer": 200, "trainee": 200},
    "journal_markdown": {"facilitator": 200, "trainer": 200, "trainee": 200},
    "subject_access_export": {},
}


@pytest.fixture
def walk_urls(users, group, elsewhere, own_trainee):
    supervisor = get_user_model().objects.create_user("olu-supervisor")
    StaffProfile.objects.create(user=supervisor, discipline="nurse").establishments.add(elsewhere)
    there = meeting(supervisor, elsewhere, [(worker(elsewhere, "Other"), 3, "x")])
    return {
        "supervision_list": reverse("journals:supervision_list"),
        "new_meeting": reverse("journals:new_meeting"),
        "meeting_detail": reverse("journals:meeting_detail", args=[group.pk]),
        "meeting_elsewhere": reverse("journals:meeting_detail", args=[there.pk]),
        "journal_pdf": reverse("journals:journal_pdf"),
        "journal_markdown": reverse("journals:journal_markdown"),
        "subject_access_export": reverse("journals:subject_access_export", args=[own_trainee.pk]),
    }


@pytest.mark.parametrize("name", list(ANSWERS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_walk(client, client_for, walk_urls, role, name):
    browser = client_for(role) if role else client

    response = browser.get(walk_urls[name])

    expected = 302 if role is None else ANSWERS[name].get(role, 403)
    assert response.status_code == expected
    if role is None:
        assert response.url.startswith(reverse("login"))


def test_a_superuser_can_make_the_subject_access_export(client, walk_urls):
    admin = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(admin)

    response = client.get(walk_urls["subject_access_export"])

    assert response.status_code == 200
