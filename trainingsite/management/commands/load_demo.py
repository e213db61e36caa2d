import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from cohorts.demo import load_demo_cohorts
from evaluation.demo import load_demo_evaluation
from evaluation.services import load_questionnaires
from journals.demo import load_demo_journals
from kernel import roles
from learning.demo import load_demo_learning
from trainer_resources.services import load_book_content as load_trainer_book_content
from workbook_content.services import load_book_content as load_workbook_content

DEMO_ACCOUNTS = [
    # username, display name, role
    ("facilitator", "Fran Facilitator", roles.FACILITATOR),
    ("reviewer", "Rafi Reviewer", roles.FACILITATOR),
    ("trainer", "Terry Trainer", roles.LOCAL_TRAINER),
    ("education", "Eden Education", roles.EDUCATION),
    ("trainee", "Tam Trainee", roles.PEER_SUPPORT_WORKER),
    ("evaluator", "Evie Evaluator", roles.EVALUATOR),
]


class Command(BaseCommand):
    help = (
        "Load the curriculum, one demo account per role and the cohorts of HMP Example (the "
        "pilot's story, anonymous) into an empty database. "
        "Does nothing if the database already has any user. Password: $DEMO_PASSWORD, "
        "or a random one printed here."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("The database already has data: demo data not loaded.")
            return
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        with transaction.atomic():
            call_command("load_curriculum", stdout=self.stdout)
            load_workbook_content()
            load_trainer_book_content()
            load_questionnaires()
            for username, name, role in DEMO_ACCOUNTS:
                first, last = name.split(" ", 1)
                user = User.objects.create_user(
                    username, password=password, first_name=first, last_name=last
                )
                user.groups.add(Group.objects.get(name=role))
            User.objects.create_superuser(
                "admin", password=password, first_name="Site", last_name="Admin"
            )
            story = load_demo_cohorts(password)
            load_demo_journals(story)
            load_demo_evaluation(story)
            load_demo_learning(story)
        usernames = [username for username, _, _ in DEMO_ACCOUNTS]
        names = ", ".join([*usernames, *story.local_staff, *story.extra_accounts, "admin"])
        self.stdout.write(self.style.SUCCESS(f"Demo accounts: {names}"))
        if "DEMO_PASSWORD" in os.environ:
            self.stdout.write("Their password is the DEMO_PASSWORD you set.")
        else:
            self.stdout.write(self.style.WARNING(f"Their password (shown once): {password}"))
