from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backup.services import BackupError, make_backup


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = (
        "Write the database and every media file to one .tar.gz archive, while the site keeps "
        "running. Default: var/backups/backup-YYYYMMDD-HHMMSS.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="Where to write the archive.")

    def handle(self, *args, **options):
        destination = options["out"] or (
            Path(settings.VAR_DIR)
            / "backups"
            / f"backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        )
        try:
            report = make_backup(destination)
        except BackupError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Database ({report.vendor}): {report.tables} tables, {report.rows} rows."
        )
        self.stdout.write(f"Media: {report.files} files, {megabytes(report.media_bytes)}.")
        for name in report.skipped:
            self.stdout.write(
                self.style.WARNING(f"Skipped {name} in MEDIA_ROOT: not a plain file.")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {report.path} ({megabytes(report.size)}) "
                f"in {report.seconds:.1f} s."
            )
        )
