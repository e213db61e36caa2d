"""Content of this install in the plain form of ``packages.formats``: which object an item's key
names, and chooser values (pictures, sessions) as the package names them."""

import hashlib
from pathlib import PurePosixPath

from wagtail import blocks
from wagtail.images import get_image_model

from courses.models import ProgrammePage, SessionPage
from evaluation.models import Questionnaire
from trainer_resources.models import TrainerChapter
from workbook_content.models import WorkbookChapter

from .. import formats
from ..archive import Package
from ..errors import PackageError

CHAPTER_MODELS = {"workbook": WorkbookChapter, "trainer": TrainerChapter}
KINDS = {
    "session": "Session",
    "programme": "Programme",
    "workbook": "Workbook chapter",
    "trainer": "Trainer book chapter",
    "questionnaire": "Questionnaire",
}


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


def package_choose(package: Package, pictures: dict[str, bytes]):
    def choose(block, value):
        if isinstance(block, blocks.PageChooserBlock):
            return value
        if value not in package.files:
            raise PackageError("missing_picture", f"The picture {value!r} is not in the package.")
        path = _picture_path(value, package.files[value])
        pictures[path] = package.files[value]
        return path

    return choose


def session_slugs() -> dict[int, str]:
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


def local_object(key: str):
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
