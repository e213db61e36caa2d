"""Erasing a trainee from the staff screens: superusers only, after a confirmation page that
says what will go. The rules are in ``cohorts.retention``."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from ..models import Trainee
from ..retention import RetentionError, erase_trainee, erasure_plan


def erase(request, pk: int):
    if not request.user.is_superuser:
        raise PermissionDenied
    trainee = get_object_or_404(Trainee.objects.select_related("establishment"), pk=pk)
    context = {"trainee": trainee, "erased": False, "error": ""}
    try:
        if request.method == "POST":
            removed = erase_trainee(trainee, request.user, request=request)
            context.update(erased=True, removed=removed.lines(), pk=pk)
        else:
            context["plan"] = erasure_plan(trainee).lines()[:-1]
    except RetentionError as error:
        context["error"] = str(error)
        return TemplateResponse(request, "cohorts/erase_trainee.html", context, status=409)
    return TemplateResponse(request, "cohorts/erase_trainee.html", context)
