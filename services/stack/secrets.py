"""Dev secrets of the local stack: generated once into <data dir>/secrets.json (mode 0600) so that restarts keep API
keys and PHI mappings valid. Values set in the environment win and are never written to the file."""
from __future__ import annotations

import base64
import json
import os
import secrets as _secrets
from pathlib import Path
from typing import Callable, Mapping

from services.runtime.service_auth import IDENTITIES, PUBLIC_KEYS_VAR, generate_key, key_var, public_key_of

# Each service's own key for service-to-service calls (services/runtime/service_auth.py).
SERVICE_KEY_VARS = tuple(key_var(identity) for identity in IDENTITIES)
SECRET_VARS = ("RADIANT_API_KEY_PEPPER", "RADIANT_PHI_ENCRYPTION_KEY", *SERVICE_KEY_VARS)
SECRETS_FILE = "secrets.json"


def new_secret() -> str:
    """Base64 of 32 random bytes."""
    return base64.b64encode(_secrets.token_bytes(32)).decode()


def _write_private(path: Path, data: dict[str, str]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _generator(var: str) -> Callable[[], str]:
    return generate_key if var in SERVICE_KEY_VARS else new_secret


def load_or_create_secrets(data_dir: Path, env: Mapping[str, str]) -> dict[str, str]:
    """Return {var: value} for every SECRET_VARS entry (from env if set there, else from or newly into secrets.json),
    and RADIANT_SERVICE_PUBLIC_KEYS (from env, else derived from the service keys)."""
    wanted = _stored_or_new(data_dir, env)
    wanted[PUBLIC_KEYS_VAR] = env.get(PUBLIC_KEYS_VAR) or json.dumps(
        {identity: public_key_of(wanted[key_var(identity)]) for identity in IDENTITIES})
    return wanted


def stored_secret(data_dir: Path, var: str) -> str | None:
    """One value of an existing secrets.json (None when there is none), e.g. the cli's service key."""
    try:
        stored = json.loads((Path(data_dir) / SECRETS_FILE).read_text())
    except (OSError, ValueError):
        return None
    value = stored.get(var) if isinstance(stored, dict) else None
    return value if isinstance(value, str) and value else None


def _stored_or_new(data_dir: Path, env: Mapping[str, str]) -> dict[str, str]:
    wanted = {var: env[var] for var in SECRET_VARS if env.get(var)}
    missing = [var for var in SECRET_VARS if var not in wanted]
    if not missing:
        return wanted
    path = Path(data_dir) / SECRETS_FILE
    stored: dict[str, str] = {}
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path} is not valid JSON ({type(exc).__name__}); fix or delete it "
                             f"(deleting it invalidates API keys created with the old pepper)") from None
        if not isinstance(stored, dict):
            raise ValueError(f"{path} must hold a JSON object; fix or delete it")
    changed = False
    for var in missing:
        if not isinstance(stored.get(var), str) or not stored[var]:
            stored[var] = _generator(var)()
            changed = True
        wanted[var] = stored[var]
    if changed:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        _write_private(path, stored)
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return wanted
