"""Named profiles: a small JSON file in the platform's config folder (or BANDWIDTH_APPS_CONFIG)
with each profile's account id, environment, API host and client id; the client secret in the
OS keyring when there is one (keyring installed and a backend available), else only in the
environment (BW_CLIENT_SECRET). Flags beat the environment, which beats the profile."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click

KEYRING_SERVICE = "bandwidth-apps"
FIELDS = ("account_id", "environment", "api_url", "client_id")


def config_path() -> Path:
    override = os.environ.get("BANDWIDTH_APPS_CONFIG")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("bandwidth-apps")) / "config.json"


@dataclass
class Config:
    active: str = "default"
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Config:
        path = config_path()
        if not path.exists():
            return cls()
        try:
            data: Any = json.loads(path.read_text())
            return cls(str(data.get("active", "default")), dict(data.get("profiles", {})))
        except (ValueError, AttributeError, OSError) as exc:
            raise click.UsageError(f"{path} is not a bandwidth-apps config file ({exc})") from None

    def save(self) -> Path:
        path = config_path()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2) + "\n")
        temporary.chmod(0o600)
        temporary.replace(path)
        return path

    def profile(self, name: str | None = None) -> dict[str, str]:
        """The named profile (--profile), else the active one (none saved yet: empty)."""
        if name is not None:
            self.require(name)
        return self.profiles.get(name or self.active, {})

    def require(self, name: str) -> None:
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none yet: run `bandwidth-apps auth login`"
            raise click.UsageError(f"no profile {name!r} (profiles: {known})")


def _keyring() -> Any | None:
    """The keyring module, if installed and backed by a real store."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    return None if isinstance(backend, fail.Keyring) else keyring


def keyring_available() -> bool:
    return _keyring() is not None


def stored_secret(client_id: str) -> str | None:
    ring = _keyring()
    if ring is None:
        return None
    try:
        secret: str | None = ring.get_password(KEYRING_SERVICE, client_id)
    except Exception:  # a locked or broken keyring is as good as none
        return None
    return secret


def store_secret(client_id: str, secret: str) -> bool:
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, client_id, secret)
    except Exception:
        return False
    return True
