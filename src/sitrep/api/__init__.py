"""sitrep's HTTP API and analyst's page: ``create_app(store, settings)`` builds the FastAPI app."""

from sitrep.api.app import create_app
from sitrep.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
