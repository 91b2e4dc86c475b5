"""What every failure must look like to a person: one line, an expected exit code, and no
traceback."""

from __future__ import annotations

TRACEBACK = "Traceback"


def one_line(text: str) -> bool:
    return bool(text) and text.splitlines() == [text]


def assert_clean_exit(result, codes: tuple[int, ...]) -> None:
    """The CLI ended through SystemExit (or returned) with one of ``codes``, no traceback."""
    assert result.exit_code in codes, result.output[-500:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert TRACEBACK not in result.output
