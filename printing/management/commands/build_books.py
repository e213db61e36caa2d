import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cohorts.models import Cohort
from courses.models import ProgrammePage
from printing import packs, services
from printing.builds import build_edition, wait_for_build, write_atomically
from printing.models import Build, Edition


class Command(BaseCommand):
    help = (
        "Build the printed documents of the published programmes and copy them into a folder, "
        "for printing from a script. An edition that is up to date is copied as it is; any "
        "other is built here (not by the background worker) and becomes the current edition "
        "on the print page too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--programme",
            metavar="SLUG",
            action="append",
            help="Only this programme (repeat for more). Default: every published programme.",
        )
        parser.add_argument(
            "--document",
            metavar="KIND",
            nargs="+",
            help="Which documents: workbook, large_print_workbook, trainer_book, "
            "workbook_booklet and trainer_book_booklet (A5 booklets imposed two-up on A4), "
            "forms and large_print_forms (the forms to photocopy), handout (one for each "
            "session). Default: the three books.",
        )
        parser.add_argument(
            "--cohort",
            metavar="ID",
            type=int,
            help="Instead of books: the pack of this cohort (registers, certificates and print "
            "list, as a zip), made now as on the cohort's page.",
        )
        parser.add_argument("--out", metavar="DIR", required=True, help="Folder to write to.")

    def handle(self, *args, **options):
        if options["cohort"] is not None:
            return self.pack(options["cohort"], self.out_dir(options["out"]))
        programmes = self.programmes(options["programme"])
        kinds = self.kinds(options["document"])
        out = self.out_dir(options["out"])
        documents = [
            (kind, programme, session)
            for programme in programmes
            for kind in kinds
            for session in (
                services.programme_sessions(programme) if kind == services.HANDOUT else [None]
            )
        ]
        if not documents:
            raise CommandError("There is nothing to build: the programmes have no sessions.")

        failures = []
        # The streams under Django's wrappers: tqdm redraws its line with carriage returns.
        stdout = getattr(self.stdout, "_out", sys.stdout)
        stderr = getattr(self.stderr, "_out", sys.stderr)
        bar = tqdm(documents, file=stderr, unit="document", dynamic_ncols=True)
        for kind, programme, session in bar:
            name = file_name(kind, programme, session)
            bar.set_description(name)
            edition = self.edition(kind, programme, session)
            if edition.status != Edition.Status.READY:
                failures.append(f"{name}: {edition.error}")
                continue
            with edition.file.open("rb") as source:
                write_atomically(out / name, source.read(), mode=0o644)
            bar.write(
                f"{out / name}: edition {edition.number}, {edition.size:,} bytes", file=stdout
            )
        bar.close()
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(documents)} documents failed:\n" + "\n".join(failures)
            )
        self.stdout.write(f"Wrote {len(documents)} documents to {out}.")

    def programmes(self, slugs: list[str] | None) -> list[ProgrammePage]:
        live = ProgrammePage.objects.live().order_by("path")
        if not slugs:
            found = list(live)
            if not found:
                raise CommandError("There is no published programme to print.")
            return found
        by_slug = {programme.slug: programme for programme in live}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            raise CommandError(
                f"No published programme has the slug {', '.join(unknown)}. "
                f"Choose from: {', '.join(by_slug) or 'none'}."
            )
        return [by_slug[slug] for slug in dict.fromkeys(slugs)]

    def kinds(self, chosen: list[str] | None) -> list[str]:
        kinds = services.document_kinds()
        if not chosen:
            return services.default_books()
        unknown = [kind for kind in chosen if kind not in kinds]
        if unknown:
            raise CommandError(
                f"Unknown document {', '.join(unknown)}. Choose from: {', '.join(kinds)}."
            )
        return list(dict.fromkeys(chosen))

    def out_dir(self, value: str) -> Path:
        out = Path(value)
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file, not a folder.")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make the folder {out}: {error.strerror}.") from error
        if not os.access(out, os.W_OK):
            raise CommandError(f"Cannot write to the folder {out}.")
        return out

    def pack(self, cohort_id: int, out: Path) -> None:
        cohort = Cohort.objects.filter(pk=cohort_id).select_related("establishment").first()
        if cohort is None:
            raise CommandError(f"There is no cohort {cohort_id}.")
        pack, _ = packs.prepare_pack(cohort)
        if pack.status == Build.Status.BUILDING:
            pack = packs.build_pack(pack.pk)  # does nothing if a worker has it
            if pack.status == Build.Status.BUILDING:
                pack = wait_for_build(pack, build=packs.build_pack)
        if pack.status != Build.Status.READY:
            raise CommandError(f"The pack of {cohort.name} failed: {pack.error}")
        with pack.file.open("rb") as source:
            write_atomically(out / pack.download_name, source.read(), mode=0o600)
        self.stdout.write(f"{out / pack.download_name}: the pack of {cohort}, {pack.size:,} bytes")

    def edition(self, kind, programme, session) -> Edition:
        """The current edition if it is up to date, else one built now."""
        edition, created = services.prepare_edition(kind, programme, session)
        if edition.status == Edition.Status.BUILDING:
            edition = build_edition(edition.pk)  # does nothing if a worker has it
            if edition.status == Edition.Status.BUILDING:
                edition = wait_for_build(edition)
        return edition


def file_name(kind: str, programme, session) -> str:
    parts = [programme.slug, kind.replace("_", "-")]
    if session is not None:
        parts.append(session.slug)
    return "-".join(parts) + ".pdf"
