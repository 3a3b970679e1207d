"""The one way a release is refused, kept free of heavy imports: the pipeline catches it at start-up cost nil."""

from __future__ import annotations

from wavecompare.problems import Problem


class ReleaseRefused(Exception):
    """The release cannot be published safely; `problems` say what and where."""

    def __init__(self, problems: list[Problem], rule: str):
        super().__init__(rule)
        self.problems = problems
