"""What a cohort cost: trainer hours by role times the hourly cost, plus printing and
materials, and the cost per completer."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from cohorts.models import (
    Cohort,
    Delivery,
)
from cohorts.services import (
    COMPLETED,
    cohort_completion,
    completion_counts,
)
from kernel.roles import FACILITATOR

from ..models import (
    CohortCosts,
    HourlyCost,
)

PENNY = Decimal("0.01")
MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True)
class CostBreakdown:
    hours_by_role: dict  # role label -> hours of trainer time (Decimal, 2 places)
    trainer_cost: Decimal
    printing: Decimal
    materials: Decimal
    completers: int
    cost_by_role: dict = field(default_factory=dict)  # role label -> Decimal pounds
    unpriced_roles: tuple[str, ...] = ()  # role labels with hours but no hourly cost set
    costs_recorded: bool = False  # the cohort's printing and materials have been entered

    @property
    def total(self) -> Decimal:
        return self.trainer_cost + self.printing + self.materials

    @property
    def per_completer(self) -> Decimal | None:
        if not self.completers:
            return None
        return (self.total / self.completers).quantize(PENNY, ROUND_HALF_UP)


VISITING_FACILITATOR = "visiting_facilitator"
ROLE_NOT_RECORDED = "not_recorded"
ROLE_LABELS = {**dict(HourlyCost.ROLES), ROLE_NOT_RECORDED: "Trainer's role not recorded"}


@dataclass(frozen=True)
class DeliveryFacts:
    pk: int
    status: str
    led_by: str
    lead_trainer_id: int | None
    minutes: int


def delivery_facts(cohort: Cohort) -> list[DeliveryFacts]:
    rows = Delivery.objects.filter(cohort=cohort).values_list(
        "pk", "status", "led_by", "lead_trainer_id", "session__duration"
    )
    return [DeliveryFacts(*row[:4], minutes=row[4] or 0) for row in rows]


def trainer_roles(user_ids) -> dict[int, str]:
    """How each trainer's time is priced: "visiting_facilitator" for a member of the
    Facilitator group, else their StaffProfile discipline, else "not_recorded". One query."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=FACILITATOR)
    rows = (
        User.objects.filter(pk__in=list(user_ids))
        .annotate(is_facilitator=Exists(in_group))
        .values_list("pk", "is_facilitator", "staff_profile__discipline")
    )
    return {
        pk: VISITING_FACILITATOR if facilitator else (discipline or ROLE_NOT_RECORDED)
        for pk, facilitator, discipline in rows
    }


def cost_breakdown(
    cohort: Cohort, deliveries: list[DeliveryFacts], completers: int
) -> CostBreakdown:
    held = [d for d in deliveries if d.status in Delivery.HELD]
    co_trainers = defaultdict(set)
    for delivery_id, user_id in Delivery.co_trainers.through.objects.filter(
        delivery__cohort=cohort, delivery__status__in=Delivery.HELD
    ).values_list("delivery_id", "user_id"):
        co_trainers[delivery_id].add(user_id)
    trainers = {d.pk: ({d.lead_trainer_id} | co_trainers[d.pk]) - {None} for d in held}
    roles = trainer_roles(set().union(*trainers.values())) if held else {}
    minutes_by_role: Counter = Counter()
    for delivery in held:
        if delivery.lead_trainer_id is None:  # who led is known only as "facilitator" or not
            unnamed = (
                VISITING_FACILITATOR
                if delivery.led_by == Delivery.LedBy.VISITING_FACILITATOR
                else ROLE_NOT_RECORDED
            )
            minutes_by_role[unnamed] += delivery.minutes
        for user_id in trainers[delivery.pk]:
            minutes_by_role[roles.get(user_id, ROLE_NOT_RECORDED)] += delivery.minutes
    rates = dict(HourlyCost.objects.values_list("role", "pounds_per_hour"))
    hours, costs, unpriced = {}, {}, []
    for role in ROLE_LABELS:  # in the order of HourlyCost.ROLES
        minutes = minutes_by_role.get(role, 0)
        if not minutes:
            continue
        label = ROLE_LABELS[role]
        hours[label] = (Decimal(minutes) / MINUTES_PER_HOUR).quantize(PENNY)
        rate = rates.get(role)
        if rate is None:
            unpriced.append(label)
            costs[label] = Decimal("0.00")
        else:
            costs[label] = (rate * minutes / MINUTES_PER_HOUR).quantize(PENNY, ROUND_HALF_UP)
    extras = CohortCosts.objects.filter(cohort=cohort).first()
    return CostBreakdown(
        hours_by_role=hours,
        trainer_cost=sum(costs.values(), Decimal("0.00")),
        printing=extras.printing if extras else Decimal("0.00"),
        materials=extras.materials if extras else Decimal("0.00"),
        completers=completers,
        cost_by_role=costs,
        unpriced_roles=tuple(unpriced),
        costs_recorded=extras is not None,
    )


def cost_of(cohort: Cohort) -> CostBreakdown:
    """Trainer hours of every held delivery (session length x each trainer: lead and
    co-trainers, priced by role: the visiting facilitator's rate for facilitators, else their
    staff discipline's) times HourlyCost, plus the cohort's printing and materials. A role with
    no hourly cost counts its hours at £0 and is named in ``unpriced_roles``."""
    counts = completion_counts(cohort_completion(cohort).values())
    return cost_breakdown(cohort, delivery_facts(cohort), counts[COMPLETED])
