from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from packages.archive import read_package
from packages.errors import PackageError
from packages.services import CONFLICT, STATUSES, import_package, inspect_package


class Command(BaseCommand):
    help = (
        "Import a curriculum package. Changed pages and chapters are sent to the Curriculum "
        "review workflow unless --publish is given; content edited here since the last import "
        "is kept (a conflict) and the difference printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")
        parser.add_argument("--publish", action="store_true", help="Publish at once.")

    def handle(self, *args, file, dry_run=False, publish=False, **options):
        try:
            with file.open("rb") as source:
                package = read_package(source)
            plan = inspect_package(package) if dry_run else import_package(package, publish=publish)
        except OSError as error:
            raise CommandError(f"{file} cannot be read: {error.strerror}.") from error
        except PackageError as error:
            raise CommandError(f"Refused ({error.code}): {error.message}") from error
        self.stdout.write(
            f"{package.name} {package.version}, made {package.made_at} at {package.made_by}"
        )
        for change in plan.changes:
            self.stdout.write(f"  {STATUSES[change.status]}: {change.kind_label} {change.title}")
        for change in plan.with_status(CONFLICT):
            self.stdout.write(change.diff)
        counts = ", ".join(f"{count} {status}" for status, count in plan.summary.items())
        self.stdout.write(("Would import: " if dry_run else "Imported: ") + counts + ".")
