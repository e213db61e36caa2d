from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AuditEvent


class AdministratorsMayOnlyRead(ModelPermissionPolicy):
    """Only administrators (superusers) see the audit log, and nobody may change it."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action == "view"

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = "Audit log"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["at", "username", "action", "what", "ip_address"]
    list_filter = ["action", "at", "username"]
    search_fields = ["username", "what"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["what"]  # required by ModelViewSet; no one holds the permission to use it


register_permission_policy(AuditEvent, AdministratorsMayOnlyRead(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEventViewSet("audit_log")
