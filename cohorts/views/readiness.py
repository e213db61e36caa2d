"""How much of a programme a prison's own staff can deliver, and recording trainer stages."""


def readiness_page(request, code):
    raise NotImplementedError


def record_stage(request, code):
    raise NotImplementedError
