"""Publishing a session, a programme or book content makes the documents built from it out of
date; ask for new editions once the publish is committed. A trainee erased takes with them the
packs of their cohorts, which name them."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, published

from cohorts.models import Membership, Trainee
from courses.models import ProgrammePage, SessionPage
from courses.outline import programmes_containing

from .models import CohortPack, Edition


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


@receiver(pre_delete, sender=Trainee)
def forget_packs_naming(sender, instance, **kwargs):
    """The packs of a deleted trainee's cohorts name them: they go too, their files once the
    deletion is committed."""
    cohorts = Membership.objects.filter(trainee=instance).values("cohort")
    packs = CohortPack.objects.filter(cohort__in=cohorts)
    paths = [Path(settings.MEDIA_ROOT) / name for name in packs.values_list("file", flat=True)]
    packs.delete()

    def remove_files():
        for path in paths:
            if path.name:
                path.unlink(missing_ok=True)

    transaction.on_commit(remove_files)
