"""The anonymised export for researchers, as CSV and XLSX (``evaluation.export`` builds it).

Each export covers every cohort the reader may see, goes in the audit log, and is sent as an
attachment that no cache keeps. Free-text answers are added only with ``?free_text=1``.
"""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from audit.models import AuditEvent
from audit.services import record
from kernel import clock

from .. import export
from ..access import report_cohorts, report_readers_only

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(request):
    free_text = request.GET.get("free_text") == "1"
    what = "anonymised export" + (" with free text" if free_text else "")
    return export.anonymised_export(report_cohorts(request.user), free_text=free_text), what


def _attachment(content, content_type: str, extension: str, free_text: bool) -> HttpResponse:
    today = clock.today().isoformat()
    name = f"anonymised-export{'-with-free-text' if free_text else ''}-{today}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    add_never_cache_headers(response)
    return response


@report_readers_only
def export_csv(request):
    data, what = _export(request)
    record(request, AuditEvent.Action.EXPORT, what=f"{what} (CSV)")
    return _attachment(export.as_csv(data), "text/csv; charset=utf-8", "csv", data.free_text)


@report_readers_only
def export_xlsx(request):
    data, what = _export(request)
    record(request, AuditEvent.Action.EXPORT, what=f"{what} (XLSX)")
    return _attachment(export.as_xlsx(data), XLSX, "xlsx", data.free_text)
