"""What an edition is made from, as one fingerprint: the published revisions of its pages and
snippets, and the contents of its templates, stylesheets and fonts."""

import hashlib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from wagtail.models import Page


def _documents():
    from . import documents

    return documents


def _revision_model(source):
    """The model whose table holds ``live_revision_id`` for a source, or None."""
    if isinstance(source, Page):
        return Page
    if getattr(source, "_meta", None) is not None and hasattr(source, "live_revision_id"):
        return type(source)
    return None


def published_revisions(sources) -> dict[tuple, int | None]:
    """The published revision of every page and draftable snippet among ``sources``, read
    from the database (an object in memory may be older), one query per model."""
    wanted: dict = defaultdict(set)
    for source in sources:
        model = _revision_model(source)
        if model is not None:
            wanted[model].add(source.pk)
    found = {}
    for model, ids in wanted.items():
        rows = model._base_manager.filter(pk__in=ids).values_list("pk", "live_revision_id")
        found.update({(model, pk): revision for pk, revision in rows})
    return found


def source_version(source, revisions: dict[tuple, int | None] | None = None) -> str:
    """What identifies the published state of one page or snippet that feeds a document.

    A page or draftable snippet is identified by its published revision; anything without
    revisions by a digest of its field values, so that any edit changes it.
    """
    meta = getattr(source, "_meta", None)
    if meta is None:
        return "value:" + hashlib.sha256(repr(source).encode()).hexdigest()
    label = f"{meta.label_lower}:{source.pk}"
    model = _revision_model(source)
    revision = getattr(source, "live_revision_id", None)
    if revisions is not None and model is not None:
        revision = revisions.get((model, source.pk), revision)
    if revision:
        return f"{label}:revision {revision}"
    values = "\n".join(
        f"{field.attname}={field.value_to_string(source)}" for field in meta.concrete_fields
    )
    return f"{label}:fields {hashlib.sha256(values.encode()).hexdigest()}"


def template_file_path(name) -> Path | None:
    """A file of ``TEMPLATE_FILES``: a path (absolute, or from the project folder), a
    template name or a static file name."""
    path = Path(name)
    if not path.is_absolute():
        path = Path(settings.BASE_DIR) / path
    if path.is_file():
        return path
    try:
        origin = get_template(str(name)).origin.name
    except TemplateDoesNotExist:
        origin = None
    if origin and Path(origin).is_file():
        return Path(origin)
    found = finders.find(str(name))
    return Path(found) if found else None


@lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# The print page's own templates and script sit next to the book templates; they change no PDF.
PRINT_PAGE_FILES = {
    "print_page.html",
    "print_documents.html",
    "print_document_head.html",
    "print_document_row.html",
    "print_page.js",
}


def template_files_digest() -> str:
    """One digest of the contents of every template and stylesheet the documents use."""
    digest = hashlib.sha256()
    for name in _documents().TEMPLATE_FILES:
        if Path(name).name in PRINT_PAGE_FILES:
            continue
        path = template_file_path(name)
        if path is None:
            digest.update(f"{name}: missing\n".encode())
            continue
        stat = path.stat()
        file_digest = _file_digest(str(path), stat.st_mtime_ns, stat.st_size)
        digest.update(f"{name}: {file_digest}\n".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")
