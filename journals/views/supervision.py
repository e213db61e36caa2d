"""Supervision meetings: one-to-one, group or offload, with wellbeing checks and actions."""


def supervision_list(request):
    raise NotImplementedError


def new_meeting(request):
    raise NotImplementedError


def meeting_detail(request, pk):
    raise NotImplementedError
