from django.contrib.auth.management import create_permissions
from django.db import migrations

# Who may build and download the printed books: education departments print them,
# facilitators check them.
ROLES = ["Facilitator", "Education department"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("printing")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="printing", codename="print_books")
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("printing", "0001_initial"),
        ("kernel", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
