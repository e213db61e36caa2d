"""`make test` and `make run` install the Debian packages they lack, or say how, at once."""

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-packages"


def run_as_someone_else(*packages: str) -> subprocess.CompletedProcess:
    """The script as a user who may not install packages (root runs it as ``nobody``)."""
    command = [str(SCRIPT), *packages]
    if os.geteuid() == 0:
        command = [shutil.which("runuser"), "-u", "nobody", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def test_nothing_happens_when_every_package_is_there():
    result = subprocess.run(  # noqa: S603
        [str(SCRIPT), "dpkg", "coreutils"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_without_root_it_stops_with_the_one_command_to_run():
    result = run_as_someone_else("coreutils", "no-such-package-here", "nor-this-one")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "lacks the Debian packages: no-such-package-here nor-this-one" in result.stderr
    assert (
        "sudo sh -c 'apt-get update && apt-get install -y no-such-package-here nor-this-one'"
        in result.stderr
    )
