from django.db import migrations

from kernel.migrations import _roles


def grant_permissions(apps, schema_editor):
    _roles.grant(apps, {"Facilitator": ["packages.export_package", "packages.import_package"]})


class Migration(migrations.Migration):
    """Facilitators export packages and import them (their imports go to review)."""

    dependencies = [("packages", "0001_initial"), ("kernel", "0005_temporarypassword")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
