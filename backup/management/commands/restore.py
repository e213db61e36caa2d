import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backup.services import BackupError, restore_backup

from .backup import megabytes


class Command(BaseCommand):
    help = (
        "Replace the whole database and MEDIA_ROOT's content with those of an archive made by "
        "`manage.py backup`. The archive is checked before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Restore without asking for confirmation."
        )

    def handle(self, *args, **options):
        confirm = None
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError(
                    "A restore replaces all the data and asks for confirmation; "
                    "there is no terminal to ask on. Run it again with --yes."
                )
            confirm = self.confirm
        try:
            report = restore_backup(options["archive"], confirm=confirm)
        except BackupError as error:
            if error.code == "cancelled":
                self.stdout.write(error.message)
                return
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Database ({report.vendor}): {report.tables} tables, {report.rows} rows "
            f"from the backup of {report.created_at}."
        )
        self.stdout.write(
            f"Media: {report.files} files, {megabytes(report.media_bytes)} "
            f"in {settings.MEDIA_ROOT}."
        )
        if report.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The restored database lacks {report.unapplied_migrations} migrations of "
                    "this code: run `manage.py migrate`."
                )
            )
        if report.mismatches:
            lines = [
                f"  {table}: {expected} in the backup, {found} now"
                for table, (expected, found) in report.mismatches.items()
            ]
            raise CommandError(
                "Restored, but these row counts differ from the backup's:\n" + "\n".join(lines)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report.archive} in {report.seconds:.1f} s; every table has the rows "
                "of the backup. Restart the site so it forgets what it cached."
            )
        )

    def confirm(self, manifest: dict) -> bool:
        """Show what the checked archive holds, and what it replaces, then ask."""
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"The archive was made on {manifest['created_at']}: {len(manifest['tables'])} tables, "
            f"{rows} rows, {len(manifest['media'])} media files. Its checksums are correct.\n"
            f"Restoring replaces every row of the database {connection.settings_dict['NAME']} "
            f"and every file in {settings.MEDIA_ROOT}."
        )
        return input("Type yes to restore: ").strip().lower() == "yes"
