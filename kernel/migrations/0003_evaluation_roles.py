from django.db import migrations

from kernel.migrations import _roles

EDITED = [
    f"evaluation.{action}_{model}"
    for model in ("questionnaire", "hourlycost", "cohortcosts")
    for action in ("add", "change", "view")
]
PERMISSIONS = {
    "Facilitator": [*EDITED, "evaluation.view_reports", "evaluation.enter_responses"],
    "Local trainer": ["evaluation.view_reports", "evaluation.enter_responses"],
    "Evaluator": ["evaluation.view_reports"],
}


def grant_permissions(apps, schema_editor):
    _roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    """Reports for evaluators, trainers and facilitators; questionnaires and costs edited by
    facilitators."""

    # Made as trainingsite's migrations; databases that ran them there count them as run.
    replaces = [("trainingsite", "0003_evaluation_roles")]
    dependencies = [
        ("kernel", "0002_cohort_and_journal_roles"),
        ("evaluation", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
