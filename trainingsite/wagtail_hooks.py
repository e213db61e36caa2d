from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import BaseViewRestriction


@hooks.register("before_serve_document", order=-1)
def refuse_documents_of_other_roles(document, request):
    """A signed-in person outside the groups a collection is kept for (a peer support worker or
    an evaluator asking for trainer material) gets 403, which is audited. Wagtail's own check
    would send them to the sign-in page, which sends a signed-in person straight back."""
    if not request.user.is_authenticated:
        return None
    for restriction in document.collection.get_view_restrictions():
        groups_only = restriction.restriction_type == BaseViewRestriction.GROUPS
        if groups_only and not restriction.accept_request(request):
            raise PermissionDenied
    return None
