"""The benchmark suite (`make bench`): one BUDGET line per performance budget in DESIGN.md."""
