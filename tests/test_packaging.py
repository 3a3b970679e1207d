"""The wheel as a user installs it: built offline from the checkout's files, installed with --no-deps into a venv
layered on the test venv, and run on the example study from a folder outside the checkout."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest

from support import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# What a fresh clone holds that the wheel is built from.
SOURCES = ("pyproject.toml", "README.md", "flows", "sql", "expectations")


def checked(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    """{canonical name: version} of `name==version` lines; anything looser is a failure."""
    found = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", requirement)
        assert match, f"{requirement!r} is not pinned as name==version"
        found[canonical(match[1])] = match[2]
    return found


RUNTIME = pins(PROJECT["dependencies"])
EXTRAS = {extra: pins(requirements) for extra, requirements in PROJECT["optional-dependencies"].items()}


def test_every_pin_is_the_one_constraints_txt_holds_and_the_one_installed():
    lines = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    constraints = pins([line for line in lines if line and not line.startswith("#")])
    declared = RUNTIME | {name: pin for extra in EXTRAS.values() for name, pin in extra.items()}
    assert {name: (pin, constraints.get(name)) for name, pin in declared.items() if constraints.get(name) != pin} == {}
    assert {name: (pin, version(name)) for name, pin in declared.items() if version(name) != pin} == {}


def third_party_imports(folder: str) -> dict[str, str]:
    """{distribution: a file importing it} for the modules imported under `folder` that are neither the
    standard library, wavecompare, nor a module of the project's own test and benchmark folders."""
    own = {"wavecompare", *(path.stem for path in [*REPO.glob("tests/*.py"), *REPO.glob("benchmarks/*.py")])}
    distributions = packages_distributions()
    found = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for top in {module.split(".")[0] for module in modules} - own - sys.stdlib_module_names:
                assert top in distributions, f"{path.relative_to(REPO)} imports {top}, which no installed package provides"
                found.setdefault(canonical(distributions[top][0]), str(path.relative_to(REPO)))
    return found


@pytest.mark.parametrize(("folder", "declared"), [
    ("flows", RUNTIME), ("tests", RUNTIME | EXTRAS["test"]), ("benchmarks", RUNTIME | EXTRAS["test"]),
])
def test_every_imported_package_is_declared(folder, declared):
    imported = third_party_imports(folder)
    assert {name: where for name, where in imported.items() if name not in declared} == {}
    assert "duckdb" in imported


def test_no_module_finds_its_files_from_its_own_path():
    """Files found from `__file__` are there only in a checkout; wavecompare.resources finds them in both."""
    found = [f"{path.relative_to(REPO)}:{number}" for path in sorted((REPO / "flows").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "__file__" in line]
    assert found == []


def fresh_sources(folder: Path) -> Path:
    """The files of a fresh clone that the package is built from, copied to `folder`."""
    folder.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / name, folder / name)
    return folder


def layered_venv(folder: Path, *install: str) -> Path:
    """A venv whose own packages come before the test venv's, with wavecompare installed into it by
    `pip install --no-deps --no-index *install`: its python."""
    checked([sys.executable, "-m", "venv", "--without-pip", str(folder)])
    python = folder / "bin" / "python"
    site = Path(checked([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # The test venv's .pth files (its own editable install's finder among them) are not run from there, so
    # `wavecompare` can only come from what is installed here.
    (site / "test-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    checked([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", *install])
    return python


# The environment the installed venvs run in: without the checkout's code on the path.
AWAY = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory):
    """The wheel, built offline from a fresh clone's files and installed: the venv's python."""
    root = tmp_path_factory.mktemp("wheel")
    checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
             "--wheel-dir", str(root / "dist"), str(fresh_sources(root / "source"))])
    [wheel] = (root / "dist").glob("wavecompare-*.whl")
    return layered_venv(root / "venv", str(wheel))


@pytest.mark.slow
def test_the_wheel_ships_the_sql_and_the_suites_and_reads_them_from_the_package(wheel_python, tmp_path):
    python = wheel_python
    script = ("import json, wavecompare; from wavecompare import manifest, resources, sqlfiles, rules;"
              "print(json.dumps([wavecompare.__file__, str(sqlfiles.SQL_DIR), str(rules.SUITES_DIR),"
              " resources.checkout(), manifest.git_commit(), [name for name, _ in manifest.code_files()],"
              " manifest.code_fingerprint({'min_cell': 3})]))")
    package, sql, suites, checkout, commit, files, fingerprint = json.loads(
        checked([str(python), "-c", script], cwd=tmp_path, env=AWAY).stdout)
    installed_at = Path(package).parent
    assert installed_at.parent.name == "site-packages" and str(python.parents[1]) in package
    assert (sql, suites, checkout, commit) == (str(installed_at / "sql"), str(installed_at / "expectations"), None, None)

    from wavecompare import manifest

    # The same files under the same names as the checkout's, so one code has one fingerprint however installed.
    assert files == [name for name, _ in manifest.code_files()]
    assert {name.split("/")[0] for name in files} == {"sql", "expectations", "wavecompare"}
    assert "sql/models/marts/awareness.sql" in files and "wavecompare/release/tables.py" in files
    assert fingerprint == manifest.code_fingerprint({"min_cell": 3})


@pytest.mark.slow
def test_the_wheel_runs_the_example_study_from_outside_the_checkout(wheel_python, tmp_path, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    python, env = wheel_python, AWAY | {"PREFECT_API_URL": PREFECT_API_URL.value()}
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    wavecompare = str(python.with_name("wavecompare"))

    run = checked([wavecompare, "run"], cwd=tmp_path, env=env)
    assert "Tables in data/processed/current/ as CSV and Parquet:\n  stakeholder_mix         48 rows\n" \
           "  interview_duration       2 rows\n  awareness               84 rows\n  confidence              60 rows\n" \
           "  risk_mentions           36 rows\n" in run.stdout
    assert "Rows read = loaded + quarantined: all 6 file(s) 306 = 306 + 0.\n" in run.stdout

    durations = checked([wavecompare, "query", "SELECT * FROM marts.interview_duration", "--csv"], cwd=tmp_path, env=env)
    assert durations.stdout == "wave_id,n,min,median,max\n2012,10,30.0,42.5,60.0\n2013,15,20.0,30.0,45.0\n"
    current = tmp_path / "data" / "processed" / "current"
    assert (current / "release" / "wave_comparison.xlsx").is_file()
    assert json.loads((current / "run_manifest.json").read_text(encoding="utf-8"))["git_commit"] is None


@pytest.mark.slow
def test_an_editable_install_reads_the_checkouts_own_files(tmp_path):
    checkout = fresh_sources(tmp_path / "checkout")
    python = layered_venv(tmp_path / "venv", "--no-build-isolation", "--editable", str(checkout))
    model = checkout / "sql" / "models" / "marts" / "awareness.sql"
    model.write_text("-- edited in the checkout\n" + model.read_text(encoding="utf-8"), encoding="utf-8")
    script = ("import json; from wavecompare import resources, sqlfiles, rules;"
              "print(json.dumps([str(resources.checkout()), str(sqlfiles.SQL_DIR), str(rules.SUITES_DIR),"
              " sqlfiles.text('models/marts/awareness.sql').splitlines()[0]]))")
    assert json.loads(checked([str(python), "-c", script], cwd=tmp_path, env=AWAY).stdout) == [
        str(checkout), str(checkout / "sql"), str(checkout / "expectations"), "-- edited in the checkout"]
