"""The ``planner`` command and ``python -m planner``: the command line behind a guard for
Ctrl-C while it loads.

Loading the command line takes a few tenths of a second (click, then pandas and OR-Tools
when a command needs them); Ctrl-C then printed a long traceback. This module imports nothing
before its guard, and ends such a press as the command line ends one during a command: one
line, exit 130.
"""

import sys

# 128 + SIGINT, as planner.cli.EXIT_INTERRUPTED; not imported from there, as loading that is
# what the guard is for.
EXIT_INTERRUPTED = 130


def main() -> None:
    """Run the command line; Ctrl-C while it loads exits 130 saying nothing was written."""
    try:
        from planner.cli import cli

        cli(prog_name="planner")
    except KeyboardInterrupt:
        _interrupted()
    except Exception as err:
        # A compiled module (numpy, pandas) that Ctrl-C stops while it loads raises its own
        # error (ImportError, AttributeError) during the KeyboardInterrupt.
        if not _caused_by_ctrl_c(err):
            raise
        _interrupted()
    finally:
        # A KeyboardInterrupt that leaves code run by exec() or eval() of a string (dataclasses
        # and namedtuple make methods so) marks CPython to end by SIGINT, caught or not; under
        # `python -m` that mark overrides sys.exit(130) (a script exits before it is read).
        # Running exec() of a string clears it.
        exec("")


def _interrupted() -> None:
    sys.stderr.write("\nInterrupted: nothing written.\n")
    sys.exit(EXIT_INTERRUPTED)


def _caused_by_ctrl_c(err: BaseException) -> bool:
    """True when a KeyboardInterrupt is in ``err``'s chain of causes and contexts."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


if __name__ == "__main__":
    main()
