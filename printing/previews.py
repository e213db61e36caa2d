"""The editor's previews of printed pages, handed to courses when the app loads. They import
``printing.documents`` (and with it WeasyPrint) only when a preview is asked for."""


def session_page(session, audience: str) -> dict:
    from .documents import session_page_context

    return session_page_context(session, audience)


def chapter(chapter, request) -> dict:
    from .documents import chapter_preview_context

    return chapter_preview_context(chapter, request)
