"""sitrep's exceptions. Every error the library raises on purpose is a ``SitrepError``.

    SitrepError
    ├── IngestError        an input could not be read (carries ``input``)
    ├── PipelineError      the NLP pipeline could not be loaded or run (carries ``model``)
    ├── GazetteerError     the gazetteer could not be built, opened or imported (carries ``file``)
    ├── StoreError         the event database could not be opened, read or written (carries ``path``)
    └── OverBudget         an article ran past its time budget or was cancelled (carries ``seconds``)

The CLI turns a ``SitrepError`` into one line and a non-zero exit status.
"""

from __future__ import annotations


class SitrepError(Exception):
    """Root of sitrep's errors; ``str()`` is a one-line message fit for a user."""


class IngestError(SitrepError):
    def __init__(self, input: str, problem: str) -> None:
        super().__init__(f"{input}: {problem}")
        self.input = input
        self.problem = problem


class PipelineError(SitrepError):
    def __init__(self, message: str, model: str | None = None) -> None:
        super().__init__(message)
        self.model = model


class GazetteerError(SitrepError):
    def __init__(self, message: str, file: str | None = None) -> None:
        super().__init__(f"{file}: {message}" if file else message)
        self.file = file


class StoreError(SitrepError):
    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.problem = message


class OverBudget(SitrepError):
    """An article ran past its time budget (``seconds``), or its caller cancelled it."""

    def __init__(self, seconds: float | None, cancelled: bool = False) -> None:
        self.seconds = seconds
        self.cancelled = cancelled
        super().__init__(
            "cancelled; skipped" if cancelled else f"over the {seconds:g} s budget; skipped"
        )
