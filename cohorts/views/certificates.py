"""Completion certificates and the staff page that checks a reference."""


def certificate(request, cohort_pk, trainee_pk):
    raise NotImplementedError


def check_certificate(request):
    raise NotImplementedError
