from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "printing"

    def ready(self):
        from courses import book_previews

        from . import previews, signals  # noqa: F401  (signals: new editions after a publish)

        book_previews.register(session=previews.session_page, chapter=previews.chapter)
