from django.apps import AppConfig


class WorkbookContentConfig(AppConfig):
    name = "workbook_content"

    def ready(self):
        from courses.blocks import WORKBOOK
        from courses.chapters import register_chapters

        from .models import WorkbookChapter

        register_chapters(WORKBOOK, WorkbookChapter)
