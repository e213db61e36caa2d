"""An author's journal as PDF or Markdown files, and a subject access export."""


def journal_pdf(request):
    raise NotImplementedError


def journal_markdown(request):
    raise NotImplementedError


def subject_access_export(request, trainee_pk):
    raise NotImplementedError
