def roles(request):
    """What the navigation may offer the signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    learner = user.has_perm("cohorts.view_own_progress") and not user.has_perm(
        "cohorts.view_cohort"
    )
    return {
        "home_url": "/learn/" if learner else "/",
        "can_present": user.has_perm("courses.present_session"),
        "can_see_trainer_material": user.has_perm("courses.view_trainer_material"),
        "can_edit_curriculum": user.has_perm("wagtailadmin.access_admin"),
        "can_print": user.has_perm("printing.print_books"),
        "can_see_cohorts": user.has_perm("cohorts.view_cohort"),
        "can_see_own_progress": user.has_perm("cohorts.view_own_progress"),
        "can_fill_questionnaires": user.has_perm("cohorts.view_own_progress"),
        "can_keep_journal": user.has_perm("journals.keep_journal"),
        "can_see_supervision": user.has_perm("journals.supervise")
        or user.has_perm("cohorts.view_own_progress"),
        "can_see_reports": user.has_perm("evaluation.view_reports"),
    }
