from django.db import migrations

from kernel.migrations import _roles

# The roles as they were first made; later migrations grant what came after.
FIRST_ROLE_PERMISSIONS = {
    "Facilitator": [
        "wagtailadmin.access_admin",
        "courses.view_trainer_material",
        "courses.present_session",
    ],
    "Local trainer": ["courses.view_trainer_material", "courses.present_session"],
    "Education department": ["courses.view_trainer_material"],
    "Peer support worker": [],
    "Evaluator": [],
}


def create_roles(apps, schema_editor):
    _roles.grant(apps, FIRST_ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    # Made as trainingsite's migrations; databases that ran them there count them as run.
    replaces = [("trainingsite", "0001_roles")]
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("courses", "0001_initial"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
