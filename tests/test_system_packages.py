"""`make test` installs the Debian packages its tests need, or stops at once saying how.

Runs the real Makefile and script as a user who is not root (`nobody`, through setpriv,
when the suite runs as root), so nothing is installed here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from support import REPO

ABSENT = "wavecompare-no-such-package"


@pytest.fixture
def checkout():
    """The Makefile and its script in a fresh folder, with no .venv, that another user may write to."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        root.chmod(0o777)
        shutil.copy(REPO / "Makefile", root)
        shutil.copytree(REPO / "scripts", root / "scripts")
        yield root


def as_other_user(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command)
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_make_test_stops_before_the_install_with_the_command_to_run(checkout):
    result = as_other_user("make", "test", f"TEST_SYSTEM_PACKAGES=chromium {ABSENT}", cwd=checkout)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"The tests need the Debian package(s) {ABSENT}, which are not installed. Run:\n"
        f"    sudo apt-get install -y {ABSENT}\n"
    )
    assert not (checkout / ".venv").exists()


def test_nothing_to_do_when_the_packages_are_installed(checkout):
    result = as_other_user("scripts/ensure-system-packages", "chromium", "dpkg", cwd=checkout)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_test_target_needs_chromium_libreoffice_and_carlito_and_ci_runs_only_make_test():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "TEST_SYSTEM_PACKAGES := chromium libreoffice-calc-nogui fonts-crosextra-carlito\n" in makefile
    commands = [
        line for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "make test"]
