"""What the Prefect UI shows for each run: the comparison tables as table
artifacts and the release report as a markdown artifact, so a scheduled run's
result can be read without opening any file."""

from __future__ import annotations

from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from wavecompare.release import display
from wavecompare.release.model import ReleaseTable

CORE_TABLES = ("stakeholder_mix", "awareness", "confidence", "risk_mentions")


def publish_artifacts(tables: list[ReleaseTable], report: Path) -> None:
    """One table artifact per core release table, and the report as markdown."""
    for table in tables:
        if table.name in CORE_TABLES:
            create_table_artifact(
                key=table.name.replace("_", "-"),
                table=display.frame(display.printed(table)).to_dict(orient="records"),
                description=f"**{table.title}** (release version: suppressed cells read [c])",
            )
    create_markdown_artifact(key="wavecompare-report", markdown=report.read_text(encoding="utf-8"),
                             description="The release report for report writers")


def up_to_date_artifact(run_id: str) -> None:
    create_markdown_artifact(
        key="wavecompare-report",
        markdown=f"# Up to date\n\nThe inputs and code are those of run `{run_id}`; its tables stand unchanged.",
        description="Nothing changed since the published run",
    )
