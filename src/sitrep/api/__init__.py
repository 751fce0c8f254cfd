"""sitrep's HTTP API and analyst's page: ``create_app(store, settings)`` builds the FastAPI app.

``create_app`` is imported on first use, so building the command line (``sitrep serve --help``)
does not import FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sitrep.api.settings import ApiSettings

if TYPE_CHECKING:
    from sitrep.api.app import create_app

__all__ = ["ApiSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from sitrep.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
