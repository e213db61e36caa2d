from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for monitoring; says nothing about the data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


IMAGE_TYPES = {
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def media_image(request, path: str):
    """Serve curriculum pictures from the media folder, and nothing else from it.

    Documents go through Wagtail's own view; any other file (HTML, script, SVG) is not found.
    """
    content_type = IMAGE_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT / "images")
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
