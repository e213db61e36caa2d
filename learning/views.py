"""The peer support worker's pages (My learning, studying a session, the answer and progress
endpoints) and the staff pages (a cohort's learning view, how each check went). The rules are
``learning.services``'; these views check who is asking and choose what to show."""

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cohorts.access import TAKE_REGISTER, VIEW_COHORTS, cohort_for, staff_only, trainee_for
from cohorts.models import SelfStudy
from cohorts.services import ChangeError, confirm_self_study
from courses.models import SessionPage
from evaluation.access import report_cohorts, report_readers_only
from evaluation.views.questionnaires import fill_in_url
from kernel import clock

from . import services
from .forms import ConfirmForm
from .models import CheckAnswer, StudyProgress

VIEW_OWN_PROGRESS = "cohorts.view_own_progress"
learners_only = permission_required(VIEW_OWN_PROGRESS, raise_exception=True)
BODY_LIMIT = 4096


@learners_only
def my_learning(request):
    trainee = services.own_trainee(request.user)
    if trainee is None:
        return TemplateResponse(request, "learning/no_trainee_record.html", {})
    learning = services.my_learning(trainee, clock.today())
    context = {
        "learning": learning,
        "questionnaires": [(due, fill_in_url(due)) for due in learning.questionnaires],
    }
    return TemplateResponse(request, "learning/my_learning.html", context)


def _study_session(request, pk: int):
    """The trainee asking and the session, if they may study it; 404 otherwise."""
    trainee = services.own_trainee(request.user)
    session = SessionPage.objects.live().filter(pk=pk).first()
    if trainee is None or session is None or not services.may_study(trainee, session):
        raise Http404
    return trainee, session


@learners_only
def study(request, pk: int):
    trainee, session = _study_session(request, pk)
    parts = services.study_parts(session)
    progress = StudyProgress.objects.filter(trainee=trainee, session=session).first()
    last, right = {}, set()
    for answer in CheckAnswer.objects.filter(trainee=trainee, session=session).order_by(
        "answered_at", "pk"
    ):
        last[answer.check_id] = answer
        if answer.correct:
            right.add(answer.check_id)
    keys = [part.key for part in parts]
    state = {
        "session": session.pk,
        "user": request.user.pk,
        "parts": keys,
        "checks": {
            part.key: [
                {"right": bool(o["right"]), "feedback": o["feedback"]}
                for o in part.value["options"]
            ]
            for part in parts
            if part.is_check
        },
        "seen": [key for key in progress.parts_seen if key in keys] if progress else [],
        "position": progress.position if progress and progress.position in keys else "",
        "savedAt": progress.updated_at.isoformat() if progress else "",
        "right": sorted(right),
        "studied": bool(progress and progress.studied_at),
        "answerUrl": reverse("learning:answer", args=[session.pk]),
        "progressUrl": reverse("learning:progress", args=[session.pk]),
        "loginUrl": f"{reverse('login')}?next={request.path}",
    }
    steps = []
    for part in parts:
        check = None
        if part.is_check:
            kept = last.get(part.key)
            options = part.value["options"]
            chosen = options[kept.option] if kept and kept.option < len(options) else None
            check = {"last": kept if chosen else None, "chosen": chosen, "client_id": uuid.uuid4()}
        steps.append({"part": part, "check": check})
    context = {
        "session": session,
        "page": session,
        "steps": steps,
        "trainee": trainee,
        "state": state,
        "progress": progress,
    }
    return TemplateResponse(request, "learning/study.html", context)


def _posted(request) -> tuple[dict, bool]:
    """The values sent: a JSON body from the study page's script, or the form without it."""
    if request.content_type == "application/json":
        if len(request.body) > BODY_LIMIT:
            raise services.LearningError("too_long", "Too much was sent.")
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise services.LearningError("not_json", "What was sent is not JSON.") from None
        if not isinstance(data, dict):
            raise services.LearningError("not_json", "What was sent is not an object.")
        return data, True
    option = request.POST.get("option", "")
    data = {
        "check": request.POST.get("check"),
        "option": int(option) if option.isascii() and option.isdigit() and len(option) < 3 else -1,
        "client_id": request.POST.get("client_id"),
        "answered_at": timezone.now().isoformat(),
    }
    return data, False


def _refused(error: services.LearningError) -> JsonResponse:
    return JsonResponse({"error": error.code, "message": error.message}, status=400)


@learners_only
@require_POST
def answer(request, pk: int):
    trainee, session = _study_session(request, pk)
    parts = services.study_parts(session)
    try:
        data, as_json = _posted(request)
        kept = services.record_answer(
            trainee,
            session,
            parts,
            check_id=data.get("check"),
            option=data.get("option"),
            client_id=data.get("client_id"),
            answered_at=data.get("answered_at"),
        )
    except services.LearningError as error:
        if request.content_type != "application/json" and error.code == "unknown_option":
            messages.error(request, "Choose an answer, then press Check my answer.")
            return _back_to_part(session, parts, request.POST.get("check"))
        return _refused(error)
    if not as_json:
        return _back_to_part(session, parts, kept.check_id)
    progress = StudyProgress.objects.filter(trainee=trainee, session=session).first()
    return JsonResponse(
        {
            "saved": True,
            "client_id": str(kept.client_id),
            "correct": kept.correct,
            "attempt": kept.attempt,
            "studied": bool(progress and progress.studied_at),
        }
    )


def _back_to_part(session, parts, key) -> HttpResponseRedirect:
    url = reverse("learning:study", args=[session.pk])
    return redirect(f"{url}#part-{key}" if key in {part.key for part in parts} else url)


@learners_only
@require_POST
def progress(request, pk: int):
    trainee, session = _study_session(request, pk)
    parts = services.study_parts(session)
    try:
        data, as_json = _posted(request)
        if not as_json:
            raise services.LearningError("not_json", "Progress is sent as JSON.")
        kept = services.record_progress(
            trainee, session, parts, seen=data.get("seen"), position=data.get("position", "")
        )
    except services.LearningError as error:
        return _refused(error)
    return JsonResponse({"saved": True, "studied": kept.studied_at is not None})


def trainee_answers(request, pk: int, session_pk: int):
    """One trainee's way through one session, every try at every check: for the trainee
    themself and staff of their prison; 404 for anyone else."""
    if not (request.user.has_perm(VIEW_OWN_PROGRESS) or request.user.has_perm(VIEW_COHORTS)):
        raise Http404
    trainee = trainee_for(request.user, pk)
    session = get_object_or_404(SessionPage.objects.live(), pk=session_pk)
    parts = services.study_parts(session)
    answers = CheckAnswer.objects.filter(trainee=trainee, session=session).order_by(
        "answered_at", "pk"
    )
    tries: dict[str, list] = {}
    for item in answers:
        tries.setdefault(item.check_id, []).append(item)
    checks = [
        {
            "part": part,
            "tries": [
                (a, part.value["options"][a.option]["text"])
                for a in tries.get(part.key, [])
                if a.option < len(part.value["options"])
            ],
        }
        for part in parts
        if part.is_check
    ]
    progress = StudyProgress.objects.filter(trainee=trainee, session=session).first()
    seen = set(progress.parts_seen) if progress else set()
    context = {
        "trainee": trainee,
        "session": session,
        "checks": checks,
        "progress": progress,
        "parts_seen": sum(part.key in seen for part in parts),
        "parts_total": len(parts),
        "own": trainee.user_id == request.user.pk,
    }
    return TemplateResponse(request, "learning/trainee_answers.html", context)


@staff_only
def cohort(request, pk: int, form=None, failed: SelfStudy | None = None):
    found = cohort_for(request.user, pk)
    context = {
        "learning": services.cohort_learning(found),
        "can_confirm": request.user.has_perm(TAKE_REGISTER),
        "form": form or ConfirmForm(initial={"talked_on": clock.today()}),
        "failed": failed,
        "today": clock.today(),
    }
    return TemplateResponse(request, "learning/cohort.html", context)


@staff_only
@permission_required(TAKE_REGISTER, raise_exception=True)
@require_POST
def confirm(request, pk: int, self_study_pk: int):
    found = cohort_for(request.user, pk)
    record = get_object_or_404(
        SelfStudy.objects.select_related("membership__trainee", "session"),
        pk=self_study_pk,
        membership__cohort=found,
    )
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            confirm_self_study(record, request.user, form.cleaned_data["talked_on"])
        except ChangeError as error:
            form.add_error("talked_on" if error.field else None, error.message)
        else:
            messages.success(
                request,
                f"Catch-up confirmed: {record.membership.trainee.display_name}, "
                f"{record.session.title}.",
            )
            return redirect(reverse("learning:cohort", args=[found.pk]))
    response = cohort(request, pk, form=form, failed=record)
    response.status_code = 400
    return response


@report_readers_only
def checks(request):
    """Every knowledge check with how learners did, across the cohorts the reader may see:
    counts only, never a name."""
    figures = services.check_figures(report_cohorts(request.user))
    return TemplateResponse(request, "learning/checks.html", {"checks": figures})
