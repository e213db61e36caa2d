"""Writing, reading, sharing and commenting on journal entries."""


def journal_list(request):
    raise NotImplementedError


def new_entry(request):
    raise NotImplementedError


def entry_detail(request, pk):
    raise NotImplementedError


def edit_entry(request, pk):
    raise NotImplementedError


def share_entry(request, pk):
    raise NotImplementedError


def add_comment(request, pk):
    raise NotImplementedError


def on_behalf_entry(request, trainee_pk):
    raise NotImplementedError
