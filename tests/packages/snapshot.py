"""What a programme looks like on one install, in terms that another install's copy of it can
be compared with: each session's content, its reading page and the workbook, with the ids that
differ from one database to another taken out. Run in the test process and, through
``manage.py shell``, in a throwaway install."""

import hashlib
import json
import re

PRIMARY_KEYS = re.compile(r"(?<=[=/-])\d+(?=[/\"&#])")
BLOCK_IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce=")[^"]*')


def _same_on_every_install(html: str) -> str:
    return TOKENS.sub(r"\1", PRIMARY_KEYS.sub("ID", BLOCK_IDS.sub("UUID", html)))


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def snapshot(programme_slug: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from courses.models import ProgrammePage
    from packages.formats import fingerprint
    from packages.services import local_choose, local_plain
    from printing.documents import document_html
    from printing.services import programme_sessions

    programme = ProgrammePage.objects.get(slug=programme_slug)
    sessions = programme_sessions(programme)
    user, _ = get_user_model().objects.get_or_create(username="snapshot", is_superuser=True)
    client = Client()
    client.force_login(user)
    choose = local_choose({})
    pages, content = {}, {}
    for session in sessions:
        response = client.get(session.url)
        assert response.status_code == 200, session.url
        page = _same_on_every_install(_main(response.content.decode()))
        pages[session.slug] = page
        content[session.slug] = fingerprint(local_plain("session", session, choose))
    workbook = _same_on_every_install(document_html("workbook", programme))
    return {
        "order": [session.slug for session in sessions],
        "content": content,
        "pages": pages,
        "workbook": hashlib.sha256(workbook.encode()).hexdigest(),
    }


def print_snapshot(programme_slug: str) -> None:
    print("SNAPSHOT" + json.dumps(snapshot(programme_slug)))
