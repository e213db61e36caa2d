"""The editor's previews of printed pages: a session as a workbook or trainer book page, and a
book chapter as it prints. The book feature (``printing``) sits above courses, so it hands
courses the functions that build those previews when it loads (``printing.apps``); courses
never imports it."""

from collections.abc import Callable

from django.http import Http404

_builders: dict[str, Callable[..., dict]] = {}


def register(**builders: Callable[..., dict]) -> None:
    """``session=f(session, audience)`` and ``chapter=f(chapter, request)``, each returning the
    print template's context."""
    _builders.update(builders)


def context(kind: str, *args) -> dict:
    builder = _builders.get(kind)
    if builder is None:
        raise Http404("Printed pages cannot be previewed here.")
    return builder(*args)
