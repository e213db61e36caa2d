from django.core.management.base import BaseCommand

from cohorts.retention import expired_records, purge_expired
from kernel import clock


class Command(BaseCommand):
    help = (
        "Delete every record older than its kind's retention period (settings.RETENTION_DAYS), "
        "with what hangs off it and its files. --dry-run says what would go and deletes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, **options):
        today = clock.today()
        dry_run = options["dry_run"]
        for expired in expired_records(today):
            self.stdout.write(
                f"{expired.kind.label}: kept {expired.period_days} days, "
                f"{expired.count} from before {expired.cutoff:%-d %B %Y}"
            )
        removed = purge_expired(today, dry_run=dry_run)
        heading = "Would remove, with what goes with them:" if dry_run else "Removed:"
        self.stdout.write(heading)
        for line in removed.lines():
            self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {removed.total} rows."))
