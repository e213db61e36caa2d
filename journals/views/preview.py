"""The editor's live preview, through the same sanitiser as every rendering of an entry."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ..rendering import markdown_to_html, too_long_message


@login_not_required
@require_POST
def preview(request):
    """Answers 403 rather than a redirect to the login page when the login has ended, so the
    editor's preview box never fills with the login page (the editor says what happened).
    Text over the limit is not rendered: the preview box says how much to take out (413; the
    editor's script shows any answer in the box)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    text = request.POST.get("content", "")
    if message := too_long_message(text):
        return HttpResponse(
            format_html('<p class="app-preview__too-long">{}</p>', message), status=413
        )
    return HttpResponse(markdown_to_html(text))
