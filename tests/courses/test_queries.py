"""Page cost does not grow with the size of a programme or a session."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_programme, make_session


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches, as a second visitor would
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_programme_page_queries_do_not_grow_with_its_sessions(client_for):
    client = client_for("trainer")
    small = make_programme([make_session() for _ in range(5)])
    large = make_programme([make_session() for _ in range(50)])
    assert queries_for(client, small.url) == queries_for(client, large.url) == 13


def test_session_page_queries_do_not_grow_with_its_content(client_for):
    client = client_for("trainer")
    small, large = make_session(blocks=5), make_session(blocks=50)
    for suffix in ("", "trainer/", "slides/", "presenter/"):
        small_count = queries_for(client, small.url + suffix)
        assert small_count == queries_for(client, large.url + suffix) == 12


def test_session_page_queries_are_the_same_in_a_programme_of_5_and_of_50(client_for):
    client = client_for("trainer")
    in_small = make_session()
    make_programme([in_small, *[make_session() for _ in range(4)]])
    in_large = make_session()
    make_programme([in_large, *[make_session() for _ in range(49)]])
    assert queries_for(client, in_small.url) == queries_for(client, in_large.url)
