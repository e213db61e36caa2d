"""Publishing a session, a programme or book content makes the documents built from it out of
date; ask for new editions once the publish is committed."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, published

from courses.models import ProgrammePage, SessionPage
from courses.outline import programmes_containing

from .models import Edition


def refresh_after_commit(programme_ids: list[int] | None) -> None:
    def refresh():
        editions = Edition.objects.all()
        if programme_ids is not None:
            editions = editions.filter(programme_id__in=programme_ids)
        if editions.exists():  # nothing to refresh on a site that has never printed
            from .tasks import refresh_editions_task

            refresh_editions_task.enqueue(programme_ids)

    transaction.on_commit(refresh)


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    if isinstance(instance, SessionPage):
        programme_ids = [programme.pk for programme in programmes_containing(instance)]
        if programme_ids:
            refresh_after_commit(programme_ids)
    elif isinstance(instance, ProgrammePage):
        refresh_after_commit([instance.pk])


@receiver(published)
def snippet_was_published(sender, instance, **kwargs):
    """Workbook and trainer book content (snippets) feed every programme's books."""
    if not isinstance(instance, Page):
        refresh_after_commit(None)
