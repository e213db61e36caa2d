from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Facilitators keep the costs (evaluation's hourly and cohort costs too): the cost per sheet.
PERMISSIONS = ["change_printsettings", "view_printsettings"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("printing")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Facilitator")
    for codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="printing", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0005_self_study"),
        ("kernel", "0001_roles"),
        ("printing", "0003_build_lease"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PrintSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "cost_per_sheet",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("4.00"),
                        help_text="What one A4 sheet costs to print on both sides, in pence, paper and toner together. The estimate in a cohort's pack multiplies the sheets by this.",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("500")),
                        ],
                        verbose_name="Cost per sheet (pence)",
                    ),
                ),
            ],
            options={
                "verbose_name": "Printing costs",
            },
        ),
        migrations.CreateModel(
            name="CohortPack",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("building", "Building"),
                            ("ready", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="building",
                        max_length=10,
                    ),
                ),
                (
                    "progress",
                    models.CharField(
                        blank=True, help_text="What the build is doing.", max_length=200
                    ),
                ),
                (
                    "error",
                    models.TextField(blank=True, help_text="Why the build failed, in plain words."),
                ),
                ("file", models.FileField(blank=True, max_length=255, upload_to="editions/")),
                ("size", models.PositiveBigIntegerField(blank=True, help_text="Bytes.", null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                (
                    "heartbeat_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When the worker building it last said it was alive.",
                        null=True,
                    ),
                ),
                (
                    "attempts",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="How many times a worker has started building it."
                    ),
                ),
                (
                    "task_id",
                    models.CharField(
                        blank=True,
                        help_text="The background task that builds it now.",
                        max_length=64,
                    ),
                ),
                ("built_at", models.DateTimeField(blank=True, null=True)),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cohorts.cohort",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "building")),
                        fields=("cohort",),
                        name="printing_cohortpack_one_build_per_cohort",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
