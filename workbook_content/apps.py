from django.apps import AppConfig


class WorkbookContentConfig(AppConfig):
    name = "workbook_content"
