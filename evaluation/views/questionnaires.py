"""Questionnaires filled in on screen, keyed in from paper, and printed as paper forms."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from cohorts.access import VIEW_COHORTS, staff_establishments
from cohorts.models import Cohort, Delivery, Membership, Trainee
from kernel import clock
from kernel.converters import parse_id
from kernel.people import person_name
from pdf.responses import pdf_response

from ..access import ENTER_RESPONSES, response_keyers_only
from ..forms import PAPER_FORM_CSS, AnswersForm, PaperDetailsForm
from ..forms import paper_form as paper_form_layout
from ..models import Questionnaire, Response, TimePoint
from ..services import (
    EvaluationError,
    already_answered,
    find_due,
    questionnaires_due,
    record_response,
)

VIEW_OWN_PROGRESS = "cohorts.view_own_progress"
own_questionnaires_only = permission_required(VIEW_OWN_PROGRESS, raise_exception=True)
RECENTLY_KEYED_IN = 15


def own_trainee(user) -> Trainee | None:
    return Trainee.objects.select_related("establishment").filter(user=user).first()


@own_questionnaires_only
def my_questionnaires(request):
    """What the signed-in peer support worker is asked to fill in now, and what they did."""
    trainee = own_trainee(request.user)
    due, answered = [], []
    if trainee is not None:
        due = questionnaires_due(trainee, clock.today())
        answered = (
            Response.objects.filter(trainee=trainee)
            .select_related("questionnaire", "cohort", "delivery__session")
            .order_by("-completed_on", "-created_at")[:10]
        )
    links = [(item, fill_in_url(item)) for item in due]
    context = {
        "trainee": trainee,
        "due": due,
        "programme_due": [(item, url) for item, url in links if item.delivery is None],
        "sessions_due": [(item, url) for item, url in links if item.delivery is not None],
        "answered": answered,
    }
    return TemplateResponse(request, "evaluation/questionnaire_list.html", context)


def fill_in_url(due) -> str:
    url = reverse("evaluation:fill_in", args=[due.questionnaire.slug])
    return f"{url}?{urlencode(due.query)}"


def _number(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if (pk := parse_id(value)) is None:
        raise Http404
    return pk


@own_questionnaires_only
def fill_in(request, slug):
    """One questionnaire on screen, for a time point and cohort (and session) that is due."""
    trainee = own_trainee(request.user)
    if trainee is None:
        raise Http404
    questionnaire = get_object_or_404(
        Questionnaire.objects.prefetch_related("items"),
        slug=slug,
        audience=Questionnaire.Audience.TRAINEE,
    )
    cohort_id = _number(request.GET.get("cohort"))
    if cohort_id is None or not trainee.memberships.filter(cohort_id=cohort_id).exists():
        raise Http404
    time_point = request.GET.get("time_point", "")
    delivery_id = _number(request.GET.get("delivery"))
    due = find_due(
        trainee,
        questionnaire,
        clock.today(),
        cohort_id=cohort_id,
        time_point=time_point,
        delivery_id=delivery_id,
    )
    if due is None:
        if already_answered(
            trainee,
            questionnaire,
            cohort_id=cohort_id,
            time_point=time_point,
            delivery_id=delivery_id,
        ):
            messages.info(
                request, f"You have already filled in “{questionnaire.title}”. Thank you."
            )
            return redirect("evaluation:my_questionnaires")
        raise Http404
    form = AnswersForm(questionnaire, request.POST or None)
    errors = []
    if request.method == "POST":
        if form.is_valid():
            try:
                record_response(
                    questionnaire,
                    form.answers(),
                    trainee=trainee,
                    establishment=trainee.establishment,
                    cohort=due.cohort,
                    delivery=due.delivery,
                    time_point=due.time_point,
                    completed_on=clock.today(),
                    entered_by=request.user,
                )
            except EvaluationError as error:
                errors = [("questions", str(error))]
            else:
                messages.success(
                    request, f"Thank you. Your answers to “{questionnaire.title}” are saved."
                )
                return redirect("evaluation:my_questionnaires")
        else:
            errors = form.error_list()
    context = {
        "questionnaire": questionnaire,
        "due": due,
        "form": form,
        "questions": form.questions(),
        "errors": errors,
        "action": request.get_full_path(),
    }
    return TemplateResponse(request, "evaluation/questionnaire_fill_in.html", context)


def paper_form(request, slug):
    """The printed form of a questionnaire, for staff to hand out and key in afterwards."""
    if not (request.user.has_perm(VIEW_COHORTS) or request.user.has_perm(ENTER_RESPONSES)):
        raise PermissionDenied
    questionnaire = get_object_or_404(Questionnaire.objects.prefetch_related("items"), slug=slug)
    context = paper_form_context(questionnaire)
    return pdf_response(
        request,
        "printing/questionnaire_form.html",
        context,
        title=questionnaire.title,
        filename=f"{questionnaire.slug}.pdf",
        typographic=True,
    )


def paper_form_context(questionnaire: Questionnaire) -> dict:
    return {
        "kind": "questionnaire_form",
        "paper": paper_form_layout(questionnaire),
        "stylesheets": [PAPER_FORM_CSS],
        "key_in_path": reverse("evaluation:key_in"),
    }


def _keyed_in_recently(establishments):
    return (
        Response.objects.filter(from_paper=True, establishment__in=establishments)
        .select_related(
            "questionnaire", "trainee", "cohort", "establishment", "delivery__session", "entered_by"
        )
        .order_by("-created_at")[:RECENTLY_KEYED_IN]
    )


@response_keyers_only
def key_in(request):
    """Key in a paper questionnaire: choose the form, then whose it is, when it was given, and
    the answers ticked on it."""
    establishments = staff_establishments(request.user)
    slug = request.GET.get("questionnaire")
    if not slug:
        context = {
            "questionnaires": Questionnaire.objects.order_by("audience", "title"),
            "recent": _keyed_in_recently(establishments),
        }
        return TemplateResponse(request, "evaluation/key_in.html", context)

    questionnaire = get_object_or_404(Questionnaire.objects.prefetch_related("items"), slug=slug)
    memberships = (
        Membership.objects.filter(cohort__establishment__in=establishments)
        .exclude(cohort__status=Cohort.Status.CANCELLED)
        .select_related("trainee", "cohort")
        .order_by("-cohort__start_date", "cohort__name", "trainee__display_name")
    )
    deliveries = (
        Delivery.objects.filter(cohort__establishment__in=establishments, status__in=Delivery.HELD)
        .select_related("cohort", "session")
        .order_by("-cohort__start_date", "cohort__name", "-starts_at")
    )
    data = request.POST if request.method == "POST" else None
    if data is not None:
        _refuse_other_prisons(data, memberships, establishments, deliveries)
    details = PaperDetailsForm(questionnaire, memberships, establishments, deliveries, data)
    answers = AnswersForm(questionnaire, data)
    errors = []
    if data is not None:
        details_valid, answers_valid = details.is_valid(), answers.is_valid()
        if details_valid and answers_valid:
            membership = details.cleaned_data.get("membership")
            try:
                response = record_response(
                    questionnaire,
                    answers.answers(),
                    trainee=membership.trainee if membership else None,
                    establishment=(
                        membership.cohort.establishment
                        if membership
                        else details.cleaned_data["establishment"]
                    ),
                    cohort=membership.cohort if membership else None,
                    delivery=details.cleaned_data.get("delivery"),
                    time_point=details.cleaned_data["time_point"],
                    completed_on=details.cleaned_data["completed_on"],
                    entered_by=request.user,
                    from_paper=True,
                )
            except EvaluationError as error:
                errors = [("details", str(error))]
            else:
                whose = response.trainee.display_name if response.trainee else "Anonymous form"
                messages.success(
                    request,
                    f"Saved: {whose}, “{questionnaire.title}”, "
                    f"{TimePoint(response.time_point).label.lower()}. "
                    f"Keyed in from paper by {person_name(request.user)}.",
                )
                return redirect(
                    reverse("evaluation:key_in") + "?" + urlencode({"questionnaire": slug})
                )
        if not errors:
            errors = _detail_errors(details) + answers.error_list()
    context = {
        "questionnaire": questionnaire,
        "details": details,
        "questions": answers.questions(),
        "errors": errors,
        "action": request.get_full_path(),
        "no_trainees": not details.anonymous and not memberships.exists(),
        "membership_groups": None if details.anonymous else details.grouped("membership"),
        "delivery_groups": details.grouped("delivery") if "delivery" in details.fields else None,
    }
    return TemplateResponse(request, "evaluation/key_in_form.html", context)


def _refuse_other_prisons(data, memberships, establishments, deliveries) -> None:
    """A trainee, cohort or session of another prison is not found, as everywhere else."""
    for name, queryset in (
        ("membership", memberships),
        ("establishment", establishments),
        ("delivery", deliveries),
    ):
        value = data.get(name)
        if value:
            pk = parse_id(value)
            if pk is None or not queryset.filter(pk=pk).exists():
                raise Http404


def _detail_errors(form) -> list[tuple[str, str]]:
    found = []
    for name in ("membership", "establishment", "time_point", "delivery", "completed_on"):
        if name in form.fields and form[name].errors:
            target = form[name].auto_id
            if name == "time_point":
                target += "_0"
            found.append((target, form[name].errors[0]))
    return found
