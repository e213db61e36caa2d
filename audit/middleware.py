from .models import AuditEvent
from .services import record


class RefusedRequestMiddleware:
    """Write every refused request (403) to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(request, AuditEvent.Action.REFUSED, what=f"{request.method} {request.path}")
        return response
