"""A cohort's pack: the page that makes it and shows how it is going, and its download.

Only staff who may run cohorts reach these, and only for cohorts of their establishments:
another prison's cohort answers 404, audited (``cohorts.access``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from cohorts import access

from . import packs
from .errors import PrintingError
from .models import Build


def _cohort(request, pk: int):
    if not request.user.has_perm(access.RUN_COHORTS):
        raise PermissionDenied
    return access.cohort_for(request.user, pk)


def _context(cohort) -> dict:
    latest = packs.latest_pack(cohort)
    ready = packs.ready_pack(cohort)
    building = latest if latest is not None and latest.status == Build.Status.BUILDING else None
    return {
        "cohort": cohort,
        "latest": latest,
        "ready": ready,
        "building": building,
        "progress": packs.pack_progress(building) if building else "",
        "failed": latest if latest is not None and latest.status == Build.Status.FAILED else None,
    }


@require_GET
def pack_page(request, cohort: int):
    """What the pack holds, how its build is going, and the newest pack to download."""
    found = _cohort(request, cohort)
    return TemplateResponse(request, "printing/cohort_pack.html", _context(found))


@require_GET
def pack_state(request, cohort: int):
    """The state part of the pack page, for ``pack_page.js`` to swap in without a reload."""
    found = _cohort(request, cohort)
    return TemplateResponse(request, "printing/cohort_pack_state.html", _context(found))


@require_POST
def pack_build(request, cohort: int):
    """The cohort page's button: ask the background worker for a new pack."""
    found = _cohort(request, cohort)
    try:
        packs.request_pack(found, requested_by=request.user)
    except PrintingError as error:
        messages.error(request, error.message)
    return redirect("cohort_pack", cohort=found.pk)


@require_GET
def pack_download(request, cohort: int):
    found = _cohort(request, cohort)
    pack = packs.ready_pack(found)
    file = packs.serve(request, pack) if pack is not None else None
    if file is None:
        raise Http404("This cohort has no pack ready to download.")
    response = FileResponse(
        file, as_attachment=True, filename=pack.download_name, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response
