from django.urls import path

from .views import entries, exports, supervision

app_name = "journals"

urlpatterns = [
    path("", entries.journal_list, name="journal_list"),
    path("new/", entries.new_entry, name="new_entry"),
    path("<id:pk>/", entries.entry_detail, name="entry_detail"),
    path("<id:pk>/edit/", entries.edit_entry, name="edit_entry"),
    path("<id:pk>/share/", entries.share_entry, name="share_entry"),
    path("<id:pk>/comments/", entries.add_comment, name="add_comment"),
    path("for/<id:trainee_pk>/new/", entries.on_behalf_entry, name="on_behalf_entry"),
    path("export.pdf", exports.journal_pdf, name="journal_pdf"),
    path("export.zip", exports.journal_markdown, name="journal_markdown"),
    path(
        "subject-access/<id:trainee_pk>.zip",
        exports.subject_access_export,
        name="subject_access_export",
    ),
    path("supervision/", supervision.supervision_list, name="supervision_list"),
    path("supervision/new/", supervision.new_meeting, name="new_meeting"),
    path("supervision/<id:pk>/", supervision.meeting_detail, name="meeting_detail"),
]
