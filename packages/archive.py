"""A package file: a zip (the standard library's ``zipfile``) holding ``manifest.json`` and the
readable source files, each listed in the manifest with its size and SHA-256.

``read_package`` checks the whole file before anything is read into the database: its size,
the number of items, every path, the unpacked sizes (a zip bomb is refused before it is
unpacked), the manifest's format and version, every checksum and every file's type (pictures
are opened and checked; SVG is refused: it can carry script).
"""

import hashlib
import io
import json
import tomllib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from PIL import Image, UnidentifiedImageError

from .errors import PackageError

FORMAT = "peer-support-curriculum"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_PACKAGE_BYTES = 50 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ITEMS = 1000
MAX_RATIO = 100  # unpacked to packed, for any file over 1 MB unpacked
PICTURE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
MANIFEST_TEXTS = {"name": 120, "version": 60, "made_at": 40, "made_by": 200}
TEXT_FOLDERS = ("sessions", "chapters/workbook", "chapters/trainer", "questionnaires")


@dataclass
class Package:
    name: str
    version: str
    made_at: str
    made_by: str
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def sources(self) -> dict[str, dict]:
        """Every TOML file, parsed."""
        return {
            path: _parse_toml(path, data)
            for path, data in sorted(self.files.items())
            if path.endswith(".toml")
        }

    def manifest(self) -> dict:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "version": self.version,
            "made_at": self.made_at,
            "made_by": self.made_by,
            "items": {
                path: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                for path, data in sorted(self.files.items())
            },
        }

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.manifest(), sort_keys=True).encode()).hexdigest()


def write_package(package: Package) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(package.manifest(), indent=2, ensure_ascii=False))
        for path, data in sorted(package.files.items()):
            archive.writestr(path, data)
    return buffer.getvalue()


def _refuse(code: str, message: str):
    raise PackageError(code, message)


def _parse_toml(path: str, data: bytes) -> dict:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PackageError("bad_source", f"{path} cannot be read: {error}.") from error


def check_path(name: str) -> str:
    """The member's path if it stays inside the package's folder and is of an allowed type."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or ":" in path.parts[0]
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        _refuse("unsafe_path", f"{name!r} points outside the package's folder.")
    suffix = path.suffix.lower()
    if suffix == ".svg":
        _refuse("svg_refused", f"{name}: SVG pictures are refused, as they can carry script.")
    if name == MANIFEST or name == "programmes.toml":
        return name
    if suffix == ".toml" and str(path.parent) in TEXT_FOLDERS:
        return name
    if str(path.parent) == "images" and suffix in PICTURE_TYPES:
        return name
    _refuse(
        "file_type_refused",
        f"{name}: a package holds only TOML sources and PNG, JPEG, GIF or WebP pictures.",
    )


def _check_picture(path: str, data: bytes) -> None:
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in data[:1024].lower():
        _refuse("svg_refused", f"{path}: SVG pictures are refused, as they can carry script.")
    expected = PICTURE_TYPES[PurePosixPath(path).suffix.lower()]
    try:
        with Image.open(io.BytesIO(data)) as picture:
            found = picture.format
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PackageError("bad_picture", f"{path} is not a picture that can be opened.") from error
    if found != expected:
        _refuse("bad_picture", f"{path} is a {found} picture named as {expected}.")


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_ITEMS:
        _refuse(
            "too_many_items", f"The package holds {len(members)} files; the limit is {MAX_ITEMS}."
        )
    total = 0
    for info in members:
        check_path(info.filename)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            _refuse("unsafe_path", f"{info.filename} is a link, which a package may not hold.")
        if info.file_size > MAX_FILE_BYTES:
            _refuse(
                "file_too_large",
                f"{info.filename} is {info.file_size // 1024 // 1024} MB; the limit for one file "
                f"is {MAX_FILE_BYTES // 1024 // 1024} MB.",
            )
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            _refuse(
                "zip_bomb",
                f"{info.filename} would unpack to {info.file_size // info.compress_size} times its "
                "packed size: refused as a zip bomb.",
            )
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        _refuse(
            "unpacked_too_large",
            f"The package would unpack to {total // 1024 // 1024} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB.",
        )
    if len({info.filename for info in members}) != len(members):
        _refuse("duplicate_file", "The package holds the same file twice.")
    return members


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than it declares (a lying header is refused)."""
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (RuntimeError, NotImplementedError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise PackageError(
            "damaged", f"{info.filename} cannot be unpacked (damaged or locked with a password)."
        ) from error
    if len(data) != info.file_size:
        _refuse("damaged", f"{info.filename} is not the size the package says.")
    return data


def _manifest(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict:
    if MANIFEST not in members:
        _refuse("no_manifest", "This zip file is not a curriculum package: it has no manifest.")
    try:
        manifest = json.loads(_read(archive, members[MANIFEST]))
    except (ValueError, UnicodeDecodeError) as error:
        raise PackageError("bad_manifest", "The package's manifest cannot be read.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        _refuse("no_manifest", "This zip file is not a curriculum package.")
    if manifest.get("format_version") != FORMAT_VERSION:
        _refuse(
            "unknown_format_version",
            f"The package is in format version {manifest.get('format_version')!r}; this site "
            f"reads version {FORMAT_VERSION}. Update the site, or export the package again "
            "from a site of the same version.",
        )
    items = manifest.get("items")
    texts = {name: manifest.get(name) for name in MANIFEST_TEXTS}
    if not isinstance(items, dict) or not all(isinstance(text, str) for text in texts.values()):
        _refuse("bad_manifest", "The package's manifest is incomplete.")
    for name, limit in MANIFEST_TEXTS.items():
        if len(texts[name]) > limit:
            _refuse("bad_manifest", f"The package's {name} is over {limit} characters.")
    return manifest


def read_package(source: IO[bytes] | bytes) -> Package:
    """Read and check a package file; raise ``PackageError`` for the first problem found."""
    data = source if isinstance(source, bytes) else source.read(MAX_PACKAGE_BYTES + 1)
    if len(data) > MAX_PACKAGE_BYTES:
        _refuse("too_large", f"The file is over {MAX_PACKAGE_BYTES // 1024 // 1024} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageError(
            "not_a_package", "This file is not a curriculum package (a zip file)."
        ) from error
    with archive:
        members = {info.filename: info for info in _members(archive)}
        manifest = _manifest(archive, members)
        listed = set(manifest["items"])
        present = set(members) - {MANIFEST}
        if present - listed:
            _refuse("unlisted_file", f"{sorted(present - listed)[0]} is not in the manifest.")
        if listed - present:
            _refuse(
                "missing_file", f"{sorted(listed - present)[0]} is in the manifest but missing."
            )
        files = {}
        for name in sorted(present):
            content = _read(archive, members[name])
            entry = manifest["items"][name]
            if (
                not isinstance(entry, dict)
                or entry.get("sha256") != hashlib.sha256(content).hexdigest()
            ):
                _refuse(
                    "checksum_mismatch",
                    f"{name} does not match its checksum: the file was changed or damaged on "
                    "the way. Ask for a new copy of the package.",
                )
            if name.startswith("images/"):
                _check_picture(name, content)
            files[name] = content
    package = Package(
        name=manifest["name"],
        version=manifest["version"],
        made_at=manifest["made_at"],
        made_by=manifest["made_by"],
        files=files,
    )
    package.sources  # noqa: B018  every source must parse
    return package
