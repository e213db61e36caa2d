"""Making a package: from this install's published content, or from the curriculum bundled with
the code."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from wagtail.models import Site

from courses.models import SessionPage
from evaluation.models import Questionnaire
from evaluation.questionnaires import QUESTIONNAIRES
from trainer_resources.services import CHAPTERS_DIR as TRAINER_CHAPTERS_DIR
from workbook_content.services import CHAPTERS_DIR as WORKBOOK_CHAPTERS_DIR

from .. import formats
from ..archive import Package
from .content import CHAPTER_MODELS, local_choose, local_plain, session_slugs


def _made_by() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.site_name or 'Peer Support Training'} ({site.hostname})" if site else "unknown"


def export_package(programmes, name: str, version: str, made_by: str | None = None) -> Package:
    """The published content of ``programmes``: their live sessions, every live book chapter,
    every questionnaire and the pictures they show. Nothing about people is read."""
    slugs = session_slugs()
    live_sessions = set(SessionPage.objects.live().values_list("pk", flat=True))
    pictures: dict[str, bytes] = {}
    choose = local_choose({pk: slug for pk, slug in slugs.items() if pk in live_sessions}, pictures)
    files: dict[str, bytes] = {}
    programme_sources, session_ids = [], []
    for programme in programmes:
        plain = local_plain(f"programme:{programme.slug}", programme, choose)
        programme_sources.append(formats.programme_source(plain))
        session_ids += [pk for pk, slug in slugs.items() if slug in formats.slot_sessions(plain)]
    for session in SessionPage.objects.live().filter(pk__in=session_ids).order_by("slug"):
        source = formats.session_source(local_plain("session", session, choose))
        files[f"sessions/{session.slug}.toml"] = formats.to_toml(source).encode()
    files["programmes.toml"] = formats.to_toml({"programme": programme_sources}).encode()
    for audience, model in CHAPTER_MODELS.items():
        for chapter in model.objects.filter(live=True).order_by("key"):
            source = formats.chapter_source(local_plain(audience, chapter, choose), model)
            files[f"chapters/{audience}/{chapter.key}.toml"] = formats.to_toml(source).encode()
    for questionnaire in Questionnaire.objects.order_by("slug"):
        source = formats.plain_questionnaire(questionnaire)
        files[f"questionnaires/{questionnaire.slug}.toml"] = formats.to_toml(source).encode()
    files.update(pictures)
    return Package(
        name=name,
        version=version,
        made_at=datetime.now(UTC).isoformat(timespec="seconds"),
        made_by=made_by or _made_by(),
        files=files,
    )


def bundled_package() -> Package:
    """The curriculum shipped with the code, as a package: ``courses/curriculum``, the chapter
    apps' ``chapters/`` and the seeded questionnaires. Its manifest is made here, as it is read."""
    curriculum = Path(settings.CURRICULUM_DIR)
    files = {"programmes.toml": (curriculum / "programmes.toml").read_bytes()}
    folders = {
        "sessions": curriculum / "sessions",
        "chapters/workbook": WORKBOOK_CHAPTERS_DIR,
        "chapters/trainer": TRAINER_CHAPTERS_DIR,
    }
    for folder, directory in folders.items():
        for path in sorted(Path(directory).glob("*.toml")):
            files[f"{folder}/{path.name}"] = path.read_bytes()
    for definition in QUESTIONNAIRES:
        source = {name: value for name, value in definition.items() if name != "items"}
        source["items"] = [
            dict(zip(formats.ITEM_FIELDS, item, strict=True)) for item in definition["items"]
        ]
        files[f"questionnaires/{definition['slug']}.toml"] = formats.to_toml(source).encode()
    digest = hashlib.sha256()
    for path, data in sorted(files.items()):
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return Package(
        name="Bundled curriculum",
        version=digest.hexdigest()[:12],
        made_at="",
        made_by="Bundled with this site's code",
        files=files,
    )
