"""Making a curriculum package, seeing what one would change, and importing it.

An item of a package is a session, a programme, a workbook or trainer book chapter, or a
questionnaire, keyed by its slug or chapter key. Against this install each item is:

- **new**: nothing here has its key;
- **updated**: the package changed it since it was last imported, and nobody changed it here;
- **conflict**: it was changed both here and in the package since the last import (or it was
  never imported and differs): the local version is kept, and the difference shown;
- **unchanged**: the same here, or the package has not changed it since the last import (the
  local edits are kept).

Importing is one transaction. New and updated pages and chapters arrive as new revisions sent
to the Curriculum review workflow, or published at once when an administrator says so; a
publish makes the printed books that contain them out of date, and ``printing``'s publish
signals ask for new editions once the import is committed.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.models import Site

from courses.models import ProgrammePage, SessionPage
from courses.services import CurriculumError, ensure_home_and_curriculum
from evaluation.models import Item, Questionnaire
from evaluation.questionnaires import QUESTIONNAIRES
from trainer_resources.models import TrainerChapter
from trainer_resources.services import CHAPTERS_DIR as TRAINER_CHAPTERS_DIR
from workbook_content.models import WorkbookChapter
from workbook_content.services import CHAPTERS_DIR as WORKBOOK_CHAPTERS_DIR

from . import formats
from .archive import Package
from .errors import PackageError
from .models import ImportedItem, PackageVersion

NEW, UPDATED, CONFLICT, UNCHANGED = "new", "updated", "conflict", "unchanged"
STATUSES = {
    NEW: "New",
    UPDATED: "Updated",
    CONFLICT: "Conflict: kept as it is here",
    UNCHANGED: "Unchanged",
}
CHAPTER_MODELS = {"workbook": WorkbookChapter, "trainer": TrainerChapter}
KINDS = {
    "session": "Session",
    "programme": "Programme",
    "workbook": "Workbook chapter",
    "trainer": "Trainer book chapter",
    "questionnaire": "Questionnaire",
}


@dataclass
class Change:
    key: str
    title: str
    path: str
    plain: dict
    status: str = NEW
    diff: str = ""
    local: object = None
    differs: bool = False

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def fingerprint(self) -> str:
        return formats.fingerprint(self.plain)

    @property
    def diff_lines(self) -> list[tuple[str, str]]:
        """The difference line by line, each with how it reads: head, add, remove or same."""
        kinds = {"---": "head", "+++": "head", "@@": "head", "+": "add", "-": "remove"}
        found = []
        for line in self.diff.splitlines():
            kind = next((kinds[mark] for mark in kinds if line.startswith(mark)), "same")
            found.append((kind, line))
        return found


@dataclass
class Plan:
    package: Package
    changes: list[Change] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)

    def with_status(self, status: str) -> list[Change]:
        return [change for change in self.changes if change.status == status]

    @property
    def to_read(self) -> list[Change]:
        """Conflicts first, then updates, then new items: what a person must look at."""
        return self.with_status(CONFLICT) + self.with_status(UPDATED) + self.with_status(NEW)

    @property
    def summary(self) -> dict[str, int]:
        return {status: len(self.with_status(status)) for status in STATUSES}

    @property
    def changes_anything(self) -> bool:
        return bool(self.with_status(NEW) or self.with_status(UPDATED))


# --- Pictures and slots in the plain form --------------------------------------------------------


def _picture_path(name: str, data: bytes) -> str:
    return f"images/{hashlib.sha1(data).hexdigest()}{PurePosixPath(name).suffix.lower()}"  # noqa: S324  Wagtail's own file_hash


def local_choose(session_slugs: dict[int, str], pictures: dict[str, bytes] | None = None):
    """Chooser values of this install in the plain form: a picture as its file, a session as its
    slug. ``pictures`` collects the files named."""
    image_model = get_image_model()

    def choose(block, value):
        if value in (None, ""):
            return None
        if isinstance(block, blocks.PageChooserBlock):
            return session_slugs.get(value)
        image = image_model.objects.filter(pk=value).first()
        if image is None:
            return None
        with image.open_file() as source:
            data = source.read()
        path = _picture_path(image.file.name, data)
        if pictures is not None:
            pictures[path] = data
        return path

    return choose


def _package_choose(package: Package, pictures: dict[str, bytes]):
    def choose(block, value):
        if isinstance(block, blocks.PageChooserBlock):
            return value
        if value not in package.files:
            raise PackageError("missing_picture", f"The picture {value!r} is not in the package.")
        path = _picture_path(value, package.files[value])
        pictures[path] = package.files[value]
        return path

    return choose


def _session_slugs() -> dict[int, str]:
    return dict(SessionPage.objects.values_list("pk", "slug"))


def _live_slots_only(plain: dict) -> dict:
    for day in plain["days"]:
        day["value"]["slots"] = [slot for slot in day["value"]["slots"] if slot["session"]]
    return plain


# --- Local content in the plain form -------------------------------------------------------------


def local_plain(key: str, obj, choose) -> dict:
    kind = key.split(":", 1)[0]
    if kind == "session":
        fields = {
            name: getattr(obj, name)
            for name in (*formats.SESSION_FIELDS, "room_setup", "safeguarding")
        }
        for name in formats.SESSION_STREAMS:
            fields[name] = getattr(obj, name).get_prep_value()
        return formats.plain_session(fields, SessionPage, choose)
    if kind == "programme":
        fields = {name: getattr(obj, name) for name in formats.PROGRAMME_FIELDS}
        fields["days"] = obj.days.get_prep_value()
        return _live_slots_only(formats.plain_programme(fields, ProgrammePage, choose))
    if kind == "questionnaire":
        return formats.plain_questionnaire(obj)
    fields = {"key": obj.key, "title": obj.title, "body": obj.body.get_prep_value()}
    return formats.plain_chapter(fields, CHAPTER_MODELS[kind])


def _latest(obj):
    return (
        obj.get_latest_revision_as_object()
        if hasattr(obj, "get_latest_revision_as_object")
        else obj
    )


def _local_object(key: str):
    kind, name = key.split(":", 1)
    if kind == "session":
        obj = SessionPage.objects.filter(slug=name).first()
    elif kind == "programme":
        obj = ProgrammePage.objects.filter(slug=name).first()
    elif kind == "questionnaire":
        return Questionnaire.objects.filter(slug=name).first()
    else:
        obj = CHAPTER_MODELS[kind].objects.filter(key=name).first()
    return obj and _latest(obj)


# --- Export --------------------------------------------------------------------------------------


def _made_by() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.site_name or 'Peer Support Training'} ({site.hostname})" if site else "unknown"


def export_package(programmes, name: str, version: str, made_by: str | None = None) -> Package:
    """The published content of ``programmes``: their live sessions, every live book chapter,
    every questionnaire and the pictures they show. Nothing about people is read."""
    slugs = _session_slugs()
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


# --- What a package would change -----------------------------------------------------------------


def _items(package: Package, pictures: dict[str, bytes]) -> list[Change]:
    choose = _package_choose(package, pictures)
    changes = []
    for path, data in package.sources.items():
        try:
            changes += _items_of(path, data, choose)
        except PackageError as error:
            raise PackageError(error.code, f"{path}: {error.message}") from error
        except CurriculumError as error:
            raise PackageError("invalid_item", f"{path}: {error.message}") from error
        except KeyError as error:
            raise PackageError("invalid_item", f"{path}: {error} is missing.") from error
        except (TypeError, ValueError, AttributeError) as error:
            raise PackageError(
                "invalid_item", f"{path} is not in the session format: {error}."
            ) from error
    keys = [change.key for change in changes]
    if len(set(keys)) != len(keys):
        twice = sorted({key for key in keys if keys.count(key) > 1})[0]
        raise PackageError("duplicate_item", f"The package holds {twice} twice.")
    return changes


def _items_of(path: str, data: dict, choose) -> list[Change]:
    folder = str(PurePosixPath(path).parent)
    if path == "programmes.toml":
        return [
            Change(
                f"programme:{item['slug']}",
                item["title"],
                path,
                formats.programme_from_source(item, ProgrammePage),
            )
            for item in data.get("programme", [])
        ]
    if folder == "sessions":
        fields = formats.session_fields(data)
        plain = formats.plain_session(fields, SessionPage, choose)
        return [Change(f"session:{plain['slug']}", plain["title"], path, plain)]
    if folder == "questionnaires":
        plain = formats.questionnaire_from_source(data)
        return [Change(f"questionnaire:{plain['slug']}", plain["title"], path, plain)]
    audience = folder.split("/")[1]
    plain = formats.chapter_from_source(data, CHAPTER_MODELS[audience])
    return [Change(f"{audience}:{plain['key']}", plain["title"], path, plain)]


def readable(change: Change, plain: dict) -> str:
    if change.kind == "session":
        return formats.to_toml(formats.session_source(plain))
    if change.kind == "programme":
        return formats.to_toml(formats.programme_source(plain))
    if change.kind == "questionnaire":
        return formats.to_toml(plain)
    return formats.to_toml(formats.chapter_source(plain, CHAPTER_MODELS[change.kind]))


def inspect_package(package: Package) -> Plan:
    """What importing ``package`` would do, item by item. Reads only."""
    plan = Plan(package)
    plan.changes = _items(package, plan.pictures)
    records = {item.key: item for item in ImportedItem.objects.all()}
    choose = local_choose(_session_slugs())
    in_package = {change.plain["slug"] for change in plan.changes if change.kind == "session"}
    local_sessions = set(SessionPage.objects.values_list("slug", flat=True))
    for change in plan.changes:
        if change.kind == "programme":
            for slug in formats.slot_sessions(change.plain):
                if slug not in in_package | local_sessions:
                    raise PackageError(
                        "unknown_session",
                        f"programmes.toml: {change.title} has a session {slug!r} that is neither "
                        "in the package nor on this site.",
                    )
        change.local = _local_object(change.key)
        if change.local is None:
            continue
        local = local_plain(change.key, change.local, choose)
        local_print = formats.fingerprint(local)
        change.differs = local_print != change.fingerprint
        record = records.get(change.key)
        if local_print == change.fingerprint or (
            record and record.package_fingerprint == change.fingerprint
        ):
            change.status = UNCHANGED
        elif record and record.local_fingerprint == local_print:
            change.status = UPDATED
        else:
            change.status = CONFLICT
        if change.status != UNCHANGED:
            change.diff = formats.difference(
                readable(change, local), readable(change, change.plain), change.path
            )
    return plan


# --- Import --------------------------------------------------------------------------------------


def _picture_ids(pictures: dict[str, bytes]) -> dict[str, int]:
    image_model = get_image_model()
    ids = {}
    for path, data in pictures.items():
        file_hash = PurePosixPath(path).stem
        image = image_model.objects.filter(file_hash=file_hash).first()
        if image is None:
            image = image_model(
                title=f"Curriculum picture {file_hash[:8]}",
                file=ImageFile(ContentFile(data), name=PurePosixPath(path).name),
            )
            image.save()
        ids[path] = image.pk
    return ids


def _save_revision(obj, user, publish: bool) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise PackageError("invalid_item", f"{obj}: {'; '.join(error.messages)}") from error
    revision = obj.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        return
    workflow = obj.get_workflow()
    if workflow is None:
        return
    state = obj.current_workflow_state
    if state:
        state.cancel(user=user)
    workflow.start(obj, user)


def keep_block_ids(local: list[dict], new: list[dict]) -> list[dict]:
    """``new`` blocks with the ids of the local blocks they replace (the same type, in order),
    so that what refers to a block (a trainee's answers to a knowledge check) still finds it."""
    kept, start = [], 0
    for block in new:
        match = next(
            (n for n in range(start, len(local)) if local[n]["type"] == block["type"]), None
        )
        if match is not None:
            block = {**block, "id": local[match]["id"]}
            start = match + 1
        kept.append(block)
    return kept


def _apply_page(change: Change, model, fields: dict, curriculum, user, publish: bool):
    page = change.local
    if page is None:
        page = model(**fields, live=publish)
        curriculum.add_child(instance=page)
    else:
        for name, value in fields.items():
            if isinstance(value, list) and name in formats.SESSION_STREAMS:
                value = keep_block_ids(getattr(page, name).get_prep_value(), value)
            setattr(page, name, value)
    _save_revision(page, user, publish)
    return page


def _apply_chapter(change: Change, model, user, publish: bool) -> None:
    chapter = change.local
    if chapter is None:
        chapter = model(key=change.plain["key"], live=publish)
    chapter.title, chapter.body = change.plain["title"], change.plain["body"]
    if chapter.pk is None:
        chapter.full_clean()
        chapter.save()
    _save_revision(chapter, user, publish)


def _apply_questionnaire(change: Change) -> None:
    plain = dict(change.plain)
    items = plain.pop("items")
    questionnaire = change.local or Questionnaire(slug=plain["slug"])
    for name, value in plain.items():
        setattr(questionnaire, name, value)
    questionnaire.save()
    existing = list(questionnaire.items.order_by("sort_order", "pk"))
    for extra in existing[len(items) :]:
        if extra.answers.exists():
            raise PackageError(
                "questionnaire_answered",
                f"{questionnaire.title}: the package drops the question {extra.text!r}, which "
                "has answers here.",
            )
        extra.delete()
    for number, values in enumerate(items):
        item = existing[number] if number < len(existing) else Item(questionnaire=questionnaire)
        for name, value in values.items():
            setattr(item, name, value)
        item.sort_order = number
        item.save()


def _with_ids(change: Change, picture_ids: dict[str, int], session_ids: dict[str, int]) -> dict:
    def choose(block, value):
        if isinstance(block, blocks.PageChooserBlock):
            return session_ids[value]
        return picture_ids[value]

    if change.kind == "session":
        return formats.plain_session(change.plain, SessionPage, choose)
    return formats.plain_programme(change.plain, ProgrammePage, choose)


@transaction.atomic
def import_package(
    package: Package, *, user=None, publish: bool = False, overwrite: bool = False
) -> Plan:
    """Import ``package`` in one transaction and return what it did. ``overwrite`` takes the
    package's version of conflicts too (``load_curriculum --update``)."""
    curriculum = ensure_home_and_curriculum()
    plan = inspect_package(package)
    if overwrite:
        for change in plan.changes:
            if change.differs:
                change.status = UPDATED
    applying = [change for change in plan.changes if change.status in (NEW, UPDATED)]
    picture_ids = _picture_ids(plan.pictures) if applying else {}
    session_ids: dict[str, int] = {}
    for change in sorted(applying, key=lambda change: change.kind != "session"):
        if change.kind in ("session", "programme"):
            model = SessionPage if change.kind == "session" else ProgrammePage
            ids = {**dict(SessionPage.objects.values_list("slug", "pk")), **session_ids}
            page = _apply_page(
                change, model, _with_ids(change, picture_ids, ids), curriculum, user, publish
            )
            if change.kind == "session":
                session_ids[page.slug] = page.pk
        elif change.kind == "questionnaire":
            _apply_questionnaire(change)
        else:
            _apply_chapter(change, CHAPTER_MODELS[change.kind], user, publish)
    version, _ = PackageVersion.objects.get_or_create(
        sha256=package.sha256,
        defaults={
            "name": package.name,
            "version": package.version,
            "made_at": package.made_at,
            "made_by": package.made_by,
            "imported_by": user,
            "published": publish,
            "summary": plan.summary,
        },
    )
    records = {item.key: item for item in ImportedItem.objects.all()}
    for change in plan.changes:
        record = records.get(change.key)
        synced = change.status in (NEW, UPDATED) or (
            change.status == UNCHANGED
            and (record is None or record.package_fingerprint != change.fingerprint)
        )
        if synced:
            ImportedItem.objects.update_or_create(
                key=change.key,
                defaults={
                    "package_fingerprint": change.fingerprint,
                    "local_fingerprint": change.fingerprint,
                    "package_version": version,
                },
            )
    return plan
