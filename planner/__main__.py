from planner.cli import cli

cli(prog_name="planner")
