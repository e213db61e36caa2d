"""Facilitators edit the chapters; publishing goes through the "Curriculum review" workflow."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_workbookchapter", "change_workbookchapter"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("workbook_content")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    facilitators, _ = Group.objects.get_or_create(name="Facilitator")
    facilitators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workbook_content", codename__in=CODENAMES
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workbook_content", "0001_initial"),
        ("kernel", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
