"""A cohort's pack: one download with everything a prison prints for a cohort.

The pack is a zip of three PDFs, because they go on different paper: the print list with the
estimate of sheets and cost (A4, one side), the paper registers of every scheduled delivery
(A4 portrait, one register to a page) and the certificates of those who completed (A4
landscape, on card if the print room has it). It is built in the background like the books
(``builds.build_pack``); asking for it, seeing how it is going and downloading it go through
here. It names trainees: the views let only staff who may run cohorts at the cohort's
establishment reach it.
"""

import io
import math
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from audit.models import AuditEvent
from audit.services import record
from cohorts.models import Attendance, Cohort, Delivery, Trainee
from cohorts.services import COMPLETED, cohort_completion, issue_certificate, register_trainees
from cohorts.views.certificates import certificate_context
from cohorts.views.registers import SPARE_ROWS
from kernel.people import person_name
from pdf.rendering import PRINT_BASE_URL, html_for, render_pdf

from . import builds, services
from .errors import PrintingError
from .models import Build, CohortPack, PrintSettings

AUTHOR = "Peer Support Training"
PRINT_LIST = "1-print-list.pdf"
REGISTERS = "2-registers.pdf"
CERTIFICATES = "3-certificates.pdf"
MAKING_REGISTERS = "Making the registers"
MAKING_CERTIFICATES = "Making the certificates"
MAKING_PRINT_LIST = "Counting sheets for the print list"


# --- What goes in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    delivery: Delivery
    trainees: list[Trainee]
    trainers: list[str]
    ends_at: object

    @property
    def register_path(self) -> str:
        return reverse("cohorts:register", args=[self.delivery.pk])


def scheduled_deliveries(cohort: Cohort) -> list[Delivery]:
    """The cohort's deliveries still to be held (planned, not cancelled), in time order."""
    return list(
        cohort.deliveries.filter(status=Delivery.Status.PLANNED)
        .select_related("session", "lead_trainer")
        .prefetch_related("co_trainers")
        .order_by("starts_at", "pk")
    )


def registers(cohort: Cohort) -> list[Register]:
    """One paper register for each scheduled delivery, with who is expected at it."""
    found = []
    for delivery in scheduled_deliveries(cohort):
        people = [delivery.lead_trainer, *delivery.co_trainers.all()]
        found.append(
            Register(
                delivery=delivery,
                trainees=list(register_trainees(delivery).order_by("display_name", "pk")),
                trainers=[person_name(p) for p in people if p is not None],
                ends_at=delivery.starts_at + timedelta(minutes=delivery.session.duration),
            )
        )
    return found


def current_members(cohort: Cohort) -> list[Trainee]:
    """Who needs a workbook: the members who have not left the cohort or the role."""
    return list(
        Trainee.objects.filter(memberships__cohort=cohort, memberships__left_on__isnull=True)
        .exclude(role_status=Trainee.RoleStatus.LEFT)
        .order_by("display_name", "pk")
    )


def completers(cohort: Cohort) -> list[Trainee]:
    results = cohort_completion(cohort).values()
    done = [result.trainee for result in results if result.status == COMPLETED]
    return sorted(done, key=lambda trainee: (trainee.display_name.lower(), trainee.pk))


# --- The print list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintLine:
    what: str
    copies: int
    pages: int | None  # pages of one copy; None for a book not built yet
    both_sides: bool
    paper: str = "A4 paper"

    @property
    def sheets_each(self) -> int | None:
        if self.pages is None:
            return None
        return math.ceil(self.pages / 2) if self.both_sides else self.pages

    @property
    def sheets(self) -> int | None:
        return None if self.sheets_each is None else self.copies * self.sheets_each


@dataclass(frozen=True)
class PrintList:
    lines: list[PrintLine]
    pence_per_sheet: Decimal
    large_print_names: list[str] = field(default_factory=list)

    @property
    def sheets(self) -> int:
        return sum(line.sheets or 0 for line in self.lines if line.copies)

    @property
    def cost(self) -> Decimal:
        """In pounds, to the penny."""
        pounds = Decimal(self.sheets) * self.pence_per_sheet / 100
        return pounds.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def not_built(self) -> list[PrintLine]:
        """Books with copies to print whose pages are not known: no edition is built yet."""
        return [line for line in self.lines if line.copies and line.pages is None]


def cost_per_sheet() -> Decimal:
    """Pence per A4 sheet printed on both sides, set in the admin (Settings, Printing costs)."""
    return PrintSettings.load().cost_per_sheet


def book_pages(kind: str, programme) -> int | None:
    """Pages of the current edition of a programme's book, or None when none is built."""
    edition = services.current_edition(kind, programme)
    if edition is None or not services.file_present(edition):
        return None
    return len(PdfReader(edition.file.path).pages)


def print_list(
    cohort: Cohort,
    members: list[Trainee],
    register_pages: int,
    registers_count: int,
    certificates: int,
    own_pages: int = 1,
) -> PrintList:
    documents = services.documents_module()
    large = [trainee for trainee in members if trainee.large_print]
    kinds = documents.DOCUMENT_KINDS
    lines = [
        PrintLine(
            kinds[documents.WORKBOOK_KIND],
            len(members) - len(large),
            book_pages(documents.WORKBOOK_KIND, cohort.programme),
            both_sides=True,
        ),
        PrintLine(
            kinds[documents.LARGE_PRINT_KIND],
            len(large),
            book_pages(documents.LARGE_PRINT_KIND, cohort.programme),
            both_sides=True,
        ),
        PrintLine(
            f"Paper registers ({registers_count})",
            1 if registers_count else 0,
            register_pages,
            both_sides=False,
        ),
        PrintLine(
            "Certificates", certificates, 1, both_sides=False, paper="A4 card if you have it"
        ),
        PrintLine("This print list", 1, own_pages, both_sides=False),
    ]
    return PrintList(lines, cost_per_sheet(), [trainee.display_name for trainee in large])


# --- Making it --------------------------------------------------------------------------------


def _pdf(template: str, context: dict, title: str, *, typographic: bool = True) -> bytes:
    html = html_for(template, {"title": title, **context})
    return render_pdf(
        html, base_url=PRINT_BASE_URL, title=title, author=AUTHOR, typographic=typographic
    )


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def registers_pdf(cohort: Cohort, found: list[Register]) -> bytes:
    context = {
        "kind": "register",
        "stylesheets": ["printing/paper-register.css"],
        "cohort": cohort,
        "registers": found,
        "spare_rows": range(SPARE_ROWS),
        "reasons": Attendance.AbsenceReason.choices,
    }
    # Names are printed as the trainees chose them: no typographic changes.
    return _pdf(
        "printing/pack_registers.html",
        context,
        f"Registers: {cohort.name}",
        typographic=False,
    )


def certificate_pdf(cohort: Cohort, trainee: Trainee, by) -> bytes:
    """One trainee's certificate, issued now if it was not, as the cohort page prints it."""
    certificate = issue_certificate(cohort, trainee, by)
    membership = cohort.memberships.select_related("cohort", "trainee").get(trainee=trainee)
    context = certificate_context(certificate, membership)
    title = f"Certificate {certificate.reference}"
    return _pdf("printing/certificate.html", context, title, typographic=False)


def certificates_pdf(cohort: Cohort, trainees: list[Trainee], by) -> bytes:
    """The certificates one after the other in one PDF, each made by the certificate's own
    template (pypdf joins them)."""
    writer = PdfWriter()
    for trainee in trainees:
        writer.append(PdfReader(io.BytesIO(certificate_pdf(cohort, trainee, by))))
    writer.add_metadata({"/Title": f"Certificates: {cohort.name}", "/Author": AUTHOR})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_list_pdf(cohort: Cohort, pack: CohortPack, contents: PrintList) -> bytes:
    context = {
        "kind": "print-list",
        "stylesheets": ["printing/pack.css"],
        "cohort": cohort,
        "pack": pack,
        "made_on": timezone.localdate(pack.created_at),
        "print_list": contents,
        "files": [PRINT_LIST, REGISTERS, CERTIFICATES],
    }
    return _pdf("printing/pack_print_list.html", context, f"Print list: {cohort.name}")


def pack_file(pack: CohortPack, progress) -> tuple[str, bytes]:
    """The pack's zip, made for ``build_pack``: its name under MEDIA_ROOT and bytes."""
    cohort = pack.cohort
    progress(MAKING_REGISTERS)
    found = registers(cohort)
    files: dict[str, bytes] = {}
    if found:
        files[REGISTERS] = registers_pdf(cohort, found)
    progress(MAKING_CERTIFICATES)
    done = completers(cohort)
    if done:
        files[CERTIFICATES] = certificates_pdf(cohort, done, pack.requested_by)
    progress(MAKING_PRINT_LIST)
    members = current_members(cohort)
    register_pages = page_count(files[REGISTERS]) if found else 0
    own_pages = 1
    for _ in range(2):  # the print list counts its own pages
        contents = print_list(cohort, members, register_pages, len(found), len(done), own_pages)
        listing = print_list_pdf(cohort, pack, contents)
        if page_count(listing) == own_pages:
            break
        own_pages = page_count(listing)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PRINT_LIST, listing)
        for name, data in files.items():
            archive.writestr(name, data)
    return f"packs/{pack.pk}-{pack.download_name}", buffer.getvalue()


def build_pack(pack_id: int) -> CohortPack:
    """Make a cohort's pack and store it, as ``builds.build_edition`` does an edition's PDF;
    once it is ready, the cohort's older packs go."""
    packs = CohortPack.objects.select_related("cohort__establishment", "cohort__programme")
    return builds.run_build(packs, pack_id, pack_file, after=drop_older_packs)


def drop_older_packs(pack: CohortPack) -> None:
    """Once a pack is ready, the cohort's older packs and their files go: a pack names
    trainees, and the newest says all the older ones did."""
    older = CohortPack.objects.filter(cohort_id=pack.cohort_id, created_at__lte=pack.created_at)
    older = older.exclude(pk=pack.pk).exclude(status=Build.Status.BUILDING)
    for old in older:
        if old.file:
            (Path(settings.MEDIA_ROOT) / old.file.name).unlink(missing_ok=True)
    older.delete()


# --- Asking for it, its state, downloading it -------------------------------------------------


def latest_pack(cohort: Cohort) -> CohortPack | None:
    return CohortPack.objects.filter(cohort=cohort).first()


def ready_pack(cohort: Cohort) -> CohortPack | None:
    return (
        CohortPack.objects.filter(cohort=cohort, status=Build.Status.READY).exclude(file="").first()
    )


def prepare_pack(cohort: Cohort, *, requested_by=None) -> tuple[CohortPack, bool]:
    """The cohort's pack being built, or a new building one (``True``). Nothing is built here."""
    for _ in range(3):
        try:
            with transaction.atomic():
                building = CohortPack.objects.filter(
                    cohort=cohort, status=Build.Status.BUILDING
                ).first()
                if building is not None and services.is_stalled(building):
                    services.mark_failed(building, services.stalled_reason(building))
                    building = None
                if building is not None:
                    return building, False
                pack = CohortPack.objects.create(
                    cohort=cohort, progress=services.WAITING, requested_by=requested_by
                )
                return pack, True
        except IntegrityError:
            continue  # asked for at the same moment by someone else: look again
    raise PrintingError("busy", "Someone else is asking for this pack now. Try again.")


def request_pack(cohort: Cohort, *, requested_by=None) -> CohortPack:
    """Ask the background worker for a new pack of the cohort, unless one is being built."""
    pack, created = prepare_pack(cohort, requested_by=requested_by)
    if created:
        builds.enqueue_build(pack)
    elif services.lease_expired(pack):
        builds.recover(pack)
    pack.refresh_from_db()
    return pack


def pack_progress(pack: CohortPack) -> str:
    if pack.status != Build.Status.BUILDING:
        return ""
    if services.lease_expired(pack):
        return services.RESTARTING
    return pack.progress or services.WAITING


def serve(request, pack: CohortPack):
    """The open file of a ready pack after its audit row; the response closes it."""
    path = Path(settings.MEDIA_ROOT) / pack.file.name
    try:
        file = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return None
    made = timezone.localtime(pack.created_at)
    record(
        request,
        AuditEvent.Action.DOWNLOAD,
        what=f"Cohort pack of {pack.cohort.name} ({pack.cohort.establishment}), "
        f"made {made:%d %b %Y %H:%M}",
    )
    return file
