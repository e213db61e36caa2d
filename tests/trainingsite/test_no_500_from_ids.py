"""No id from a request can cause a 500. Every URL pattern of the site, the Wagtail admin's
included, is sent ids that cannot exist (30 digits, just past 64 bits, negative, letters,
non-ASCII digits) as every demo role and as nobody; then every form and link of the pages each
role can reach that carries an id is sent the same values in that field. The answer is never a
server error: a URL id that cannot exist is a 404, a form field a form error. The test prints
how many patterns and fields it covered.

To keep it quick, a role the admin turns away (at /admin/ itself) is sent one value per admin
pattern rather than all of them, and a pattern is posted to only when it refuses GET.
"""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from cohorts.demo import load_demo_cohorts
from evaluation.demo import load_demo_evaluation
from journals.demo import load_demo_journals
from kernel.converters import LARGEST_ID, IdConverter, parse_id
from learning.demo import load_demo_learning
from tests.trainingsite.id_probe import (
    HOSTILE_IDS,
    ID_IN_NAME,
    Forms,
    query_fields,
    replaced,
    routes,
    with_query,
)

ROLES = ["facilitator", "trainer", "education", "trainee", "evaluator", "admin", None]
START_PAGES = [
    "/",
    "/learn/",
    "/cohorts/",
    "/journal/",
    "/journal/supervision/",
    "/evaluation/",
    "/print/",
]
PAGES_PER_ROLE = 80
NOT_CRAWLED = re.compile(r"^/(admin|documents|media|static|accounts)/|\.(pdf|zip|csv|xlsx)$")


@pytest.fixture
def demo(users):
    get_user_model().objects.create_superuser("admin", password="x")
    story = load_demo_cohorts("demo-password")
    load_demo_journals(story)
    load_demo_evaluation(story)
    load_demo_learning(story)
    return story


def signed_in(client, username):
    client.raise_request_exception = False
    client.logout()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def shape(path: str) -> str:
    return re.sub(r"/[0-9]+(?=[/.])", "/N", path)


def test_the_id_converter_takes_only_ids_a_database_can_hold():
    converter = IdConverter()
    assert re.fullmatch(converter.regex, str(LARGEST_ID))
    assert converter.to_python(str(LARGEST_ID)) == LARGEST_ID
    for value in ("0", str(LARGEST_ID + 1), "99999999999999999999"):
        with pytest.raises(ValueError):
            converter.to_python(value)
    assert not re.fullmatch(converter.regex, "١٢")
    assert [parse_id(v) for v in ("12", "0", "-1", "١٢", "9" * 30, "abc", None)] == [
        12, None, None, None, None, None, None,
    ]  # fmt: skip


def test_impossible_ids_in_urls_never_cause_a_server_error(client, demo, report_coverage):
    found, skipped = routes()
    with_ids = [route for route in found if route.id_parameters()]
    failures, sent = [], 0
    for username in ROLES:
        signed_in(client, username)
        admin_refused = client.get("/admin/").status_code != 200
        for route in with_ids:
            values = HOSTILE_IDS
            if admin_refused and route.route.startswith("admin/"):
                values = HOSTILE_IDS[:1]
            for name in route.id_parameters():
                for value in values:
                    url = route.url(**{name: value})
                    answer = client.get(url)
                    sent += 1
                    if answer.status_code == 405:
                        answer = client.post(url)
                        sent += 1
                    if answer.status_code >= 500:
                        failures.append((username, url, answer.status_code))
    report_coverage(
        f"URL patterns: {len(found)} in all, {len(with_ids)} with an id, sent "
        f"{len(HOSTILE_IDS)} impossible ids as {len(ROLES)} roles ({sent} requests); "
        f"not fillable: {', '.join(skipped)}"
    )
    assert not failures, "\n".join(map(str, failures))


def crawl(client, username):
    """The site's own pages this person can reach from the start pages, and their id-bearing
    form fields and query-string parameters."""
    seen_shapes, fields = set(), {}
    queue, pages = deque(START_PAGES), 0
    while queue and pages < PAGES_PER_ROLE:
        path = queue.popleft()
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        answer = client.get(path)
        if answer.status_code != 200 or "html" not in answer.get("Content-Type", ""):
            continue
        pages += 1
        html = answer.content.decode()
        for field in Forms(path, html).fields() + query_fields(path, html):
            name = ID_IN_NAME.sub("N", field.name) if field.in_name else field.name
            fields.setdefault((field.method, shape(field.action), name), field)
        for href in re.findall(r'href="(/[^"#?]*)', html):
            if not NOT_CRAWLED.search(href) and shape(href) not in seen_shapes:
                queue.append(href)
    return pages, fields


def test_impossible_ids_in_forms_and_query_strings_never_cause_a_server_error(
    client, demo, report_coverage
):
    failures, covered, pages_seen = [], set(), 0
    for username in ROLES[:-1]:
        signed_in(client, username)
        pages, fields = crawl(client, username)
        pages_seen += pages
        for key, field in fields.items():
            covered.add(key)
            for value in HOSTILE_IDS:
                data = replaced(field, value)
                if field.method == "post":
                    answer = client.post(field.action, data)
                else:
                    answer = client.get(with_query(urlsplit(field.action).path, data))
                if answer.status_code >= 500:
                    failures.append((username, field.method, field.action, field.name, value))
    report_coverage(
        f"Form fields and query-string ids: {len(covered)} (method, address, field) on "
        f"{pages_seen} pages crawled as {len(ROLES) - 1} roles, each sent "
        f"{len(HOSTILE_IDS)} impossible ids: "
        + ", ".join(sorted({f"{m} {a} {n}" for m, a, n in covered}))
    )
    assert len(covered) >= 10
    assert not failures, "\n".join(map(str, failures))
