"""What a package would change, item by item, against this install. Reads only."""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from courses.models import ProgrammePage, SessionPage
from courses.services import CurriculumError

from .. import formats
from ..archive import Package
from ..errors import PackageError
from ..models import ImportedItem
from .content import (
    CHAPTER_MODELS,
    KINDS,
    local_choose,
    local_object,
    local_plain,
    package_choose,
    session_slugs,
)

NEW, UPDATED, CONFLICT, UNCHANGED = "new", "updated", "conflict", "unchanged"
STATUSES = {
    NEW: "New",
    UPDATED: "Updated",
    CONFLICT: "Conflict: kept as it is here",
    UNCHANGED: "Unchanged",
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


def _items(package: Package, pictures: dict[str, bytes]) -> list[Change]:
    choose = package_choose(package, pictures)
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
    choose = local_choose(session_slugs())
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
        change.local = local_object(change.key)
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
