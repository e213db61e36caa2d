"""What this install holds from curriculum packages: each package version imported, and for
each item the fingerprints that tell a later package what changed here and what changed there."""

from django.conf import settings
from django.db import models


class PackageVersion(models.Model):
    """One import of a package (or of the curriculum bundled with the code)."""

    name = models.CharField(max_length=120)
    version = models.CharField(max_length=60)
    made_at = models.CharField(max_length=40, help_text="When the package was made.")
    made_by = models.CharField(max_length=200, help_text="Where the package was made.")
    sha256 = models.CharField(max_length=64, help_text="Digest of the package's manifest.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.BooleanField(help_text="Published at once rather than sent for review.")
    summary = models.JSONField(default=dict, help_text="How many items were new, updated ...")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        permissions = [
            ("export_package", "Can export curriculum packages"),
            ("import_package", "Can import curriculum packages"),
        ]

    def __str__(self):
        return f"{self.name} {self.version}"


class ImportedItem(models.Model):
    """An item (``session:hand-hygiene``, ``workbook:glossary`` ...) as a package last brought
    it: the package's content and the local content just after, as fingerprints."""

    key = models.CharField(max_length=300, unique=True)
    package_fingerprint = models.CharField(max_length=64)
    local_fingerprint = models.CharField(max_length=64)
    package_version = models.ForeignKey(
        PackageVersion, on_delete=models.PROTECT, related_name="items"
    )

    def __str__(self):
        return self.key
