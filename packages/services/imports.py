"""Importing a package, in one transaction."""

from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import DataError, transaction
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.models import Workflow, WorkflowContentType

from courses.chapters import REVIEW_WORKFLOW
from courses.models import ProgrammePage, SessionPage
from courses.services import ensure_home_and_curriculum
from evaluation.models import Item, Questionnaire

from .. import formats
from ..archive import Package
from ..errors import PackageError
from ..models import ImportedItem, PackageVersion
from .content import CHAPTER_MODELS
from .plan import NEW, UNCHANGED, UPDATED, Change, Plan, inspect_package


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


def _check(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise PackageError("invalid_item", f"{obj}: {'; '.join(error.messages)}") from error


def _save_revision(obj, user, publish: bool) -> None:
    _check(obj)
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
    _check(questionnaire)
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
        _check(item, exclude=["questionnaire"])
        item.save()


def _with_ids(change: Change, picture_ids: dict[str, int], session_ids: dict[str, int]) -> dict:
    def choose(block, value):
        if isinstance(block, blocks.PageChooserBlock):
            return session_ids[value]
        return picture_ids[value]

    if change.kind == "session":
        return formats.plain_session(change.plain, SessionPage, choose)
    return formats.plain_programme(change.plain, ProgrammePage, choose)


def _apply(change: Change, curriculum, picture_ids, session_ids, user, publish: bool) -> None:
    if change.kind in ("session", "programme"):
        model = SessionPage if change.kind == "session" else ProgrammePage
        ids = {**dict(SessionPage.objects.values_list("slug", "pk")), **session_ids}
        fields = _with_ids(change, picture_ids, ids)
        page = _apply_page(change, model, fields, curriculum, user, publish)
        if change.kind == "session":
            session_ids[page.slug] = page.pk
    elif change.kind == "questionnaire":
        _apply_questionnaire(change)
    else:
        _apply_chapter(change, CHAPTER_MODELS[change.kind], user, publish)


@transaction.atomic
def import_package(
    package: Package, *, user=None, publish: bool = False, overwrite: bool = False
) -> Plan:
    """Import ``package`` in one transaction and return what it did. ``overwrite`` takes the
    package's version of conflicts too (``load_curriculum --update``)."""
    curriculum = ensure_home_and_curriculum()
    review = Workflow.objects.get(name=REVIEW_WORKFLOW)
    for model in CHAPTER_MODELS.values():
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": review}
        )
    plan = inspect_package(package)
    if overwrite:
        for change in plan.changes:
            if change.differs:
                change.status = UPDATED
    applying = [change for change in plan.changes if change.status in (NEW, UPDATED)]
    picture_ids = _picture_ids(plan.pictures) if applying else {}
    session_ids: dict[str, int] = {}
    for change in sorted(applying, key=lambda change: change.kind != "session"):
        try:
            _apply(change, curriculum, picture_ids, session_ids, user, publish)
        except ValidationError as error:
            raise PackageError(
                "invalid_item", f"{change.path}: {'; '.join(error.messages)}"
            ) from error
        except (TypeError, ValueError, KeyError, AttributeError, DataError) as error:
            raise PackageError(
                "invalid_item", f"{change.path}: {change.title!r} cannot be imported ({error})."
            ) from error
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
