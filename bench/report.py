"""Result rows of the benchmarks, the table `make bench` prints and the JSON it writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# Units in which more is better; in every other unit (ms, queries, bytes) less is better.
HIGHER_IS_BETTER = frozenset({"req/s", "ops/s"})


@dataclass(frozen=True)
class Row:
    """One measurement of ours against its baseline from the same run.

    `goal` bounds `ratio = ours / baseline`: a lower bound for units in HIGHER_IS_BETTER
    (met when ratio >= goal), an upper bound for all others (met when ratio <= goal).
    """

    name: str
    unit: str
    ours: float
    baseline: float
    goal: float

    @property
    def higher_is_better(self) -> bool:
        return self.unit in HIGHER_IS_BETTER

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio >= self.goal if self.higher_is_better else self.ratio <= self.goal

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "ours": round(self.ours, 3),
            "baseline": round(self.baseline, 3),
            "ratio": round(self.ratio, 3),
            "goal": self.goal,
            "met": self.met,
        }


def _cells(row: Row) -> list[str]:
    bound = ">=" if row.higher_is_better else "<="
    return [
        row.name,
        f"{row.ours:,.2f} {row.unit}",
        f"{row.baseline:,.2f} {row.unit}",
        f"{row.ratio:.2f}",
        f"{bound} {row.goal:g}",
        "yes" if row.met else "NO",
    ]


def format_table(rows: list[Row]) -> str:
    lines = [["name", "ours", "baseline", "ratio", "goal", "met"], *map(_cells, rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(lines[0]))]
    # The name is read left to right; figures line up on the right.
    rendered = [
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(rendered)


def write_results(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([row.as_dict() for row in rows], indent=2) + "\n")
