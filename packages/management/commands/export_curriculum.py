from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from courses.models import ProgrammePage
from packages.archive import write_package
from packages.services import export_package


class Command(BaseCommand):
    help = (
        "Write a curriculum package: the chosen programmes (all live ones if none is named), "
        "their sessions, the book chapters, the questionnaires and their pictures. "
        "No personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", action="append", default=[], metavar="SLUG")
        parser.add_argument("--out", required=True, type=Path, metavar="FILE")
        parser.add_argument("--name", default="Peer support curriculum")
        parser.add_argument(
            "--package-version",
            default=None,
            help="The package's version, e.g. 2027.1 (default: today's date).",
        )

    def handle(self, *args, programme, out, name, package_version, **options):
        programmes = ProgrammePage.objects.live().order_by("path")
        if programme:
            found = {page.slug: page for page in programmes.filter(slug__in=programme)}
            missing = [slug for slug in programme if slug not in found]
            if missing:
                raise CommandError(f"No published programme with the slug {missing[0]!r}.")
            programmes = [found[slug] for slug in programme]
        if out.exists():
            raise CommandError(f"{out} exists: choose another file name.")
        version = package_version or timezone.localdate().strftime("%Y.%m.%d")
        package = export_package(list(programmes), name, version)
        out.write_bytes(write_package(package))
        sessions = sum(path.startswith("sessions/") for path in package.files)
        self.stdout.write(f"Wrote {out}: programmes {len(programmes)}, sessions {sessions}.")
