"""The register of a delivery: taken on screen, printed on paper, keyed in afterwards."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kernel.converters import parse_id
from kernel.people import person_name
from pdf.responses import pdf_response

from ..access import delivery_for, register_takers_only, staff_only
from ..models import Attendance, Delivery, Trainee
from ..presenting import planned_led_by
from ..services import (
    DeliveryOutcome,
    RegisterError,
    RegisterMark,
    RegisterProblem,
    register_trainees,
    save_register,
)

MARK_PREFIX = "mark-"
SPARE_ROWS = 2  # blank lines on the paper register for someone who is not on the list


@dataclass
class RegisterRow:
    trainee: Trainee
    mark: str = Attendance.Mark.PRESENT
    absence_reason: str = ""
    remark: str = ""
    errors: dict[str, str] = field(default_factory=dict)


@register_takers_only
def register(request, pk):
    delivery = delivery_for(request.user, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        marks = marks_from(request.POST)
        outcome = outcome_from(request.POST)
        from_paper = request.POST.get("from_paper") == "on"
        try:
            save_register(delivery, marks, request.user, from_paper=from_paper, outcome=outcome)
        except RegisterError as error:
            if wants_json:
                return JsonResponse(
                    {"errors": [_json_problem(p) for p in error.problems]}, status=400
                )
            return _render(request, delivery, marks, outcome, from_paper, error.problems)
        saved_at = f"{timezone.localtime():%H:%M}"
        if wants_json:
            return JsonResponse({"saved": True, "saved_at": saved_at})
        messages.success(request, f"Saved at {saved_at}")
        return redirect("cohorts:register", pk=delivery.pk)
    return _render(request, delivery)


def marks_from(data) -> list[RegisterMark]:
    """The marks a register form sent: one per ``mark-<trainee id>`` field. The reason is read
    only for an absence: the reason list is there for every row, whatever its mark."""
    marks = []
    for key in data:
        trainee_id = key.removeprefix(MARK_PREFIX)
        if not key.startswith(MARK_PREFIX) or parse_id(trainee_id) is None:
            continue
        mark = data.get(key, "")
        marks.append(
            RegisterMark(
                trainee_id=int(trainee_id),
                mark=mark,
                absence_reason=(
                    data.get(f"reason-{trainee_id}", "") if mark == Attendance.Mark.ABSENT else ""
                ),
                remark=data.get(f"remark-{trainee_id}", ""),
            )
        )
    return marks


def outcome_from(data) -> DeliveryOutcome | None:
    """How the session went, if the form said; what it left out stays as it was."""
    if "status" not in data:
        return None
    return DeliveryOutcome(
        status=data["status"],
        disruption_reason=data.get("disruption_reason", ""),
        led_by=data.get("led_by"),
        notes=data.get("notes"),
    )


def field_id(problem: RegisterProblem) -> str:
    """The id of the control a problem is about, for the error summary's link."""
    if problem.trainee_id is None:
        return {"status": "status-delivered", "led_by": "led_by-visiting_facilitator"}.get(
            problem.field, problem.field
        )
    return {
        "mark": f"mark-{problem.trainee_id}-present",
        "absence_reason": f"reason-{problem.trainee_id}",
        "remark": f"remark-{problem.trainee_id}",
    }[problem.field]


def _json_problem(problem: RegisterProblem) -> dict:
    return {"field": field_id(problem), "message": problem.message}


def _render(request, delivery, marks=None, outcome=None, from_paper=None, problems=()):
    trainees = list(register_trainees(delivery).order_by("display_name", "pk"))
    saved = {a.trainee_id: a for a in Attendance.objects.filter(delivery=delivery)}
    if marks is None:
        rows = [
            RegisterRow(t, saved[t.pk].mark, saved[t.pk].absence_reason, saved[t.pk].remark)
            if t.pk in saved
            else RegisterRow(t)
            for t in trainees
        ]
    else:
        sent = {m.trainee_id: m for m in marks}
        rows = [
            RegisterRow(t, sent[t.pk].mark, sent[t.pk].absence_reason, sent[t.pk].remark)
            if t.pk in sent
            else RegisterRow(t)
            for t in trainees
        ]
    by_trainee = {row.trainee.pk: row for row in rows}
    outcome_errors = {}
    for problem in problems:
        if problem.trainee_id is None:
            outcome_errors[problem.field] = problem.message
        elif problem.trainee_id in by_trainee:
            by_trainee[problem.trainee_id].errors[problem.field] = problem.message
    if outcome is None:
        outcome = DeliveryOutcome(
            status=(
                delivery.status if delivery.status in Delivery.HELD else Delivery.Status.DELIVERED
            ),
            disruption_reason=delivery.disruption_reason,
            led_by=planned_led_by(delivery),
            notes=delivery.notes,
        )
    if from_paper is None:
        from_paper = any(a.from_paper for a in saved.values())
    ends_at = delivery.starts_at + timedelta(minutes=delivery.session.duration)
    context = {
        "delivery": delivery,
        "cohort": delivery.cohort,
        "ends_at": ends_at,
        "trainers": _trainers(delivery),
        "rows": rows,
        "outcome": outcome,
        "outcome_errors": outcome_errors,
        "from_paper": from_paper,
        "errors": [(field_id(p), p.message) for p in problems],
        "marks": Attendance.Mark.choices,
        "reasons": Attendance.AbsenceReason.choices,
        "statuses": [(s, Delivery.Status(s).label) for s in Delivery.HELD],
        "led_by_choices": Delivery.LedBy.choices,
        "absent_count": sum(row.mark == Attendance.Mark.ABSENT for row in rows),
        # When the register was last saved: the page will not quietly put back older marks
        # kept on this laptop over it.
        "saved_version": max(a.recorded_at for a in saved.values()).isoformat() if saved else "",
    }
    return render(request, "cohorts/register.html", context, status=400 if problems else 200)


def _trainers(delivery: Delivery) -> list[str]:
    people = [delivery.lead_trainer, *delivery.co_trainers.all()]
    return [person_name(p) for p in people if p is not None]


@staff_only
def paper_register(request, pk):
    delivery = delivery_for(request.user, pk)
    trainees = list(register_trainees(delivery).order_by("display_name", "pk"))
    ends_at = delivery.starts_at + timedelta(minutes=delivery.session.duration)
    starts = timezone.localtime(delivery.starts_at)
    title = f"Register: {delivery.session.title}, {delivery.cohort.name}, {starts:%d %B %Y}"
    context = {
        "delivery": delivery,
        "cohort": delivery.cohort,
        "ends_at": ends_at,
        "trainers": _trainers(delivery),
        "trainees": trainees,
        "spare_rows": range(SPARE_ROWS),
        "reasons": Attendance.AbsenceReason.choices,
        "register_path": reverse("cohorts:register", args=[delivery.pk]),
        "stylesheets": ["printing/paper-register.css"],
        "kind": "register",
    }
    return pdf_response(
        request,
        "printing/paper_register.html",
        context,
        title=title,
        filename=f"register-{delivery.pk}.pdf",
    )
