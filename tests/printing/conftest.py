import datetime
from types import SimpleNamespace

import pytest
from django.db import connection

from courses.models import ProgrammePage, SessionPage
from printing.documents import render_document
from tests.factories import sessions_of
from tests.printing.pdf_reading import Book, Layout

EDITION = SimpleNamespace(number=7, date=datetime.date(2026, 5, 4))
EDITION_TEXT = "Edition 7, 4 May 2026"


@pytest.fixture(scope="session")
def three_day(django_db_setup, django_db_blocker):
    """The three-day programme and its sessions in order, as published by the seed.

    pytest-django creates the test database only when a collected test asks for the database:
    modules using these session fixtures mark their tests ``django_db``.
    """
    if not connection.settings_dict["NAME"].startswith(("test_", "file:memorydb")):
        raise RuntimeError("No test database: mark the tests that use the books django_db.")
    with django_db_blocker.unblock():
        programme = ProgrammePage.objects.live().get(slug="three-day-programme")
        return SimpleNamespace(programme=programme, sessions=sessions_of(programme))


class Books:
    """Each document of the three-day programme, built once (real WeasyPrint) on first use."""

    def __init__(self, three_day, blocker):
        self.three_day = three_day
        self.blocker = blocker
        self.built: dict[str, Book] = {}

    def __getitem__(self, kind: str) -> Book:
        if kind not in self.built:
            with self.blocker.unblock():
                session = None
                if kind == "handout":
                    session = SessionPage.objects.live().get(slug="building-resilience")
                layout = Layout()
                pdf = render_document(
                    kind, self.three_day.programme, session, EDITION, inspect=layout
                )
            self.built[kind] = Book(pdf, splits=layout.splits)
        return self.built[kind]


@pytest.fixture(scope="session")
def books(three_day, django_db_blocker):
    return Books(three_day, django_db_blocker)
