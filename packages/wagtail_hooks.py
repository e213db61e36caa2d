from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import urls


@hooks.register("register_admin_urls")
def register_package_urls():
    return [path("packages/", include(urls, namespace="packages"))]


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def _package_items():
    return [
        PermittedMenuItem(
            "Export a package",
            reverse("packages:export"),
            icon_name="download",
            permission="packages.export_package",
            order=100,
        ),
        PermittedMenuItem(
            "Import a package",
            reverse("packages:import"),
            icon_name="upload",
            permission="packages.import_package",
            order=200,
        ),
    ]


class PackagesMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return any(request.user.has_perm(f"packages.{p}_package") for p in ("export", "import"))


@hooks.register("register_admin_menu_item")
def register_packages_menu():
    return PackagesMenuItem(
        "Packages",
        Menu(construct_hook_name=None, items=_package_items()),
        icon_name="folder-open-inverse",
        name="curriculum-packages",
        order=350,
    )
