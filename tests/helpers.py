"""Small helpers shared by the tests."""

import re

from bs4 import BeautifulSoup

from courses.rendering import trainer_only_value


def page_text(response) -> str:
    """The visible text of an HTML response, with white space folded."""
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    return fold(soup.get_text(" "))


def html_text(html: str) -> str:
    """Text of an HTML fragment, one line per paragraph or list item."""
    return BeautifulSoup(html, "html.parser").get_text("\n")


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", fold(text)) if len(s) > 25]


def trainer_only_sentences(session) -> list[str]:
    """Every sentence of a session that only trainers may read."""
    found = sentences(html_text(str(session.safeguarding)))
    for child in session.body:
        for value in trainer_only_value(child).values():
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, int):
                    found += sentences(html_text(str(item)))
    return found
