"""``manage.py seed_scale``: a national install's worth of cohort records, for the benchmark.

At factor 1: 120 establishments, 2,000 cohorts of 10 trainees (20,000 trainees), 20 deliveries
per cohort (40,000) and a mark for every trainee at every delivery (400,000 attendance records).
``--factor 0.01`` scales it down (1 establishment, 20 cohorts, 200 trainees, 4,000 marks).

Everything is made with bulk_create in batches, cohort by cohort, so memory stays flat and it is
fast on SQLite and PostgreSQL. That skips the rules of cohorts/services.py on purpose: trainer
stages are written directly (each evidenced by a held delivery of the session in the trainer's
own prison), as the rules that govern them are already exercised by the demo data
(cohorts/demo.py goes through record_trainer_stage) and by the service tests.

Each establishment gets three staff users with a StaffProfile there: ``bench-<code>``, a local
trainer (nurse) the benchmark signs in as, ``<code>-officer``, a local trainer (prison officer),
and ``<code>-education`` (education department). Their password is --password, else
$DEMO_PASSWORD; without either they cannot sign in.
"""

import itertools
import os
import random
import time
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Delivery,
    Establishment,
    Membership,
    StaffProfile,
    Trainee,
    TrainerStage,
)
from courses.blocks import WORKBOOK
from courses.models import ProgrammePage
from courses.outline import outline
from kernel import clock, roles

ESTABLISHMENTS = 120
COHORTS = 2_000
TRAINEES_PER_COHORT = 10
DELIVERIES_PER_COHORT = 20
PROGRAMMES = ["three-day-programme", "five-afternoon-programme"]
CODE_PREFIX = "seed"
BATCH = 2_000
COHORTS_PER_CHUNK = 50
NAMES = [
    "Ali", "Ash", "Ben", "Cal", "Dee", "Eli", "Fin", "Gaz", "Hal", "Ike", "Jay", "Kez", "Lou",
    "Mo", "Ned", "Oz", "Pip", "Raj", "Sol", "Taz", "Vic", "Wes", "Yan", "Zak",
]  # fmt: skip
ABSENCES = [
    Attendance.AbsenceReason.REGIME,
    Attendance.AbsenceReason.HEALTHCARE,
    Attendance.AbsenceReason.LEGAL_VISIT,
    Attendance.AbsenceReason.WORK_CLASH,
    Attendance.AbsenceReason.UNWELL,
]


def establishment_code(number: int) -> str:
    return f"{CODE_PREFIX}-{number:03d}"


def bench_username(code: str) -> str:
    return f"bench-{code}"


class Command(BaseCommand):
    help = (
        "Fill the database with 120 establishments, 2,000 cohorts, 20,000 trainees and 400,000 "
        "attendance records (times --factor), for benchmarks. Needs the curriculum loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=float, default=1.0, help="Scale every count (e.g. 0.01)."
        )
        parser.add_argument(
            "--password", default=None, help="Password of the staff users (default $DEMO_PASSWORD)."
        )
        parser.add_argument("--seed", type=int, default=4, help="Random seed.")

    def handle(self, *args, factor, password, seed, **options):
        password = password or os.environ.get("DEMO_PASSWORD")
        if factor <= 0:
            raise CommandError("--factor must be above 0.")
        programmes = list(ProgrammePage.objects.filter(slug__in=PROGRAMMES).order_by("slug"))
        if len(programmes) != len(PROGRAMMES):
            raise CommandError(
                "Load the curriculum first (manage.py load_demo or load_curriculum)."
            )
        if Establishment.objects.filter(code__startswith=f"{CODE_PREFIX}-").exists():
            raise CommandError("The database already has seeded establishments.")
        establishments = max(1, round(ESTABLISHMENTS * factor))
        cohorts = max(1, round(COHORTS * factor))
        started = time.perf_counter()
        with transaction.atomic():
            rng = random.Random(seed)  # noqa: S311 (made-up records, not secrets)
            seeder = Seeder(programmes, rng, clock.today(), self.stdout)
            seeder.establishments(establishments, password)
            seeder.cohorts(cohorts)
            seeder.trainer_stages()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {establishments} establishments, {cohorts} cohorts, "
                f"{cohorts * TRAINEES_PER_COHORT} trainees, "
                f"{cohorts * DELIVERIES_PER_COHORT} deliveries and "
                f"{cohorts * DELIVERIES_PER_COHORT * TRAINEES_PER_COHORT} attendance records "
                f"in {seconds:.1f} s."
            )
        )
        if not password:
            self.stdout.write("No --password nor $DEMO_PASSWORD: the staff users cannot sign in.")


class Seeder:
    def __init__(self, programmes, rng: random.Random, today: date, stdout):
        self.programmes = [(p, outline(p, WORKBOOK, "id").sessions) for p in programmes]
        self.rng = rng
        self.today = today
        self.stdout = stdout
        self.staff: list[tuple[Establishment, object, object]] = []  # (prison, trainer, officer)

    def establishments(self, number: int, password: str | None) -> None:
        User = get_user_model()
        prisons = Establishment.objects.bulk_create(
            Establishment(
                name=f"HMP Seed {n:03d}",
                code=establishment_code(n),
                certificate_signatory="Head of Healthcare",
            )
            for n in range(1, number + 1)
        )
        self.prisons = prisons
        hashed = make_password(password)  # one hash for all: unusable when there is none
        accounts = []  # (prison, username, first name, discipline, group)
        for prison in prisons:
            accounts += [
                (prison, bench_username(prison.code), "Nurse", "nurse", roles.LOCAL_TRAINER),
                (
                    prison,
                    f"{prison.code}-officer",
                    "Officer",
                    "prison_officer",
                    roles.LOCAL_TRAINER,
                ),
                (prison, f"{prison.code}-education", "Education", "other", roles.EDUCATION),
            ]
        users = User.objects.bulk_create(
            [
                User(username=username, password=hashed, first_name=first, last_name=prison.code)
                for prison, username, first, _, _ in accounts
            ],
            batch_size=BATCH,
        )
        groups = {g.name: g for g in Group.objects.filter(name__in=[a[4] for a in accounts])}
        User.groups.through.objects.bulk_create(
            [
                User.groups.through(user_id=user.pk, group_id=groups[account[4]].pk)
                for user, account in zip(users, accounts, strict=True)
            ],
            batch_size=BATCH,
        )
        profiles = StaffProfile.objects.bulk_create(
            [
                StaffProfile(user=user, discipline=account[3])
                for user, account in zip(users, accounts, strict=True)
            ],
            batch_size=BATCH,
        )
        StaffProfile.establishments.through.objects.bulk_create(
            [
                StaffProfile.establishments.through(
                    staffprofile_id=profile.pk, establishment_id=account[0].pk
                )
                for profile, account in zip(profiles, accounts, strict=True)
            ],
            batch_size=BATCH,
        )
        by_prison = {}
        for user, account in zip(users, accounts, strict=True):
            by_prison.setdefault(account[0].pk, []).append(user)
        self.staff = [(p, by_prison[p.pk][0], by_prison[p.pk][1]) for p in prisons]
        self.stdout.write(f"  {len(prisons)} establishments, {len(users)} staff users")

    def cohorts(self, number: int) -> None:
        started = time.perf_counter()
        self.first_cohort: dict[int, int] = {}  # establishment id: its first cohort's id
        self.first_deliveries: dict[int, list[Delivery]] = {}  # that cohort's deliveries
        made = 0
        numbers = iter(range(number))
        while chunk := list(itertools.islice(numbers, COHORTS_PER_CHUNK)):
            self.chunk(chunk)
            made += len(chunk)
            elapsed = time.perf_counter() - started
            if made % (COHORTS_PER_CHUNK * 4) == 0 or made == number:
                self.stdout.write(
                    f"  {made} / {number} cohorts, "
                    f"{made * DELIVERIES_PER_COHORT * TRAINEES_PER_COHORT} attendance records "
                    f"({elapsed:.1f} s)",
                )

    def chunk(self, numbers: list[int]) -> None:
        rng, today = self.rng, self.today
        plans = []
        for n in numbers:
            prison, trainer, _ = self.staff[n % len(self.staff)]
            programme, slots = self.programmes[n % len(self.programmes)]
            start = today - timedelta(days=rng.randrange(14, 3 * 365))
            plans.append((prison, trainer, programme, slots, start))
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                establishment=prison,
                programme=programme,
                name=f"Cohort {n + 1}",
                start_date=start,
                lead_trainer=trainer,
                status=Cohort.Status.FINISHED
                if start < today - timedelta(days=DELIVERIES_PER_COHORT)
                else Cohort.Status.RUNNING,
            )
            for n, (prison, trainer, programme, _, start) in zip(numbers, plans, strict=True)
        )
        trainees = Trainee.objects.bulk_create(
            [
                Trainee(
                    establishment=plan[0],
                    display_name=f"{rng.choice(NAMES)} {cohort.pk}-{t + 1}",
                    prison_number=f"A{rng.randrange(10000):04d}SC" if t % 3 == 0 else "",
                    role_status=Trainee.RoleStatus.ACTIVE,
                    consent_recorded_on=plan[4],
                )
                for cohort, plan in zip(cohorts, plans, strict=True)
                for t in range(TRAINEES_PER_COHORT)
            ],
            batch_size=BATCH,
        )
        Membership.objects.bulk_create(
            [
                Membership(cohort=cohort, trainee=trainee, joined_on=cohort.start_date)
                for i, cohort in enumerate(cohorts)
                for trainee in trainees[i * TRAINEES_PER_COHORT : (i + 1) * TRAINEES_PER_COHORT]
            ],
            batch_size=BATCH,
        )
        deliveries = []
        for cohort, (_, trainer, _, slots, start) in zip(cohorts, plans, strict=True):
            local = cohort.start_date > today - timedelta(days=365)
            for i in range(DELIVERIES_PER_COHORT):
                slot = slots[i % len(slots)]
                led_locally = local and slot.local_staff
                deliveries.append(
                    Delivery(
                        cohort=cohort,
                        session_id=slot.session.pk,
                        starts_at=timezone.make_aware(
                            datetime.combine(start + timedelta(days=i), slot.start_time)
                        ),
                        location="Training room",
                        lead_trainer=trainer if led_locally else None,
                        led_by=Delivery.LedBy.LOCAL_STAFF
                        if led_locally
                        else Delivery.LedBy.VISITING_FACILITATOR,
                        status=Delivery.Status.DELIVERED,
                    )
                )
        deliveries = Delivery.objects.bulk_create(deliveries, batch_size=BATCH)
        for delivery in deliveries:
            prison_id = delivery.cohort.establishment_id
            first = self.first_cohort.setdefault(prison_id, delivery.cohort_id)
            if first == delivery.cohort_id:
                self.first_deliveries.setdefault(prison_id, []).append(delivery)
        marks = []
        for i, delivery in enumerate(deliveries):
            cohort_index = i // DELIVERIES_PER_COHORT
            members = trainees[
                cohort_index * TRAINEES_PER_COHORT : (cohort_index + 1) * TRAINEES_PER_COHORT
            ]
            for trainee in members:
                roll = rng.random()
                absent = roll < 0.08
                marks.append(
                    Attendance(
                        delivery_id=delivery.pk,
                        trainee_id=trainee.pk,
                        mark=Attendance.Mark.ABSENT
                        if absent
                        else (Attendance.Mark.LATE if roll > 0.97 else Attendance.Mark.PRESENT),
                        absence_reason=rng.choice(ABSENCES) if absent else "",
                    )
                )
        Attendance.objects.bulk_create(marks, batch_size=BATCH)

    def trainer_stages(self) -> None:
        """The bench trainer is signed off on the first two sessions they can find evidence
        for and observed a third; the officer has co-delivered one."""
        stages = []
        for prison, trainer, officer in self.staff:
            deliveries = list(
                {d.session_id: d for d in self.first_deliveries.get(prison.pk, [])}.values()
            )
            for delivery in deliveries[:2]:
                stages += [
                    TrainerStage(
                        trainer=trainer,
                        session_id=delivery.session_id,
                        stage=stage,
                        evidence=delivery,
                    )
                    for stage in TrainerStage.Stage.values
                ]
            for delivery in deliveries[2:3]:
                stages.append(
                    TrainerStage(
                        trainer=trainer,
                        session_id=delivery.session_id,
                        stage=TrainerStage.Stage.OBSERVED,
                        evidence=delivery,
                    )
                )
            for delivery in deliveries[3:4]:
                stages += [
                    TrainerStage(
                        trainer=officer,
                        session_id=delivery.session_id,
                        stage=stage,
                        evidence=delivery,
                    )
                    for stage in (TrainerStage.Stage.OBSERVED, TrainerStage.Stage.CO_DELIVERED)
                ]
        TrainerStage.objects.bulk_create(stages, batch_size=BATCH)
        self.stdout.write(f"  {len(stages)} trainer stages")
