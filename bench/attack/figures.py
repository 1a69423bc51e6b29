"""The figures: probes and failures counted per category, and the table they print as."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

CATEGORIES = {
    "leaks": "answers holding data the caller may not see",
    "bad input": "INTERNAL or HTTP 5xx answers",
    "bad tokens": "forged or stale tokens accepted",
    "unlogged reads": "reads of a child missing from its access log",
    "bus and database": "connections or acts that got in",
}


@dataclass
class Tally:
    probes: int = 0
    failures: int = 0
    noted: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


@dataclass
class Figures:
    tallies: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})

    def probe(self, category: str, failed: bool, what: str = "") -> None:
        tally = self.tallies[category]
        tally.probes += 1
        if failed:
            tally.failures += 1
            if len(tally.examples) < 10:
                tally.examples.append(what)

    def note(self, category: str, what: str) -> None:
        self.tallies[category].noted[what] += 1

    @property
    def failed(self) -> bool:
        return any(tally.failures for tally in self.tallies.values())

    def table(self) -> str:
        lines = [f"{'category':<18}{'probes':>8}{'failures':>10}  failure means"]
        for category, tally in self.tallies.items():
            lines.append(
                f"{category:<18}{tally.probes:>8}{tally.failures:>10}  {CATEGORIES[category]}"
            )
            for what, count in sorted(tally.noted.items()):
                lines.append(f"{'':<18}{count:>8}            {what}")
            lines.extend(f"{'':<18}  failure: {example}" for example in tally.examples)
        return "\n".join(lines)
