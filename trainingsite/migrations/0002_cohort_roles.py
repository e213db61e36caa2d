from django.db import migrations

from trainingsite.migrations import _roles
from trainingsite.roles import ROLE_PERMISSIONS


def grant_cohort_permissions(apps, schema_editor):
    _roles.grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    """Give the roles their permissions on cohorts: the staff screens, registers, the admin."""

    dependencies = [("trainingsite", "0001_roles"), ("cohorts", "0002_staff_screens")]

    operations = [migrations.RunPython(grant_cohort_permissions, migrations.RunPython.noop)]
