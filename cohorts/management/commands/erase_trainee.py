import sys

from django.core.management.base import BaseCommand, CommandError

from cohorts.models import Trainee
from cohorts.retention import RetentionError, erase_trainee, erasure_plan


class Command(BaseCommand):
    help = (
        "Erase a trainee: every record that names or belongs to them, in every app, and their "
        "login. Asks first; prints what it removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("trainee_id", type=int)
        parser.add_argument("--yes", action="store_true", help="Erase without asking.")

    def handle(self, *args, **options):
        trainee = Trainee.objects.filter(pk=options["trainee_id"]).first()
        if trainee is None:
            raise CommandError(f"There is no trainee {options['trainee_id']}.")
        try:
            plan = erasure_plan(trainee)
        except RetentionError as error:
            raise CommandError(str(error)) from None
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError(
                    "Erasure cannot be undone and asks for confirmation; there is no terminal "
                    "to ask on. Run it again with --yes."
                )
            self.stdout.write(f"Erasing trainee {trainee.pk} ({trainee.display_name}) removes:")
            for line in plan.lines()[:-1]:
                self.stdout.write(f"  {line}")
            if input("Type yes to erase: ").strip().lower() != "yes":
                self.stdout.write("Nothing was erased.")
                return
        removed = erase_trainee(trainee, None, username="erase_trainee (command line)")
        self.stdout.write(f"Erased trainee {options['trainee_id']}. Removed:")
        for line in removed.lines():
            self.stdout.write(f"  {line}")
