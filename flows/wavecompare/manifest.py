"""Lineage: what each published run read, built and checked, and whether the
next run has anything to do.

The manifest is written as `run_manifest.json` in the run's folder beside its
tables and as the `lineage` schema of its warehouse. A run whose inputs (by
content hash), code and settings match the current run's manifest, and whose
published files are still as that manifest recorded them, is up to date and
rebuilds nothing.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib.resources.abc import Traversable
from pathlib import Path

import wavecompare
from wavecompare import resources, sqlfiles
from wavecompare.discover import Study, sha256_of
from wavecompare.publish import WAREHOUSE_FILE, companions, current_folder

MANIFEST_NAME = "run_manifest.json"
# What decides the outputs besides the inputs: the SQL, the suites and the code, by folder and file suffix.
# The names hashed are the same from a checkout and from a wheel, so both give one fingerprint for one code.
CODE_FILES = {"sql": (".sql", ".sql.j2", ".yml"), "expectations": (".yml",), "wavecompare": (".py",)}


def code_files() -> list[tuple[str, Traversable]]:
    """The files CODE_FILES names, where this install reads them (the wheel's package holds sql/ and
    expectations/ too, which the suffixes keep apart)."""
    roots = {"sql": resources.folder("sql"), "expectations": resources.folder("expectations"),
             "wavecompare": resources.PACKAGE}
    return [(name, entry) for folder, suffixes in CODE_FILES.items()
            for name, entry in resources.walk(roots[folder], folder) if name.endswith(suffixes)]


def code_fingerprint(settings: dict[str, object]) -> str:
    """A hash of the package version, every file that shapes the outputs, and the run's settings."""
    digest = hashlib.sha256(wavecompare.__version__.encode())
    for name, entry in code_files():
        digest.update(name.encode())
        digest.update(entry.read_bytes())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


def git_commit() -> str | None:
    """The checkout's commit, when the code runs from a git checkout with git installed (not from a wheel)."""
    checkout = resources.checkout()
    if checkout is None:
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def output_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file of a run's folder that a re-run must reproduce: not the warehouse (its stamp is
    kept instead), its validation report (new each run) or the manifest itself."""
    skipped = {WAREHOUSE_FILE, MANIFEST_NAME, *(p.name for p in companions(folder / WAREHOUSE_FILE))}
    return {
        path.relative_to(folder).as_posix(): sha256_of(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).parts[0] not in (*skipped, "validation")
    }


def warehouse_stamp(warehouse: Path) -> dict[str, int]:
    """Size and modification time: enough to notice that the published file was replaced or written to."""
    stat = warehouse.stat()
    return {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def inputs_of(study: Study, rows_read: dict[str, int] | None = None) -> list[dict[str, object]]:
    """The study's files as the manifest lists them."""
    rows_read = rows_read or {}
    return [{"file": f.name, "sha256": f.sha256, "rows": rows_read.get(f.name)} for f in study.files]


def load(out_dir: Path) -> dict | None:
    """The current run's manifest, or None when there is none (or it cannot be read)."""
    current = current_folder(out_dir)
    try:
        return json.loads((current / MANIFEST_NAME).read_text(encoding="utf-8")) if current else None
    except (OSError, ValueError):
        return None


def is_up_to_date(previous: dict | None, study: Study, fingerprint: str, warehouse: Path, out_dir: Path) -> bool:
    """True when the current run was built from these very inputs and code, its files are intact and the
    warehouse path leads to its warehouse."""
    if not previous or previous.get("code_fingerprint") != fingerprint:
        return False
    same_inputs = [(i["file"], i["sha256"]) for i in previous["inputs"]] == [(f.name, f.sha256) for f in study.files]
    folder = current_folder(out_dir)
    published = folder / WAREHOUSE_FILE
    if not same_inputs or not published.is_file() or warehouse.resolve() != published.resolve():
        return False
    if warehouse_stamp(published) != previous["warehouse"]["stamp"]:
        return False
    return all(
        (folder / name).is_file() and sha256_of(folder / name) == digest for name, digest in previous["outputs"].items()
    )


def write(manifest: dict, folder: Path) -> Path:
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def record(con, facts: dict) -> dict[str, int]:
    """Write the run's lineage into the warehouse being built; returns the validation outcome it recorded."""
    con.execute(sqlfiles.text("lineage/create_tables.sql")).complete()
    run_columns = ("run_id", "flow_run_id", "status", "started_at", "built_at", "package_version", "git_commit",
                   "code_fingerprint")
    sqlfiles.run(con, "lineage/run_manifest.sql", **{name: facts[name] for name in run_columns})
    if facts["inputs"]:
        sqlfiles.run(con, "lineage/input_files.sql", run_id=facts["run_id"], inputs=facts["inputs"])
    tables = [{"table": name, "rows": rows} for name, rows in facts["tables"].items()]
    if tables:
        sqlfiles.run(con, "lineage/published_tables.sql", run_id=facts["run_id"], tables=tables)
    relation = con.execute(sqlfiles.text("lineage/outcome.sql"))
    [outcome] = relation.fetchall()
    return dict(zip([column for column, *_ in relation.description], outcome))
