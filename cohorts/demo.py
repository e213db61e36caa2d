"""The pilot's story, anonymous, as demo data: HMP Example trains two cohorts five months apart
and its own staff take over sessions in between; HMP Northfield has a small cohort of its own,
so establishment scoping can be seen.

Dates are computed from today, so the demo always shows cycle 1 finished about five months ago
and cycle 2 in its last day. Trainer stages go through ``record_trainer_stage``, so the demo obeys
the same rules as the screens: each stage rests on a delivery of that session the member of staff
took part in, and only the facilitator signs off. That needs more than one delivery of a session,
which the catch-ups provide: cycle 1 holds a catch-up afternoon for two trainees who missed
Building Resilience and Care for Older Adults, and cycle 2 a catch-up of Care for Older Adults
after a lockdown disrupted it.

Cycle 2 also shows catching up by self-study: Big Lou, kept on the wing for that session and
again for its catch-up, studied it on his in-cell tablet that evening, and Terry (a local
nurse) talked it through with him this morning and confirmed it; Tommo missed Working with Loss
for a dental appointment and studied it on screen last night, waiting for a trainer to confirm.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import ProgrammePage, SessionPage
from courses.outline import outline
from kernel import clock, roles

from .models import (
    Attendance,
    Cohort,
    Delivery,
    Establishment,
    Membership,
    ShadowingLogEntry,
    ShadowingPlacement,
    StaffProfile,
    Trainee,
    TrainerStage,
)
from .services import confirm_self_study, record_studied, record_trainer_stage

Discipline = StaffProfile.Discipline
Mark = Attendance.Mark
Reason = Attendance.AbsenceReason
Stage = TrainerStage.Stage

# The demo users load_demo makes, and their discipline at HMP Example.
DEMO_STAFF = {
    "facilitator": Discipline.OTHER,
    "reviewer": Discipline.OTHER,
    "trainer": Discipline.NURSE,
    "education": Discipline.OTHER,
}
LOCAL_STAFF_ACCOUNTS = [
    # username, display name, discipline: local trainers, with the demo password
    ("officer", "Owen Officer", Discipline.PRISON_OFFICER),
    ("dlo", "Dana Liaison", Discipline.DLO),
    ("ot", "Oli Therapist", Discipline.OCCUPATIONAL_THERAPIST),
]

CYCLE_1_COMPLETERS = ["Dee", "Marcus", "Big Lou", "Tommo", "Jay", "Sully", "Kenny", "Ash"]
# name: (sessions attended before stopping, role status, reasons for the absences after)
CYCLE_1_STOPPED = {
    "Ricky": (1, Trainee.RoleStatus.ASPIRING, Reason.WORK_CLASH, "Started in the kitchens."),
    "Mo": (2, Trainee.RoleStatus.LEFT, Reason.HEALTHCARE, "Long-term illness; stood down."),
    "Danny": (3, Trainee.RoleStatus.ASPIRING, Reason.LEGAL_VISIT, "Legal visits, then stopped."),
}
CYCLE_2_ASPIRING = ["Frankie", "Sol", "Wes"]
SIGNED_IN_TRAINEE = "Frankie"  # the demo user `trainee`
TRANSFERRED = "Wes"  # transferred to another prison after day one
LOCKED_DOWN = ["Marcus", "Jay", "Big Lou", "Sol"]  # missed the disrupted session
LOCKED_DOWN_AGAIN = "Big Lou"  # missed its catch-up too; caught up by self-study, confirmed
STUDIED_WAITING = ("Tommo", "working-with-loss")  # missed it, studied it on screen, unconfirmed
PRISON_NUMBERS = {"Dee": "A1234BC", "Tommo": "A4821DK", "Frankie": "A7390FN", "Wes": "A2215RT"}
NORTHFIELD_TRAINEES = ["Reece", "Gaz", "Paddy", "Stevie"]

ROOM = "Healthcare centre, training room"


@dataclass
class DemoStory:
    example: Establishment
    northfield: Establishment
    cycle_1: Cohort
    cycle_2: Cohort
    northfield_cohort: Cohort
    local_staff: list[str] = field(default_factory=list)
    extra_accounts: list[str] = field(default_factory=list)


def load_demo_cohorts(password: str, today: date | None = None) -> DemoStory:
    """Load the story. Needs the curriculum and the demo users facilitator, reviewer, trainer,
    education and trainee; makes the local staff accounts officer, dlo and ot."""
    today = today or clock.today()
    users = _users(password)
    example = Establishment.objects.create(
        name="HMP Example", code="hmp-example", certificate_signatory="Head of Healthcare"
    )
    northfield = Establishment.objects.create(
        name="HMP Northfield", code="hmp-northfield", certificate_signatory="Head of Healthcare"
    )
    disciplines = {**DEMO_STAFF, **{u: d for u, _, d in LOCAL_STAFF_ACCOUNTS}}
    for username, discipline in disciplines.items():
        StaffProfile.objects.create(user=users[username], discipline=discipline).establishments.add(
            example
        )
    story = _Story(example, users, today)
    cycle_1 = story.cycle_1()
    cycle_2 = story.cycle_2()
    story.trainer_stages()
    story.shadowing()
    northfield_cohort = _northfield(northfield, today)
    extra_accounts = _second_views(story, northfield, password)
    return DemoStory(
        example=example,
        northfield=northfield,
        cycle_1=cycle_1,
        cycle_2=cycle_2,
        northfield_cohort=northfield_cohort,
        local_staff=[username for username, _, _ in LOCAL_STAFF_ACCOUNTS],
        extra_accounts=extra_accounts,
    )


def _users(password: str) -> dict:
    User = get_user_model()
    local_trainers = Group.objects.get(name=roles.LOCAL_TRAINER)
    for username, name, _ in LOCAL_STAFF_ACCOUNTS:
        first, last = name.split(" ", 1)
        user = User.objects.create_user(
            username, password=password, first_name=first, last_name=last
        )
        user.groups.add(local_trainers)
    wanted = [*DEMO_STAFF, "trainee", *(u for u, _, _ in LOCAL_STAFF_ACCOUNTS)]
    return {user.username: user for user in User.objects.filter(username__in=wanted)}


def _second_views(story, northfield: Establishment, password: str) -> list[str]:
    """Two more sign-ins, to see privacy from the other side: a second peer support worker
    (Dee, of HMP Example) and a local trainer of HMP Northfield."""
    User = get_user_model()
    dee = User.objects.create_user("dee", password=password, first_name="Dee")
    dee.groups.add(Group.objects.get(name=roles.PEER_SUPPORT_WORKER))
    story.trainees["Dee"].user = dee
    story.trainees["Dee"].save(update_fields=["user"])
    nia = User.objects.create_user(
        "northfield", password=password, first_name="Nia", last_name="North"
    )
    nia.groups.add(Group.objects.get(name=roles.LOCAL_TRAINER))
    StaffProfile.objects.create(user=nia, discipline=Discipline.NURSE).establishments.add(
        northfield
    )
    return ["dee", "northfield"]


def _at(day: date, start: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, start))


class _Story:
    def __init__(self, establishment: Establishment, users: dict, today: date):
        self.establishment = establishment
        self.users = users
        self.today = today
        self.trainees: dict[str, Trainee] = {}
        self.deliveries: dict[tuple[int, str], Delivery] = {}  # (cycle, session slug)
        self.catch_ups: dict[tuple[int, str], Delivery] = {}

    def trainee(self, name: str, joined: date, **fields) -> Trainee:
        if name not in self.trainees:
            self.trainees[name] = Trainee.objects.create(
                establishment=self.establishment,
                display_name=name,
                prison_number=PRISON_NUMBERS.get(name, ""),
                consent_recorded_on=joined,
                **fields,
            )
        return self.trainees[name]

    def cohort(self, slug: str, name: str, start: date, status: str, members: list[str]):
        users = self.users
        cohort = Cohort.objects.create(
            establishment=self.establishment,
            programme=ProgrammePage.objects.get(slug=slug),
            name=name,
            start_date=start,
            lead_trainer=users["facilitator"],
            status=status,
        )
        cohort.co_trainers.set([users[u] for u in ("trainer", "officer", "dlo", "ot")])
        for member in members:
            Membership.objects.create(
                cohort=cohort, trainee=self.trainee(member, start), joined_on=start
            )
        return cohort

    def deliver(self, cohort, session, starts_at, lead="facilitator", co=(), **fields):
        delivery = Delivery.objects.create(
            cohort=cohort,
            session=session,
            starts_at=starts_at,
            location=ROOM,
            lead_trainer=self.users[lead],
            led_by=Delivery.LedBy.VISITING_FACILITATOR
            if lead == "facilitator"
            else Delivery.LedBy.LOCAL_STAFF,
            **fields,
        )
        delivery.co_trainers.set([self.users[u] for u in co])
        return delivery

    def mark(self, delivery, marks: dict, by: str, from_paper: bool = False) -> None:
        """marks: name -> Mark, or (Mark, reason or "", remark)."""
        Attendance.objects.bulk_create(
            Attendance(
                delivery=delivery,
                trainee=self.trainees[name],
                mark=value if isinstance(value, str) else value[0],
                absence_reason="" if isinstance(value, str) else value[1],
                remark="" if isinstance(value, str) else value[2],
                from_paper=from_paper,
                recorded_by=self.users[by],
            )
            for name, value in marks.items()
        )

    # --- Cycle 1: five afternoons, one a week, all led by the visiting facilitator ---------

    def cycle_1(self) -> Cohort:
        start = self.today - timedelta(days=152)
        members = [*CYCLE_1_COMPLETERS, *CYCLE_1_STOPPED]
        cohort = self.cohort(
            "five-afternoon-programme", "Cycle 1", start, Cohort.Status.FINISHED, members
        )
        observers = {
            "communication-in-care": ("dlo", "Dana (Disability Liaison Officer) observed."),
            "building-resilience": ("officer", "Owen (prison officer) observed."),
            "care-for-older-adults": ("trainer", "Terry (nurse) observed."),
        }
        special = {  # completers who missed a session, and caught up a week after the end
            "building-resilience": {
                "Tommo": (Mark.ABSENT, Reason.LEGAL_VISIT, "Legal visit booked late.")
            },
            "care-for-older-adults": {
                "Kenny": (Mark.ABSENT, Reason.HEALTHCARE, "Hospital appointment.")
            },
            "principles-of-care": {"Jay": (Mark.LATE, "", "Held at the gate.")},
            "dealing-with-vulnerability": {
                "Sully": (Mark.LEFT_EARLY, "", "Called for a visit; back for the discussion.")
            },
        }
        for index, slot in enumerate(outline(cohort.programme).sessions):
            session = slot.session
            afternoon = int(index // 2)
            observer, note = observers.get(session.slug, (None, ""))
            delivery = self.deliver(
                cohort,
                session,
                _at(start + timedelta(weeks=afternoon), slot.start_time),
                co=["dlo"] if session.slug == "disability-awareness" else (),
                status=Delivery.Status.DELIVERED,
                notes=f"{slot.day}. {note}".strip(),
            )
            self.deliveries[(1, session.slug)] = delivery
            marks = dict.fromkeys(CYCLE_1_COMPLETERS, Mark.PRESENT)
            marks.update(special.get(session.slug, {}))
            for name, (came_to, _, reason, remark) in CYCLE_1_STOPPED.items():
                marks[name] = Mark.PRESENT if index < came_to else (Mark.ABSENT, reason, remark)
            self.mark(delivery, marks, by="facilitator", from_paper=True)
        catch_up_day = start + timedelta(weeks=5)
        for slug, start_time, co, name in [
            ("building-resilience", time(13, 30), "officer", "Tommo"),
            ("care-for-older-adults", time(15, 15), "trainer", "Kenny"),
        ]:
            delivery = self.deliver(
                cohort,
                SessionPage.objects.get(slug=slug),
                _at(catch_up_day, start_time),
                co=[co],
                status=Delivery.Status.DELIVERED,
                notes=f"Catch-up for {name}.",
            )
            self.catch_ups[(1, slug)] = delivery
            self.mark(delivery, {name: Mark.PRESENT}, by="facilitator", from_paper=True)
        for name in CYCLE_1_COMPLETERS:
            self.trainees[name].role_status = Trainee.RoleStatus.ACTIVE
            self.trainees[name].save(update_fields=["role_status"])
        for name, (_, role_status, _, _) in CYCLE_1_STOPPED.items():
            self.trainees[name].role_status = role_status
            self.trainees[name].save(update_fields=["role_status"])
        return cohort

    # --- Cycle 2: three days, some sessions led by local staff; day three is today ---------

    def cycle_2(self) -> Cohort:
        start = self.today - timedelta(days=2)
        members = [*CYCLE_1_COMPLETERS, *CYCLE_2_ASPIRING]
        cohort = self.cohort(
            "three-day-programme", "Cycle 2", start, Cohort.Status.RUNNING, members
        )
        signed_in = self.trainees[SIGNED_IN_TRAINEE]
        signed_in.user = self.users["trainee"]
        signed_in.save(update_fields=["user"])
        plan = {  # session slug: (lead, co-trainers)
            "principles-of-care": ("facilitator", []),
            "care-for-older-adults": ("trainer", ["facilitator"]),
            "communication-in-care": ("facilitator", ["dlo"]),
            "building-resilience": ("officer", ["facilitator"]),
            "hand-hygiene": ("facilitator", ["trainer"]),
            "learning-from-what-we-do": ("facilitator", ["officer"]),
            "moving-and-positioning": ("facilitator", ["ot"]),
        }
        days = {}
        for slot in outline(cohort.programme).sessions:
            days.setdefault(slot.day, []).append(slot)
        for number, slots in enumerate(days.values()):
            day = start + timedelta(days=number)
            for slot in slots:
                session = slot.session
                lead, co = plan.get(session.slug, ("facilitator", []))
                delivery = self.deliver(
                    cohort, session, _at(day, slot.start_time), lead=lead, co=co
                )
                self.deliveries[(2, session.slug)] = delivery
                if day < self.today:
                    self.hold_cycle_2(delivery, number)
        self.trainees[TRANSFERRED].role_status = Trainee.RoleStatus.LEFT
        self.trainees[TRANSFERRED].save(update_fields=["role_status"])
        catch_up = self.deliver(
            cohort,
            SessionPage.objects.get(slug="care-for-older-adults"),
            _at(start + timedelta(days=1), time(16, 0)),
            lead="trainer",
            co=["facilitator"],
            status=Delivery.Status.DELIVERED,
            notes="Catch-up for those kept on the wing by the lockdown. Terry led it alone; "
            "the facilitator watched and signed Terry off.",
        )
        self.catch_ups[(2, "care-for-older-adults")] = catch_up
        marks = dict.fromkeys(LOCKED_DOWN, Mark.PRESENT)
        marks[LOCKED_DOWN_AGAIN] = (Mark.ABSENT, Reason.REGIME, "Wing locked down again.")
        self.mark(catch_up, marks, by="trainer")
        self.self_study(cohort, start)
        return cohort

    def self_study(self, cohort: Cohort, start: date) -> None:
        """Catching up on screen, through the rules: studied the evening after the session,
        one confirmed by a local trainer this morning, one waiting."""
        evening = _at(start + timedelta(days=1), time(19, 30))
        (big_lou,) = [
            record
            for record in record_studied(
                self.trainees[LOCKED_DOWN_AGAIN],
                SessionPage.objects.get(slug="care-for-older-adults"),
                evening,
            )
            if record.membership.cohort_id == cohort.pk
        ]
        confirm_self_study(big_lou, self.users["trainer"], self.today)
        name, slug = STUDIED_WAITING
        record_studied(self.trainees[name], SessionPage.objects.get(slug=slug), evening)

    def hold_cycle_2(self, delivery: Delivery, day_number: int) -> None:
        members = [*CYCLE_1_COMPLETERS, *CYCLE_2_ASPIRING]
        marks: dict = dict.fromkeys(members, Mark.PRESENT)
        delivery.status = Delivery.Status.DELIVERED
        slug = delivery.session.slug
        if slug == "care-for-older-adults":
            delivery.status = Delivery.Status.DISRUPTED
            delivery.disruption_reason = "Lockdown on two wings: started 40 minutes late."
            delivery.notes = (
                "Terry led it with the facilitator observing. Four could not be unlocked; "
                "a catch-up is booked for tomorrow afternoon."
            )
            for name in LOCKED_DOWN:
                marks[name] = (Mark.ABSENT, Reason.REGIME, "Wing locked down.")
        if day_number >= 1:
            marks[TRANSFERRED] = (Mark.ABSENT, Reason.TRANSFERRED, "Transferred to another prison.")
        if slug == "communication-in-care":
            marks["Sol"] = (Mark.LATE, "", "Came from education.")
        if slug == "working-with-loss":
            marks["Dee"] = (Mark.LEFT_EARLY, "", "Called to healthcare.")
        if slug == STUDIED_WAITING[1]:
            marks[STUDIED_WAITING[0]] = (Mark.ABSENT, Reason.HEALTHCARE, "Dental appointment.")
        delivery.save()
        self.mark(delivery, marks, by=delivery.lead_trainer.username)

    # --- Train the trainers, through the rules ------------------------------------------------

    def trainer_stages(self) -> None:
        by = self.users["facilitator"]
        d, c = self.deliveries, self.catch_ups
        cfoa, br, cic = "care-for-older-adults", "building-resilience", "communication-in-care"
        steps = [  # who, stage, evidence: a delivery of the session they took part in
            ("trainer", Stage.OBSERVED, d[(1, cfoa)]),
            ("trainer", Stage.CO_DELIVERED, c[(1, cfoa)]),
            ("trainer", Stage.DELIVERED_UNDER_OBSERVATION, d[(2, cfoa)]),
            ("trainer", Stage.SIGNED_OFF, c[(2, cfoa)]),
            ("officer", Stage.OBSERVED, d[(1, br)]),
            ("officer", Stage.CO_DELIVERED, c[(1, br)]),
            ("officer", Stage.DELIVERED_UNDER_OBSERVATION, d[(2, br)]),
            ("dlo", Stage.OBSERVED, d[(1, cic)]),
            ("dlo", Stage.CO_DELIVERED, d[(2, cic)]),
            ("ot", Stage.OBSERVED, d[(2, "principles-of-care")]),
        ]
        for username, stage, evidence in steps:
            record_trainer_stage(self.users[username], evidence.session, stage, evidence, by)

    # --- Shadowing: new workers alongside experienced ones ----------------------------------

    def shadowing(self) -> None:
        t, today, writer = self.trainees, self.today, self.users["trainer"]
        long_enough = ShadowingPlacement.objects.create(
            new_worker=t["Frankie"],
            experienced_worker=t["Dee"],
            starts_on=today - timedelta(days=20),
            ends_on=today - timedelta(days=6),
        )
        too_short = ShadowingPlacement.objects.create(
            new_worker=t["Sol"],
            experienced_worker=t["Marcus"],
            starts_on=today - timedelta(days=12),
            ends_on=today - timedelta(days=2),
        )
        ShadowingLogEntry.objects.bulk_create(
            [
                ShadowingLogEntry(
                    placement=long_enough,
                    day=today - timedelta(days=19),
                    note="Morning rounds on the older prisoners' landing with Dee.",
                    written_by=writer,
                ),
                ShadowingLogEntry(
                    placement=long_enough,
                    day=today - timedelta(days=12),
                    note="Helped at mealtimes; talked through when to fetch an officer.",
                    written_by=writer,
                ),
                ShadowingLogEntry(
                    placement=too_short,
                    day=today - timedelta(days=11),
                    note="First day with Marcus; cut short when Marcus moved wing.",
                    written_by=writer,
                ),
            ]
        )


def _northfield(establishment: Establishment, today: date) -> Cohort:
    """A small cohort in another prison: nobody of the demo staff but the superuser sees it."""
    start = today - timedelta(days=7)
    cohort = Cohort.objects.create(
        establishment=establishment,
        programme=ProgrammePage.objects.get(slug="five-afternoon-programme"),
        name="Northfield cycle 1",
        start_date=start,
        status=Cohort.Status.RUNNING,
    )
    trainees = [
        Trainee.objects.create(
            establishment=establishment,
            display_name=name,
            prison_number="A5502NF" if name == "Reece" else "",
            consent_recorded_on=start,
        )
        for name in NORTHFIELD_TRAINEES
    ]
    Membership.objects.bulk_create(
        Membership(cohort=cohort, trainee=trainee, joined_on=start) for trainee in trainees
    )
    for index, slot in enumerate(outline(cohort.programme).sessions):
        held = index < 2
        delivery = Delivery.objects.create(
            cohort=cohort,
            session=slot.session,
            starts_at=_at(start + timedelta(weeks=index // 2), slot.start_time),
            location="Education block, room 4",
            status=Delivery.Status.DELIVERED if held else Delivery.Status.PLANNED,
        )
        if held:
            Attendance.objects.bulk_create(
                Attendance(delivery=delivery, trainee=trainee, mark=Mark.PRESENT)
                for trainee in trainees
            )
    return cohort
