"""Staff screens of cohorts and trainees, and a peer support worker's own progress."""


def cohort_list(request):
    raise NotImplementedError


def cohort_detail(request, pk):
    raise NotImplementedError


def completion_summary(request, pk):
    raise NotImplementedError


def trainee_progress(request, pk):
    raise NotImplementedError


def my_progress(request):
    raise NotImplementedError
