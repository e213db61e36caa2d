"""How much of a programme a prison's own staff can deliver, and recording trainer stages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from courses.models import ProgrammePage
from kernel.converters import IdChoiceField
from kernel.people import person_name

from .. import services
from ..access import establishment_for, register_takers_only, staff_only
from ..models import Delivery, TrainerStage


def chosen_programme(request, establishment) -> ProgrammePage | None:
    """The programme asked for, else the one this prison ran most recently, else the first."""
    programmes = ProgrammePage.objects.live().order_by("path")
    slug = request.GET.get("programme")
    if slug:
        return programmes.filter(slug=slug).first()
    latest = establishment.cohorts.order_by("-start_date").values_list("programme_id", flat=True)
    return programmes.filter(pk__in=latest[:1]).first() or programmes.first()


@staff_only
def readiness_page(request, code: str):
    establishment = establishment_for(request.user, code)
    programme = chosen_programme(request, establishment)
    readiness = services.local_delivery_readiness(establishment, programme) if programme else None
    trainers = []
    if readiness:
        titles = {item.session.pk: item.session.title for item in readiness.sessions}
        for trainer, stages in readiness.trainers.items():
            steps = [
                (titles[session_id], TrainerStage.Stage(stage).label, stage)
                for session_id, stage in sorted(stages.items(), key=lambda s: titles[s[0]])
            ]
            trainers.append((trainer, steps))
        trainers.sort(key=lambda item: item[0].get_full_name())
    context = {
        "establishment": establishment,
        "programme": programme,
        "programmes": ProgrammePage.objects.live().order_by("path"),
        "readiness": readiness,
        "trainers": trainers,
        "can_record": request.user.has_perm("cohorts.take_register"),
    }
    return TemplateResponse(request, "cohorts/readiness.html", context)


class StageForm(forms.Form):
    trainer = IdChoiceField(
        queryset=get_user_model().objects.none(),
        label="Member of staff",
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose the member of staff."},
    )
    evidence = IdChoiceField(
        queryset=Delivery.objects.none(),
        label="Session delivery they took part in",
        help_text="The delivery that shows this step. Only sessions already held are listed.",
        empty_label="Choose a delivery",
        error_messages={"required": "Choose the delivery that shows this step."},
    )
    stage = forms.TypedChoiceField(
        choices=TrainerStage.Stage.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Step reached",
        error_messages={"required": "Choose the step they reached."},
    )

    def __init__(self, establishment, *args, **kwargs):
        super().__init__(*args, **kwargs)
        trainers = get_user_model().objects.filter(pk__in=services.local_trainer_ids(establishment))
        self.fields["trainer"].queryset = trainers.order_by("first_name", "last_name")
        self.fields["trainer"].label_from_instance = person_name
        self.fields["evidence"].queryset = (
            Delivery.objects.filter(cohort__establishment=establishment, status__in=Delivery.HELD)
            .select_related("session", "cohort")
            .order_by("-starts_at")
        )
        self.fields["evidence"].label_from_instance = lambda d: (
            f"{d.session.title}, {d.starts_at:%-d %b %Y} ({d.cohort.name})"
        )


@register_takers_only
def record_stage(request, code: str):
    """Record a member of staff's step towards delivering a session alone. The rules (forward
    only, one step at a time, evidence they took part in, sign-off by a facilitator) are
    ``services.record_trainer_stage``'s; this form only collects the facts."""
    establishment = establishment_for(request.user, code)
    form = StageForm(establishment, request.POST or None)
    if form.is_valid():
        evidence = form.cleaned_data["evidence"]
        try:
            services.record_trainer_stage(
                form.cleaned_data["trainer"],
                evidence.session,
                form.cleaned_data["stage"],
                evidence,
                by=request.user,
            )
        except services.CohortError as error:
            field = "stage" if error.code in ("not_forward", "skips_a_stage") else "evidence"
            if error.code == "not_a_facilitator":
                field = "stage"
            form.add_error(field, str(error))
        else:
            messages.success(request, "Step recorded.")
            return redirect(reverse("cohorts:readiness", args=[establishment.code]))
    errors = [
        (f"id_{name}_0" if name == "stage" else f"id_{name}", message)
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]
    context = {"establishment": establishment, "form": form, "errors": errors}
    return TemplateResponse(request, "cohorts/record_stage.html", context)
