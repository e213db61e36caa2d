"""The anonymised export for researchers: one row per trainee per cohort, as CSV or XLSX.

A trainee is known only by their random participant code (``services.participant_code``): no
display name, no prison number, no user name, no free dates of birth or release. The
establishment's name and the programme are kept (they are not personal); the cohort's start is
kept to the month. Free-text answers go out only when asked for, in a section of their own,
because people write names into them. A cohort of fewer than ``SMALL_GROUP`` people is flagged
on every one of its rows, and the XLSX opens on a warning sheet listing them.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, prefetch_related_objects

from cohorts.models import Attendance, Cohort, Delivery
from cohorts.services import COMPLETION_LABELS, cohort_completion
from kernel.people import spreadsheet_cell

from . import services
from .models import Answer, Item, Questionnaire, Response, TimePoint
from .services import SMALL_GROUP

SCORE_TIME_POINTS = [TimePoint.BEFORE, TimePoint.END, TimePoint.FOLLOW_UP]
REASONS = Attendance.AbsenceReason


@dataclass
class Export:
    columns: list[str]
    rows: list[list]
    free_text_columns: list[str] = field(default_factory=list)
    free_text_rows: list[list] = field(default_factory=list)
    small_groups: list[tuple[Cohort, int]] = field(default_factory=list)
    free_text: bool = False


FREE_TEXT_COLUMNS = [
    "participant_code",
    "cohort_id",
    "questionnaire",
    "time_point",
    "session",
    "completed_month",
    "question",
    "answer",
]


def scales() -> list[Questionnaire]:
    """The trainees' questionnaires that add up to a score, in a fixed order."""
    return list(
        Questionnaire.objects.filter(audience=Questionnaire.Audience.TRAINEE)
        .exclude(scale_name="")
        .order_by("slug")
    )


def small_groups(cohorts) -> list[tuple[Cohort, int]]:
    """The cohorts with fewer than SMALL_GROUP members, with their size."""
    counted = cohorts.annotate(size=Count("memberships")).filter(size__lt=SMALL_GROUP)
    return [
        (cohort, cohort.size)
        for cohort in counted.select_related("establishment").order_by(
            "establishment__name", "start_date", "pk"
        )
    ]


def columns(scored: list[Questionnaire]) -> list[str]:
    return [
        "participant_code",
        "cohort_id",
        "establishment",
        "programme",
        "cohort_start_month",
        "group_size",
        "small_group",
        "role_status",
        "sessions_attended",
        "sessions_caught_up_by_self_study",
        "sessions_required",
        "completion_status",
        "attendance_rate",
        *(f"absences_{reason}" for reason in REASONS.values),
        *(f"{q.slug}_{point}" for q in scored for point in SCORE_TIME_POINTS),
    ]


def anonymised_export(cohorts, *, free_text: bool = False) -> Export:
    """The rows of every member of ``cohorts`` (a queryset the reader may see)."""
    cohort_list = list(
        cohorts.select_related("establishment", "programme").order_by(
            "establishment__name", "start_date", "pk"
        )
    )
    scored = scales()
    completions = {cohort.pk: cohort_completion(cohort) for cohort in cohort_list}
    trainees = {
        result.trainee.pk: result.trainee for by in completions.values() for result in by.values()
    }
    codes = services.participant_codes(trainees)
    absences = _absences(cohort_list)
    scores = _scores(cohort_list, scored)
    rows = []
    for cohort in cohort_list:
        results = sorted(completions[cohort.pk].values(), key=lambda r: codes[r.trainee.pk])
        size = len(results)
        for result in results:
            trainee = result.trainee
            rate = result.attendance_rate
            rows.append(
                [
                    codes[trainee.pk],
                    cohort.pk,
                    cohort.establishment.name,
                    cohort.programme.title,
                    cohort.start_date.strftime("%Y-%m"),
                    size,
                    "yes" if size < SMALL_GROUP else "no",
                    trainee.role_status,
                    result.attended_sessions,
                    result.caught_up_sessions,
                    result.required_sessions,
                    result.status,
                    None if rate is None else round(rate, 3),
                    *(
                        absences.get((cohort.pk, trainee.pk, reason), 0)
                        for reason in REASONS.values
                    ),
                    *(
                        scores.get((cohort.pk, trainee.pk, q.pk, point))
                        for q in scored
                        for point in SCORE_TIME_POINTS
                    ),
                ]
            )
    export = Export(
        columns=columns(scored),
        rows=rows,
        small_groups=small_groups(Cohort.objects.filter(pk__in=[c.pk for c in cohort_list])),
        free_text=free_text,
    )
    if free_text:
        export.free_text_columns = FREE_TEXT_COLUMNS
        export.free_text_rows = _free_text(cohort_list, codes)
    return export


def _absences(cohorts) -> dict[tuple[int, int, str], int]:
    counted = (
        Attendance.objects.filter(
            delivery__cohort__in=cohorts,
            delivery__status__in=Delivery.HELD,
            mark=Attendance.Mark.ABSENT,
        )
        .values_list("delivery__cohort_id", "trainee_id", "absence_reason")
        .annotate(n=Count("pk"))
    )
    return {(cohort, trainee, reason or "other"): n for cohort, trainee, reason, n in counted}


def _scores(cohorts, scored) -> dict[tuple[int, int, int, str], int | None]:
    """Each trainee's scale score per cohort, questionnaire and time point: the latest response
    when there is more than one."""
    responses = (
        Response.objects.filter(
            cohort__in=cohorts,
            trainee__isnull=False,
            questionnaire__in=scored,
            time_point__in=SCORE_TIME_POINTS,
        )
        .prefetch_related("answers")
        .order_by("completed_on", "created_at", "pk")
    )
    prefetch_related_objects(scored, "items")
    by_pk = {q.pk: q for q in scored}
    scores = {}
    for response in responses:
        response.questionnaire = by_pk[response.questionnaire_id]
        key = (response.cohort_id, response.trainee_id, response.questionnaire_id)
        scores[(*key, response.time_point)] = services.scale_score(response)
    return scores


def _free_text(cohorts, codes: dict[int, str]) -> list[list]:
    answers = (
        Answer.objects.filter(
            response__cohort__in=cohorts,
            response__trainee__isnull=False,
            item__kind=Item.Kind.TEXT,
        )
        .exclude(text="")
        .select_related(
            "item", "response__questionnaire", "response__delivery__session", "response__cohort"
        )
        .order_by(
            "response__cohort_id", "response__completed_on", "response_id", "item__sort_order"
        )
    )
    rows = []
    for answer in answers:
        response = answer.response
        if response.trainee_id not in codes:
            continue  # not a member of the cohort any more
        delivery = response.delivery
        rows.append(
            [
                codes[response.trainee_id],
                response.cohort_id,
                response.questionnaire.slug,
                response.time_point,
                delivery.session.title if delivery else "",
                response.completed_on.strftime("%Y-%m"),
                answer.item.text,
                answer.text,
            ]
        )
    return rows


# --- Writing it out ---------------------------------------------------------------------------

WARNING = (
    "Small groups: {count} cohort(s) have fewer than {small} people ({which}). People in a small "
    "group can be recognised from their figures: do not publish these rows on their own."
)
FREE_TEXT_WARNING = (
    "Free-text answers are as the trainees wrote them and may name people. Read them before "
    "sharing."
)


def warnings(export: Export) -> list[str]:
    notes = []
    if export.small_groups:
        which = "; ".join(
            f"cohort {cohort.pk} at {cohort.establishment.name}, {size} people"
            for cohort, size in export.small_groups
        )
        notes.append(WARNING.format(count=len(export.small_groups), small=SMALL_GROUP, which=which))
    if export.free_text:
        notes.append(FREE_TEXT_WARNING)
    return notes


def as_csv(export: Export) -> str:
    """The participants' table; with free text, a blank row, a heading row and the answers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export.columns)
    writer.writerows([spreadsheet_cell(v) for v in row] for row in export.rows)
    if export.free_text:
        writer.writerow([])
        writer.writerow(["Free-text answers"])
        writer.writerow(export.free_text_columns)
        writer.writerows([spreadsheet_cell(v) for v in row] for row in export.free_text_rows)
    return out.getvalue()


def as_xlsx(export: Export) -> bytes:
    """A workbook: a "Read me" sheet first (with the small-group warning), "Participants",
    "Free text" when asked for, and "Columns" describing each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = "Read me"
    about.append(["Anonymised export of the peer support training evaluation"])
    about["A1"].font = Font(bold=True, size=14)
    about.append(
        ["Trainees are known only by a random participant code. No names or prison numbers."]
    )
    for note in warnings(export):
        about.append([spreadsheet_cell(f"Warning: {note}")])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
    about.column_dimensions["A"].width = 120

    sheets = [("Participants", export.columns, export.rows)]
    if export.free_text:
        sheets.append(("Free text", export.free_text_columns, export.free_text_rows))
    for title, heads, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(heads)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([spreadsheet_cell(v) for v in row])
        sheet.freeze_panes = "B2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column[:200])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)

    described = book.create_sheet("Columns")
    described.append(["column", "what it holds"])
    for name in export.columns + (export.free_text_columns if export.free_text else []):
        described.append([name, describe(name)])
    described.column_dimensions["A"].width = 36
    described.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


COLUMN_NOTES = {
    "participant_code": "Random code of the trainee, the same in every export; made from nothing "
    "about them",
    "cohort_id": "Number of the cohort: rows with the same number trained together",
    "establishment": "The prison",
    "programme": "The programme the cohort followed",
    "cohort_start_month": "Year and month the cohort started",
    "group_size": "Members of the cohort",
    "small_group": f"yes when the cohort has fewer than {SMALL_GROUP} members",
    "role_status": "aspiring, active or left (the peer support role, as it stands today)",
    "sessions_attended": "Sessions of the programme the trainee came to",
    "sessions_caught_up_by_self_study": "Sessions of the programme the trainee missed, studied on "
    "screen and talked through with a trainer, who confirmed it (these count towards completion)",
    "sessions_required": "Sessions in the programme",
    "completion_status": ", ".join(COMPLETION_LABELS),
    "attendance_rate": "Held sessions attended / held sessions on the trainee's register (0 to 1)",
    "questionnaire": "Which questionnaire",
    "time_point": ", ".join(TimePoint.values),
    "session": "The session the feedback is about",
    "completed_month": "Year and month it was filled in",
    "question": "The question",
    "answer": "The answer as written",
}


def describe(name: str) -> str:
    if name in COLUMN_NOTES:
        return COLUMN_NOTES[name]
    if name.startswith("absences_"):
        reason = name.removeprefix("absences_")
        return f"Absences from held sessions for: {REASONS(reason).label}"
    for point in SCORE_TIME_POINTS:
        if name.endswith(f"_{point}"):
            slug = name[: -len(point) - 1]
            return f"Scale score on {slug} {point.label.lower()} (empty: not filled in)"
    return ""
