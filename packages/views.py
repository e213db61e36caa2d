"""The admin screens: export a package, upload one, read what it would change, import it."""

import time
import uuid
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .archive import read_package, write_package
from .errors import PackageError
from .forms import ApplyForm, ExportForm, ImportForm
from .models import PackageVersion
from .services import STATUSES, export_package, import_package, inspect_package

UPLOAD_HOURS = 24


class PackageView(WagtailAdminTemplateMixin, FormView):
    permission = ""
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class ExportView(PackageView):
    permission = "packages.export_package"
    page_title = "Export a curriculum package"
    template_name = "packages/export.html"
    form_class = ExportForm

    def form_valid(self, form):
        data = form.cleaned_data
        package = export_package(list(data["programmes"]), data["name"], data["version"])
        name = f"{slugify(data['name'])}-{data['version']}.zip"
        return FileResponse(
            BytesIO(write_package(package)),
            as_attachment=True,
            filename=name,
            content_type="application/zip",
        )


def uploads_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "package_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    for path in uploads_dir().glob("*.zip"):
        if path.stat().st_mtime < time.time() - UPLOAD_HOURS * 3600:
            path.unlink(missing_ok=True)


class ImportView(PackageView):
    permission = "packages.import_package"
    page_title = "Import a curriculum package"
    template_name = "packages/import.html"
    form_class = ImportForm
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = PackageVersion.objects.select_related("imported_by")[:20]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        try:
            package = read_package(upload)
            plan = inspect_package(package)
        except PackageError as error:
            form.add_error("package", error.message)
            return self.form_invalid(form)
        _forget_old_uploads()
        token = uuid.uuid4()
        upload.seek(0)
        (uploads_dir() / f"{token}.zip").write_bytes(upload.read())
        self.page_title = "What this package would change"
        context = self.get_context_data(form=form)
        context.update(
            plan=plan,
            statuses=STATUSES,
            apply_form=ApplyForm(initial={"upload": token}),
            may_publish=self.request.user.is_superuser,
        )
        return self.response_class(
            request=self.request, template="packages/preview.html", context=context
        )


class ApplyView(PackageView):
    permission = "packages.import_package"
    page_title = "Import a curriculum package"
    form_class = ApplyForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        messages.error(self.request, "That upload is no longer here: upload the package again.")
        return redirect("packages:import")

    def form_valid(self, form):
        path = uploads_dir() / f"{form.cleaned_data['upload']}.zip"
        if not path.is_file():
            return self.form_invalid(form)
        publish = form.cleaned_data["publish"] and self.request.user.is_superuser
        try:
            with path.open("rb") as source:
                package = read_package(source)
            plan = import_package(package, user=self.request.user, publish=publish)
        except PackageError as error:
            messages.error(self.request, f"Nothing was imported. {error.message}")
            return redirect("packages:import")
        path.unlink(missing_ok=True)
        counts = plan.summary
        done = "published" if publish else "sent to Curriculum review"
        messages.success(
            self.request,
            f"Imported {package.name} {package.version}: {counts['new']} new and "
            f"{counts['updated']} updated ({done}), {counts['conflict']} kept as they are "
            f"here, {counts['unchanged']} unchanged.",
        )
        return redirect(reverse("packages:import"))
