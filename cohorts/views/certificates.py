"""Completion certificates and the staff page that checks a reference."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from pdf.responses import pdf_response

from .. import access
from ..services import (
    CATCH_UPS_ON_THE_FRONT,
    CohortError,
    certificate_catch_ups,
    find_certificate,
    issue_certificate,
    normalise_certificate_reference,
)

CERTIFICATE_STYLESHEETS = ["printing/certificate.css"]


def certificate_context(issued, membership) -> dict:
    """What the certificate template needs: the cohort page's download and a cohort's print
    pack both print it from here."""
    signatory_name, _, signatory_role = issued.signatory.partition(", ")
    catch_ups = certificate_catch_ups(membership)
    return {
        "kind": "certificate",
        "stylesheets": CERTIFICATE_STYLESHEETS,
        "certificate": issued,
        "trainee": membership.trainee,
        "cohort": membership.cohort,
        "signatory_name": signatory_name,
        "signatory_role": signatory_role,
        "check_path": reverse("cohorts:check_certificate"),
        "catch_ups": catch_ups,
        "catch_ups_overleaf": len(catch_ups) > CATCH_UPS_ON_THE_FRONT,
    }


@access.staff_only
def certificate(request, cohort_pk: int, trainee_pk: int):
    """The trainee's certificate as a PDF, issued the first time it is opened. A trainee who has
    not completed gets a page saying so (409: the request is fine, the record is not ready)."""
    cohort = access.cohort_for(request.user, cohort_pk)
    membership = get_object_or_404(
        cohort.memberships.select_related("trainee"), trainee_id=trainee_pk
    )
    try:
        issued = issue_certificate(cohort, membership.trainee, request.user)
    except CohortError as error:
        if error.code != "not_completed":
            raise
        context = {"cohort": cohort, "trainee": membership.trainee, "message": str(error)}
        return render(request, "cohorts/certificate_not_ready.html", context, status=409)
    context = certificate_context(issued, membership)
    return pdf_response(
        request,
        "printing/certificate.html",
        context,
        title=f"Certificate {issued.reference}",
        filename=f"certificate-{issued.reference}.pdf",
    )


@access.staff_only
def check_certificate(request):
    """Look up a certificate by its reference. Any member of staff may check one; the
    trainee's name is shown only to staff of the establishment that issued it."""
    typed = request.GET.get("reference")
    context = {"reference": typed or "", "checked": False, "errors": []}
    if typed is not None and not typed.strip():
        context["errors"] = [("reference", "Enter the reference printed on the certificate")]
    elif typed is not None:
        found = find_certificate(typed)
        context.update(
            checked=True,
            normalised=normalise_certificate_reference(typed),
            certificate=found,
            shows_name=found is not None
            and access.shows_prison_number(request.user, found.cohort.establishment),
        )
    return render(request, "cohorts/check_certificate.html", context)
