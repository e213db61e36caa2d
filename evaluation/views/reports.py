"""Cohort reports, the programme comparison and scheme health, on screen and as PDF."""


def report_index(request):
    raise NotImplementedError


def cohort_report(request, pk):
    raise NotImplementedError


def cohort_report_pdf(request, pk):
    raise NotImplementedError


def programme_comparison(request):
    raise NotImplementedError


def programme_comparison_pdf(request):
    raise NotImplementedError


def scheme_health_page(request, code):
    raise NotImplementedError
