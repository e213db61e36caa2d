"""Admin reports, logs, usage, search and exports stay inside the viewer's establishments.

An administrator edits a trainee of another prison; the facilitator of the home prison then
walks every admin page they can reach (links followed from the dashboard, plus the reports,
searches and downloads) and the trainee's name is on none of them.
"""

import io
import re
import zipfile
from collections import Counter
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cohorts.models import Cohort, StaffProfile, Trainee
from kernel import roles
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db

ADMIN = "/admin/cohorts"
THEIR_NAME = "Zebedee Quillfeather"
THEIR_COHORT = "Northfield spring cohort"
OUR_NAME = "Alexandra Homewood"

REPORTS = (
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/",
    "/admin/reports/locked/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/aging-pages/",
    "/admin/reports/page-types-usage/",
)
LISTINGS = (
    "cohorts",
    "trainees",
    "members",
    "deliveries",
    "attendance",
    "shadowing",
    "shadowing-log",
    "staff-trainers",
    "trainer-stages",
    "certificates",
    "establishments",
)
HREF = re.compile(r"""href=["']([^"'#]+)""")
SKIPPED = ("/admin/logout/", "/admin/account/", "/admin/jsi18n/")
PER_SHAPE = 2
MOST_PAGES = 500
SITE_HISTORY_QUERIES = 39


def body_text(response) -> str:
    """What a response carries, spreadsheets unpacked."""
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(book.read(name).decode() for name in book.namelist())
    return content.decode(errors="replace")


def shape(url: str) -> str:
    return re.sub(r"\d+", "#", urlsplit(url).path)


def seeds(programme_pk: int, trainee_pk: int, cohort_pk: int) -> list[str]:
    found = ["/admin/"]
    for report in REPORTS:
        found += [report, f"{report}?export=csv", f"{report}?export=xlsx"]
    found += [
        f"/admin/reports/site-history/?label={THEIR_NAME.split()[0]}",
        f"/admin/search/?q={THEIR_NAME.split()[0]}",
        f"/admin/pages/search/?q={THEIR_NAME.split()[0]}",
        f"/admin/pages/{programme_pk}/usage/",
        f"{ADMIN}/trainees/history/{trainee_pk}/",
        f"{ADMIN}/trainees/usage/{trainee_pk}/",
        f"{ADMIN}/cohorts/usage/{cohort_pk}/",
        f"{ADMIN}/staff-trainers/new/",
        "/admin/choose-page/",
        f"/admin/choose-page/search/?q={THEIR_NAME.split()[0]}",
        "/admin/documents/chooser/",
        "/admin/images/chooser/",
        "/admin/workflows/list/",
    ]
    for listing in LISTINGS:
        url = f"{ADMIN}/{listing}/"
        found += [url, f"{url}?q={THEIR_NAME.split()[0]}", f"{url}?export=csv"]
        found += [f"{url}?export=xlsx"]
    return found


def walk(client, start: list[str]) -> dict[str, str]:
    """GET every admin URL reachable from ``start`` (at most ``PER_SHAPE`` of each shape of
    path, ids folded), and return each one's text."""
    queue, seen, texts, shapes = list(start), set(), {}, Counter()
    while queue and len(texts) < MOST_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        texts[url] = text = body_text(response)
        for link in HREF.findall(text):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            if not link.startswith("/admin/") or link.startswith(SKIPPED):
                continue
            if "?" in link and "export=" not in link:
                link = link.split("?")[0]
            if link in seen or shapes[shape(link)] >= PER_SHAPE:
                continue
            shapes[shape(link)] += 1
            queue.append(link)
    return texts


@pytest.fixture
def northfield_edited_by_administrator(django_user_model, users, staff_at_home, elsewhere):
    """The administrator renames a trainee and a cohort of the other prison in the admin and
    adds the cohort's costs; the home facilitator renames one of their own trainees (each in
    their own browser)."""
    theirs = make_cohort(establishment=elsewhere, trainees=1)
    make_cohort(establishment=staff_at_home, trainees=1)
    their_trainee = Trainee.objects.get(establishment=elsewhere)
    our_trainee = Trainee.objects.get(establishment=staff_at_home)
    administrator = django_user_model.objects.create_superuser("root", password="x-y-z-123")

    client = Client()
    client.force_login(administrator)
    edited = client.post(
        f"{ADMIN}/trainees/edit/{their_trainee.pk}/",
        {"establishment": elsewhere.pk, "display_name": THEIR_NAME, "role_status": "active"},
    )
    renamed = client.post(
        f"{ADMIN}/cohorts/edit/{theirs.pk}/",
        {
            "establishment": elsewhere.pk,
            "programme": theirs.programme_id,
            "name": THEIR_COHORT,
            "start_date": "2026-03-02",
            "status": Cohort.Status.RUNNING,
        },
    )
    costed = client.post(
        "/admin/evaluation/cohort-costs/new/",
        {"cohort": theirs.pk, "printing": "12.50", "materials": "3.00", "notes": ""},
    )
    assert edited.status_code == renamed.status_code == costed.status_code == 302
    client = Client()
    client.force_login(users["facilitator"])
    ours_edited = client.post(
        f"{ADMIN}/trainees/edit/{our_trainee.pk}/",
        {"establishment": staff_at_home.pk, "display_name": OUR_NAME, "role_status": "active"},
    )
    assert ours_edited.status_code == 302
    return seeds(theirs.programme_id, their_trainee.pk, theirs.pk), administrator


def pages_naming(texts: dict[str, str], name: str) -> set[str]:
    return {url for url, text in texts.items() if name in text}


def test_another_prisons_trainee_is_named_on_no_admin_page_the_facilitator_reaches(
    client_for, northfield_edited_by_administrator
):
    start, _ = northfield_edited_by_administrator

    texts = walk(client_for("facilitator"), start)

    assert len(texts) > 100
    assert pages_naming(texts, THEIR_NAME) == set()
    assert pages_naming(texts, THEIR_COHORT) == set()
    assert {
        "/admin/reports/site-history/",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/site-history/?export=xlsx",
    } <= pages_naming(texts, OUR_NAME)


def test_the_administrator_still_sees_every_prison_in_the_same_walk(
    client, northfield_edited_by_administrator
):
    start, administrator = northfield_edited_by_administrator
    client.force_login(administrator)

    texts = walk(client, start)

    assert {
        "/admin/reports/site-history/",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/site-history/?export=xlsx",
        f"{ADMIN}/trainees/?export=csv",
    } <= pages_naming(texts, THEIR_NAME)
    assert any("/usage/" in url for url in pages_naming(texts, THEIR_COHORT))


def test_the_site_history_filters_offer_no_one_from_another_prison(
    client_for, northfield_edited_by_administrator
):
    page = client_for("facilitator").get("/admin/reports/site-history/").content.decode()

    assert ">root<" not in page
    assert "facilitator" in page


def test_the_staff_profile_form_offers_a_facilitator_no_account_of_another_prison(
    client_for, users, django_user_model, staff_at_home, elsewhere
):
    django_user_model.objects.create_superuser("root", password="x-y-z-123")
    theirs = django_user_model.objects.create_user("northfield", password="x-y-z-123")
    theirs.groups.add(Group.objects.get(name=roles.LOCAL_TRAINER))
    StaffProfile.objects.create(user=theirs, discipline="nurse").establishments.add(elsewhere)
    newcomer = django_user_model.objects.create_user("newcomer", password="x-y-z-123")
    newcomer.groups.add(Group.objects.get(name=roles.LOCAL_TRAINER))

    form = client_for("facilitator").get(f"{ADMIN}/staff-trainers/new/").content.decode()
    offered = set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', form))

    assert offered == {"newcomer"}


def test_a_programmes_usage_names_no_cohort_of_another_prison(
    client_for, northfield_edited_by_administrator
):
    cohort = Cohort.objects.get(name=THEIR_COHORT)

    page = client_for("facilitator").get(f"/admin/pages/{cohort.programme_id}/usage/")

    assert page.status_code == 200
    assert THEIR_COHORT not in page.content.decode()
    assert "Private cohort" in page.content.decode()


def test_the_site_history_costs_the_same_queries_however_many_cohort_records_it_names(
    client_for, users, staff_at_home, django_assert_num_queries
):
    from wagtail.log_actions import log

    make_cohort(establishment=staff_at_home, trainees=12)
    trainees = list(Trainee.objects.filter(establishment=staff_at_home))
    client = client_for("facilitator")
    for trainee in trainees[:3]:
        log(trainee, "wagtail.edit", user=users["facilitator"])
    client.get("/admin/reports/site-history/")

    with django_assert_num_queries(SITE_HISTORY_QUERIES):
        few = client.get("/admin/reports/site-history/")
    for trainee in trainees[3:]:
        log(trainee, "wagtail.edit", user=users["facilitator"])
    with django_assert_num_queries(SITE_HISTORY_QUERIES):
        many = client.get("/admin/reports/site-history/")

    assert few.content.decode().count("/admin/cohorts/trainees/edit/") == 3
    assert many.content.decode().count("/admin/cohorts/trainees/edit/") == 12
