from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.services import CurriculumError, load_curriculum


class Command(BaseCommand):
    help = (
        "Load the seeded programmes and sessions under Home > Curriculum. Safe to run again: "
        "pages that exist are kept as edited in the CMS, unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing seeded pages with the files (publishes a new revision).",
        )

    def handle(self, *args, update=False, **options):
        try:
            report = load_curriculum(settings.CURRICULUM_DIR, update=update)
        except CurriculumError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Curriculum: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.kept)} kept as they were."
        )
