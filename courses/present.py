from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from .models import SessionPage


def present(request):
    """The home page's "Present a session" form: go straight to that session's slides."""
    if not request.user.has_perm("courses.present_session"):
        raise PermissionDenied
    session = get_object_or_404(SessionPage.objects.live(), slug=request.GET.get("session", ""))
    return redirect(session.url + "slides/")
