"""What the operator sets for the HTTP API: the write token, size limits and an optional tile server."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sitrep.settings import settings as read_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_BODY_BYTES = 2_000_000  # a POSTed article; larger bodies get 413
MAX_PAGE = 1_000  # most events in one JSON or GeoJSON page
MAX_POINTS = 200_000
LOOPBACK_HOSTS = (
    "127.0.0.1",
    "localhost",
    "[::1]",
)  # most events the page's compact map layer asks for at once


@dataclass(frozen=True)
class ApiSettings:
    """Settings of one API app; ``token`` None means writes are refused (403)."""

    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    max_page: int = MAX_PAGE
    max_points: int = MAX_POINTS
    tile_url: str | None = (
        None  # e.g. http://127.0.0.1:8080/{z}/{x}/{y}.png, for users with a tile server
    )
    tile_attribution: str | None = None
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS  # Host headers accepted: stops DNS rebinding

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> ApiSettings:
        """Settings from ``SITREP_TOKEN``, ``SITREP_TILE_URL`` and ``SITREP_MAX_BODY``, then ``overrides``."""
        conf = read_settings(env)
        values: dict[str, object] = {
            "token": conf.token or None,
            "tile_url": conf.tile_url or None,
            "tile_attribution": conf.tile_attribution or None,
        }
        if conf.max_body is not None:
            values["max_body_bytes"] = conf.max_body
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        """Raise ``ValueError`` for settings the server cannot run with."""
        if self.token is not None and len(self.token) < 16:
            raise ValueError("SITREP_TOKEN must be at least 16 characters")
        if self.max_body_bytes < 1_000:
            raise ValueError("the body limit must be at least 1000 bytes")
        if self.tile_url is not None and tile_origin(self.tile_url) is None:
            raise ValueError(
                f"tile URL must be http(s)://host/...{{z}}/{{x}}/{{y}}...: {self.tile_url!r}"
            )

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None


def tile_origin(url: str) -> str | None:
    """``scheme://host[:port]`` of a tile URL template, for the Content-Security-Policy; None if unusable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "{z}" not in url:
        return None
    if any(c in parts.netloc for c in " ;,'\""):
        return None
    return f"{parts.scheme}://{parts.netloc}"
