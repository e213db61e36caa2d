from django.core.management.base import BaseCommand, CommandError

from packages.errors import PackageError
from packages.services import CONFLICT, NEW, UNCHANGED, UPDATED, bundled_package, import_package


class Command(BaseCommand):
    help = (
        "Import the curriculum bundled with the code (programmes, sessions, book chapters, "
        "questionnaires) as a curriculum package, published at once. Safe to run again: "
        "content edited here is kept, unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite content edited here with the bundled files (publishes a new revision).",
        )

    def handle(self, *args, update=False, **options):
        try:
            plan = import_package(bundled_package(), publish=True, overwrite=update)
        except PackageError as error:
            raise CommandError(error.message) from error
        count = plan.summary
        self.stdout.write(
            f"Curriculum: {count[NEW]} created, {count[UPDATED]} updated, "
            f"{count[UNCHANGED] + count[CONFLICT]} kept as they were."
        )
