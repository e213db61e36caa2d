"""A prison planted for the learning browser tests, and removed after them: HMP Learnwell,
its local trainer, and a group of the five-afternoon programme whose first session was held
yesterday. Robin (sign-in ``learner``) missed it at healthcare; Kit (``learner2``) was there.
Kept apart from the demo's prisons so the other browser tests meet the demo as it is."""

import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Delivery,
    Establishment,
    Membership,
    StaffProfile,
    Trainee,
)
from courses.models import ProgrammePage
from courses.outline import outline
from kernel import roles

CODE = "hmp-learnwell"
COHORT = "Learnwell group"
USERS = ("learn-trainer", "learner", "learner2")


def plant() -> None:
    password = os.environ["DEMO_PASSWORD"]
    User = get_user_model()
    place = Establishment.objects.create(name="HMP Learnwell", code=CODE)
    trainer = User.objects.create_user(
        "learn-trainer", password=password, first_name="Lee", last_name="Learnwell"
    )
    trainer.groups.add(Group.objects.get(name=roles.LOCAL_TRAINER))
    StaffProfile.objects.create(user=trainer, discipline="nurse").establishments.add(place)
    programme = ProgrammePage.objects.get(slug="five-afternoon-programme")
    yesterday = timezone.localdate() - timedelta(days=1)
    cohort = Cohort.objects.create(
        establishment=place,
        programme=programme,
        name=COHORT,
        start_date=yesterday,
        status=Cohort.Status.RUNNING,
        lead_trainer=trainer,
    )
    trainees = {}
    for username, name in (("learner", "Robin"), ("learner2", "Kit")):
        user = User.objects.create_user(username, password=password, first_name=name)
        user.groups.add(Group.objects.get(name=roles.PEER_SUPPORT_WORKER))
        trainees[name] = Trainee.objects.create(establishment=place, display_name=name, user=user)
        Membership.objects.create(cohort=cohort, trainee=trainees[name], joined_on=yesterday)
    first = outline(programme).sessions[0]
    held = Delivery.objects.create(
        cohort=cohort,
        session=first.session,
        starts_at=timezone.now() - timedelta(days=1),
        status=Delivery.Status.DELIVERED,
        lead_trainer=trainer,
    )
    Attendance.objects.create(
        delivery=held, trainee=trainees["Robin"], mark="absent", absence_reason="healthcare"
    )
    Attendance.objects.create(delivery=held, trainee=trainees["Kit"], mark="present")


def remove() -> None:
    Cohort.objects.filter(establishment__code=CODE).delete()
    Trainee.objects.filter(establishment__code=CODE).delete()
    Establishment.objects.filter(code=CODE).delete()
    # The audit log keeps who did what: the sign-ins are closed, not deleted.
    get_user_model().objects.filter(username__in=USERS).update(is_active=False)
