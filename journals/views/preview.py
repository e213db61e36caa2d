"""The editor's live preview, through the same sanitiser as every rendering of an entry."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from ..rendering import markdown_to_html


@login_not_required
@require_POST
def preview(request):
    """Answers 403 rather than a redirect to the login page when the login has ended, so the
    editor's preview box never fills with the login page (the editor says what happened)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return HttpResponse(markdown_to_html(request.POST.get("content", "")))
