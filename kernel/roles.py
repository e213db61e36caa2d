"""The five roles (Django groups) and what each may do.

Groups are created by a migration (``kernel/migrations``); page and collection
permissions on the curriculum are granted by ``grant_curriculum_permissions`` once the
Curriculum page exists (``load_curriculum`` calls it).
"""

FACILITATOR = "Facilitator"
LOCAL_TRAINER = "Local trainer"
EDUCATION = "Education department"
PEER_SUPPORT_WORKER = "Peer support worker"
EVALUATOR = "Evaluator"

# The cohort records facilitators keep in the Wagtail admin ("Cohorts" menu). Trainer stages and
# certificates are only viewed there: they are made through the rules in cohorts/services.py.
COHORT_ADMIN_MODELS = [
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
COHORT_ADMIN_PERMISSIONS = [
    f"cohorts.{action}_{model}"
    for model in COHORT_ADMIN_MODELS
    for action in ("add", "change", "delete", "view")
] + ["cohorts.view_trainerstage", "cohorts.view_certificate"]

# Questionnaires and costs, edited by facilitators in the admin.
EVALUATION_ADMIN_PERMISSIONS = [
    f"evaluation.{action}_{model}"
    for model in ("questionnaire", "hourlycost", "cohortcosts")
    for action in ("add", "change", "view")
]

ROLE_PERMISSIONS = {
    FACILITATOR: [
        "wagtailadmin.access_admin",
        "courses.view_trainer_material",
        "courses.present_session",
        "cohorts.take_register",
        "cohorts.run_cohort",
        *COHORT_ADMIN_PERMISSIONS,
        "journals.keep_journal",
        "journals.supervise",
        *EVALUATION_ADMIN_PERMISSIONS,
        "evaluation.view_reports",
        "evaluation.enter_responses",
    ],
    LOCAL_TRAINER: [
        "courses.view_trainer_material",
        "courses.present_session",
        "cohorts.view_cohort",
        "cohorts.take_register",
        "cohorts.run_cohort",
        "journals.keep_journal",
        "journals.supervise",
        "evaluation.view_reports",
        "evaluation.enter_responses",
    ],
    EDUCATION: ["courses.view_trainer_material", "cohorts.view_cohort"],
    PEER_SUPPORT_WORKER: ["cohorts.view_own_progress", "journals.keep_journal"],
    EVALUATOR: ["evaluation.view_reports"],
}

# Facilitators edit and submit; publishing happens when another facilitator approves
# the change in the "Curriculum review" workflow.
FACILITATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
FACILITATOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def grant_curriculum_permissions(curriculum_page) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    facilitators = Group.objects.get(name=FACILITATOR)
    for codename in FACILITATOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=facilitators,
            page=curriculum_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    root = Collection.get_first_root_node()
    for app_label, codename in FACILITATOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=facilitators,
            collection=root,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


def is_staff_member(user) -> bool:
    """Everyone who works for the prison or the programme: all but peer support workers."""
    return user.is_superuser or user.groups.exclude(name=PEER_SUPPORT_WORKER).exists()
