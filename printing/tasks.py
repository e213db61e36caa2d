"""Background builds of printed editions, run by the worker that `make run` starts
(``manage.py db_worker --backend printing``); at once in the tests."""

from django_tasks import task

from . import builds, packs, services


@task(backend="printing")
def build_edition_task(edition_id: int) -> str:
    """Build one edition that ``services.request_build`` created; returns its status."""
    return builds.build_edition(edition_id).status


@task(backend="printing")
def refresh_editions_task(programme_ids: list[int] | None = None) -> int:
    """After a publish: ask for new editions of the built documents that are out of date."""
    return len(services.refresh_editions(programme_ids))


@task(backend="printing")
def build_pack_task(pack_id: int) -> str:
    """Build one cohort's pack that ``packs.request_pack`` created; returns its status."""
    return packs.build_pack(pack_id).status
