from django.db import migrations

from kernel.migrations import _roles

ADMIN_MODELS = [
    "establishment",
    "staffprofile",
    "cohort",
    "trainee",
    "membership",
    "delivery",
    "attendance",
    "shadowingplacement",
    "shadowinglogentry",
]
# As granted when cohorts and journals arrived; later permissions get a migration of their own.
PERMISSIONS = {
    "Facilitator": [
        "cohorts.take_register",
        *(f"cohorts.{a}_{m}" for m in ADMIN_MODELS for a in ("add", "change", "delete", "view")),
        "cohorts.view_trainerstage",
        "cohorts.view_certificate",
        "journals.keep_journal",
        "journals.supervise",
    ],
    "Local trainer": [
        "cohorts.view_cohort",
        "cohorts.take_register",
        "journals.keep_journal",
        "journals.supervise",
    ],
    "Education department": ["cohorts.view_cohort"],
    "Peer support worker": ["cohorts.view_own_progress", "journals.keep_journal"],
}


def grant_permissions(apps, schema_editor):
    _roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    """Give the roles their permissions on cohorts (the staff screens, registers, the admin) and
    on journals (keeping one, supervising)."""

    # Made as trainingsite's migrations; databases that ran them there count them as run.
    replaces = [("trainingsite", "0002_cohort_and_journal_roles")]
    dependencies = [
        ("kernel", "0001_roles"),
        ("cohorts", "0002_staff_screens"),
        ("journals", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
