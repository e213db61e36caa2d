from .models import AuditEvent
from .services import NotTheirs, record, record_hidden


class RefusedRequestMiddleware:
    """Write every refused request (403) to the audit log, and every 404 given because the
    record was not the asker's (``NotTheirs``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(request, AuditEvent.Action.REFUSED, what=f"{request.method} {request.path}")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, NotTheirs):
            record_hidden(request, f"{request.path} ({exception.what})")
        return None
