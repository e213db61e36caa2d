def publish_approved_revision(workflow_state, user=None):
    """Publish what the curriculum review approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

    Facilitators hold no publish permission of their own, so that every change goes through
    review; the approval is the authority to publish, hence the skipped permission check.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
