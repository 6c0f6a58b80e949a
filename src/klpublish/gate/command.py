"""The ``check`` command: every accessibility checker on every letter's outputs,
and what it says with its exit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from klpublish.build.commands import Scope
from klpublish.build.output_folder import claim
from klpublish.errors import display_path


@dataclass(frozen=True)
class CheckRequest:
    scope: Scope

    def run(self, progress: Callable[[str], None]) -> tuple[list[str], int]:
        from klpublish.gate.run import run_gate
        from klpublish.gate.tools import node_project

        letters = self.scope.letters()
        claim(letters.out)
        report = run_gate(list(letters.layouts), node_project(), progress=progress)
        lines = report.table()
        for finding in report.failed:
            lines.append(
                f"{finding.checker} {finding.letter} {finding.lang} {finding.fmt} {finding.file}:"
            )
            lines.extend(f"  {p}" for p in finding.problems)
            if finding.error:
                lines.append(f"  could not run: {finding.error}")
        lines.append(f"reports: {display_path(letters.layouts[0].project.reports)}/")
        lines.extend(f"not checked: {exc}" for exc in letters.refused)
        return lines, 1 if report.failed or letters.refused else 0
