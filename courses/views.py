from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static

from . import book_previews
from .blocks import SLIDES, TRAINER, WORKBOOK
from .rendering import visible

MODES = {
    # mode: (template, permission needed or None)
    "reading": ("courses/session_page.html", None),
    "trainer": ("courses/session_page.html", "courses.view_trainer_material"),
    "slides": ("courses/session_slides.html", "courses.present_session"),
    "presenter": ("courses/session_presenter.html", "courses.present_session"),
    # the editor's previews of the printed pages (HTML with the print stylesheet, no PDF)
    "workbook": ("printing/session_preview.html", None),
    "trainer_book": ("printing/session_preview.html", "courses.view_trainer_material"),
}


def render_session(request, session, mode: str):
    """Render a session as reading page, trainer page, slides, presenter view or book page."""
    template, permission = MODES[mode]
    if permission and not request.user.has_perm(permission):
        raise PermissionDenied
    context = session.get_context(request)
    context["mode"] = mode
    if mode in ("workbook", "trainer_book"):
        rendering = TRAINER if mode == "trainer_book" else WORKBOOK
        context.update(book_previews.context("session", session, rendering))
    elif mode in ("reading", "trainer"):
        rendering = TRAINER if mode == "trainer" else WORKBOOK
        context["rendering"] = rendering
        context["parts"] = visible(session, rendering)
    else:
        slides = visible(session, SLIDES)
        if mode == "slides":
            context["slides"] = [(slide.kind, slide.value) for slide in slides]
            context["embedded"] = request.GET.get("embedded") == "1"
        else:
            context["slides"] = slides
    return TemplateResponse(request, template, context)


DECK_FILES = [
    "vendor/reveal/reveal.js",
    "vendor/reveal/reveal.css",
    "courses/slides.css",
    "courses/slides.js",
    "courses/presenter.css",
    "courses/presenter.js",
    "courses/offline.js",
    "fonts/atkinson-hyperlegible-latin-400-normal.woff2",
    "fonts/atkinson-hyperlegible-latin-700-normal.woff2",
    "fonts/atkinson-hyperlegible-latin-400-italic.woff2",
]


def offline_manifest(request, session):
    """What a laptop keeps to present ``session`` with no network (see courses/offline.js)."""
    if not request.user.has_perm("courses.present_session"):
        raise PermissionDenied
    return JsonResponse(
        {
            "slug": session.slug,
            "title": session.title,
            "pages": [
                session.url + "slides/",
                session.url + "slides/?embedded=1",
                session.url + "presenter/",
            ],
            "files": [static(name) for name in DECK_FILES],
        }
    )


def offline_worker(request):
    """The service worker that serves kept decks; only for staff who present."""
    if not request.user.has_perm("courses.present_session"):
        raise PermissionDenied
    return TemplateResponse(request, "courses/offline_worker.js", content_type="text/javascript")
