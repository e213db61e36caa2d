"""Questionnaires filled in on screen, keyed in from paper, and printed as paper forms."""


def my_questionnaires(request):
    raise NotImplementedError


def fill_in(request, slug):
    raise NotImplementedError


def paper_form(request, slug):
    raise NotImplementedError


def key_in(request):
    raise NotImplementedError
