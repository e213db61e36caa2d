from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import TrainerChapter


class TrainerChapterViewSet(SnippetViewSet):
    model = TrainerChapter
    icon = "clipboard-list"
    menu_label = "Trainer book chapters"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "key", "live"]
    ordering = ["key"]


register_snippet(TrainerChapterViewSet)
