"""The repository's own tools, not part of the planner package: python -m tools.readme."""
