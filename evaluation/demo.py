"""The demo's evaluation records at HMP Example, so the reports show something on first run.

The story: cycle 1 (five afternoons, finished) answered the attitudes-to-care and self-esteem
questionnaires on paper on its first afternoon, and the eight who completed answered them again
when they finished. Most scored a few points higher at the end; one or two the same or a point
or two lower, as real groups do. Cycle 2 (three days, in its last day today) answered them on
its first morning; nobody has reached the end yet, so its comparison has no pairs. Feedback
forms were handed out after each session from cycle 1's second afternoon on; a few people
receiving support from cycle 1's peer workers filled in the buddy form at the three-month
follow-up. Hourly costs and both cycles' printing and materials are entered; HMP Northfield has
no costs yet, so its scheme-health page shows the gap.

Everything is drawn from ``random.Random(SEED)``: the demo is the same on every machine. Free
text comes from the lists below, none of which names anyone.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from cohorts.models import Attendance, Cohort, Delivery, Trainee
from cohorts.services import COMPLETED, cohort_completion
from kernel import clock

from .models import Answer, CohortCosts, HourlyCost, Item, Questionnaire, Response, TimePoint

SEED = 2016

HOURLY_COSTS = {  # role: pounds per hour, editable by facilitators in the admin
    "visiting_facilitator": Decimal("45.00"),
    "nurse": Decimal("32.00"),
    "prison_officer": Decimal("28.00"),
    "dlo": Decimal("28.00"),
    "occupational_therapist": Decimal("35.00"),
    "other": Decimal("25.00"),
}

# Cycle 1 completers' change from before to the end, in points.
ROSENBERG_CHANGE = {
    "Dee": 4,
    "Marcus": 3,
    "Big Lou": 0,
    "Tommo": 5,
    "Jay": 2,
    "Sully": -1,
    "Kenny": 3,
    "Ash": 2,
}
ATTITUDES_CHANGE = {
    "Dee": 5,
    "Marcus": 2,
    "Big Lou": 4,
    "Tommo": 0,
    "Jay": 6,
    "Sully": 3,
    "Kenny": -2,
    "Ash": 4,
}
STARTING_SCORE = {  # slug: the range a first score is drawn from
    "rosenberg-self-esteem": (11, 20),
    "attitudes-to-care": (28, 38),
}
CHANGE = {"rosenberg-self-esteem": ROSENBERG_CHANGE, "attitudes-to-care": ATTITUDES_CHANGE}

FEEDBACK_COMMENTS = [
    "More time for the role play.",
    "It was a lot to take in after lunch.",
    "More real examples from the wings.",
    "Nothing, it was good.",
    "A break halfway through would help.",
    "More practice pushing a wheelchair safely.",
    "Handouts to take back to the cell.",
    "Good to hear what others on the landing think.",
    "Slower on the slides with a lot of words.",
    "More about dementia.",
]
SUPPORT_COMMENTS = [
    "More help at weekends, when the wing is short of staff.",
    "Someone to walk with me to healthcare appointments.",
    "It is good to have someone to talk to.",
    "",
    "Sometimes I wait a long time for my buddy to come.",
    "Help filling in the forms for the library and the canteen.",
]

COHORT_COSTS = {  # cohort name: printing, materials, notes
    "Cycle 1": ("70.40", "35.00", "11 workbooks at £6.40; flip chart, pens and hand gel."),
    "Cycle 2": ("79.20", "48.50", "11 workbooks at £7.20; slide sheets and a practice chair."),
}


def load_demo_evaluation(story, today: date | None = None) -> None:
    """Load the demo's responses, hourly costs and cohort costs. Needs ``load_questionnaires``,
    the cohorts demo (``story``) and the demo users."""
    _Evaluation(story, today or clock.today()).load()


class _Evaluation:
    def __init__(self, story, today: date):
        self.story = story
        self.today = today
        self.rng = random.Random(SEED)  # noqa: S311 -- demo data, deterministic on purpose
        users = get_user_model().objects.filter(username__in=["facilitator", "trainer", "officer"])
        self.users = {user.username: user for user in users}
        self.scales = {
            q.slug: q
            for q in Questionnaire.objects.filter(slug__in=STARTING_SCORE).prefetch_related("items")
        }
        self.feedback = Questionnaire.objects.get(slug="session-feedback")
        self.support = Questionnaire.objects.get(slug="support-received")

    def load(self) -> None:
        for role, pounds in HOURLY_COSTS.items():
            HourlyCost.objects.get_or_create(role=role, defaults={"pounds_per_hour": pounds})
        for cohort in (self.story.cycle_1, self.story.cycle_2):
            printing, materials, notes = COHORT_COSTS[cohort.name]
            CohortCosts.objects.create(
                cohort=cohort,
                printing=Decimal(printing),
                materials=Decimal(materials),
                notes=notes,
            )
        ends = self.cycle_1_scales()
        self.cycle_2_scales(ends)
        self.northfield_scales()
        self.session_feedback()
        self.support_received()

    # --- Scales -------------------------------------------------------------------------------

    def respond(self, questionnaire, trainee, cohort, time_point, on, answers, **fields):
        """answers: item -> (choice, text)."""
        establishment = fields.pop("establishment", None) or cohort.establishment
        response = Response.objects.create(
            questionnaire=questionnaire,
            establishment=establishment,
            trainee=trainee,
            cohort=cohort,
            time_point=time_point,
            completed_on=on,
            **fields,
        )
        Answer.objects.bulk_create(
            Answer(response=response, item=item, choice=choice, text=text)
            for item, (choice, text) in answers.items()
        )
        return response

    def scale_answers(self, questionnaire: Questionnaire, total: int) -> dict:
        """Answers whose scale score is ``total``: the points spread at random over the
        items, each turned back into the choice that scores it (reversed where the item is)."""
        items = [i for i in questionnaire.items.all() if i.kind == Item.Kind.RATING]
        lowest, highest = questionnaire.lowest_score, questionnaire.highest_score
        values = [lowest] * len(items)
        remaining = total - lowest * len(items)
        if not 0 <= remaining <= (highest - lowest) * len(items):
            raise ValueError(f"{questionnaire.slug} cannot score {total}")
        while remaining:
            n = self.rng.randrange(len(items))
            if values[n] < highest:
                values[n] += 1
                remaining -= 1
        return {
            item: ((highest - value) if item.reverse_scored else (value - lowest), "")
            for item, value in zip(items, values, strict=True)
        }

    def paper(self, username="trainer") -> dict:
        return {"from_paper": True, "entered_by": self.users[username]}

    def cycle_1_scales(self) -> dict:
        """Before for every member, at the end for those who completed (on the day they did).
        Returns the end scores: (slug, trainee id) -> score."""
        cohort = self.story.cycle_1
        results = cohort_completion(cohort)
        trainees = _members(cohort)
        ends = {}
        for slug, questionnaire in self.scales.items():
            low, high = STARTING_SCORE[slug]
            for trainee in trainees:
                before = self.rng.randint(low, high)
                self.respond(
                    questionnaire,
                    trainee,
                    cohort,
                    TimePoint.BEFORE,
                    cohort.start_date,
                    self.scale_answers(questionnaire, before),
                    **self.paper(),
                )
                result = results[trainee.pk]
                if result.status != COMPLETED:
                    continue
                after = before + CHANGE[slug][trainee.display_name]
                ends[(slug, trainee.pk)] = after
                self.respond(
                    questionnaire,
                    trainee,
                    cohort,
                    TimePoint.END,
                    result.completed_on,
                    self.scale_answers(questionnaire, after),
                    **self.paper(),
                )
        return ends

    def cycle_2_scales(self, cycle_1_ends: dict) -> None:
        """Before only: cycle 2 is in its last day. Cycle 1's workers start near where they
        finished; the trainee who signs in answered on screen."""
        cohort = self.story.cycle_2
        for slug, questionnaire in self.scales.items():
            low, high = STARTING_SCORE[slug]
            for trainee in _members(cohort):
                earlier = cycle_1_ends.get((slug, trainee.pk))
                if earlier is None:
                    score = self.rng.randint(low, high)
                else:
                    score = earlier + self.rng.choice([-1, 0, 0, 1])
                on_screen = trainee.user_id is not None
                self.respond(
                    questionnaire,
                    trainee,
                    cohort,
                    TimePoint.BEFORE,
                    cohort.start_date,
                    self.scale_answers(questionnaire, score),
                    **({} if on_screen else self.paper("officer")),
                )

    def northfield_scales(self) -> None:
        cohort = self.story.northfield_cohort
        for slug, questionnaire in self.scales.items():
            low, high = STARTING_SCORE[slug]
            for trainee in _members(cohort):
                self.respond(
                    questionnaire,
                    trainee,
                    cohort,
                    TimePoint.BEFORE,
                    cohort.start_date,
                    self.scale_answers(questionnaire, self.rng.randint(low, high)),
                    **self.paper("facilitator"),
                )

    # --- Feedback -----------------------------------------------------------------------------

    def session_feedback(self) -> None:
        """After most sessions held at HMP Example, from most of those who came; not after
        cycle 1's first afternoon, before the forms were printed."""
        usefulness, before, after, comment = self.feedback.items.order_by("sort_order")
        cycle_1_first_day = self.story.cycle_1.start_date
        held = (
            Delivery.objects.filter(
                cohort__in=[self.story.cycle_1, self.story.cycle_2], status__in=Delivery.HELD
            )
            .select_related("cohort__establishment")
            .order_by("starts_at")
        )
        for delivery in held:
            day = delivery.starts_at.date()
            if day == cycle_1_first_day:
                continue
            came = Trainee.objects.filter(
                attendances__delivery=delivery, attendances__mark__in=Attendance.ATTENDED
            ).order_by("display_name")
            for trainee in came:
                if self.rng.random() > 0.8:
                    continue
                sure_before = self.rng.choice([0, 1, 1, 2, 2, 3])
                sure_after = min(4, sure_before + self.rng.choice([0, 1, 1, 1, 2]))
                text = self.rng.choice(FEEDBACK_COMMENTS) if self.rng.random() < 0.4 else ""
                on_screen = trainee.user_id is not None
                self.respond(
                    self.feedback,
                    trainee,
                    delivery.cohort,
                    TimePoint.AFTER_SESSION,
                    day,
                    {
                        usefulness: (self.rng.choices([1, 2, 3, 4], [1, 3, 6, 5])[0], ""),
                        before: (sure_before, ""),
                        after: (sure_after, ""),
                        comment: (None, text),
                    },
                    delivery=delivery,
                    **({} if on_screen else self.paper()),
                )

    def support_received(self) -> None:
        """Anonymous buddy forms at the three-month follow-up of cycle 1, keyed in from paper:
        no trainee and no cohort, so nothing ties a form to the peer worker it is about."""
        *ratings, comment = self.support.items.order_by("sort_order")
        for text in SUPPORT_COMMENTS:
            answers = {item: (self.rng.choices([0, 1, 2], [1, 3, 8])[0], "") for item in ratings}
            answers[comment] = (None, text)
            self.respond(
                self.support,
                None,
                None,
                TimePoint.FOLLOW_UP,
                self.today - timedelta(days=self.rng.randint(18, 35)),
                answers,
                establishment=self.story.example,
                **self.paper(),
            )


def _members(cohort: Cohort) -> list[Trainee]:
    return list(cohort.trainees.order_by("display_name"))
