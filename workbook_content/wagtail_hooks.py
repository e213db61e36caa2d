from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import WorkbookChapter


class WorkbookChapterViewSet(SnippetViewSet):
    model = WorkbookChapter
    icon = "doc-full"
    menu_label = "Workbook chapters"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "key", "live"]
    ordering = ["key"]


register_snippet(WorkbookChapterViewSet)
