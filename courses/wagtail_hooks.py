from wagtail import hooks


@hooks.register("construct_page_action_menu")
def submit_for_review_first(menu_items, request, context):
    """For an editor who may not publish, "Submit to Curriculum review" is the button on show,
    not an item under the arrow beside "Save draft": it is how their change goes live."""
    names = [item.name for item in menu_items]
    if "action-publish" in names or "action-submit" not in names:
        return
    submit = menu_items.pop(names.index("action-submit"))
    menu_items.insert(0, submit)
