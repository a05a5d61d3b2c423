"""API-key format, generation and keyed hashing. Keys look like rad_<12-char id>_<43-char urlsafe secret>."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import string

PREFIX = "rad_"
ID_LENGTH = 12
_ID_ALPHABET = string.ascii_lowercase + string.digits
MAX_KEY_LENGTH = 512


def new_key_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(ID_LENGTH))


def generate(key_id: str | None = None) -> tuple[str, str]:
    """Return (key id, plaintext key). The plaintext is shown once and never stored."""
    key_id = key_id or new_key_id()
    return key_id, f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def embedded_id(api_key: str) -> str | None:
    """The public id inside a generated key, or None for keys of other formats (e.g. a bootstrap key)."""
    if api_key.startswith(PREFIX) and len(api_key) == len(PREFIX) + ID_LENGTH + 1 + 43 \
            and api_key[len(PREFIX) + ID_LENGTH] == "_":
        key_id = api_key[len(PREFIX):len(PREFIX) + ID_LENGTH]
        if all(c in _ID_ALPHABET for c in key_id):
            return key_id
    return None


def display_prefix(key_id: str) -> str:
    """How a generated key begins (its public part), to recognise it in a listing; "" for other keys, whose
    plaintext is not known."""
    if len(key_id) == ID_LENGTH and all(c in _ID_ALPHABET for c in key_id):
        return f"{PREFIX}{key_id}"
    return ""


def new_token() -> str:
    """An invitation token (shown once, stored as a keyed hash like API keys)."""
    return f"inv_{secrets.token_urlsafe(32)}"


def well_formed(api_key: str) -> bool:
    """Any printable, whitespace-free string up to MAX_KEY_LENGTH may be a key (registered keys need not be rad_...)."""
    return 0 < len(api_key) <= MAX_KEY_LENGTH and api_key.isascii() and api_key.isprintable() and " " not in api_key


def key_hash(pepper: bytes, api_key: str) -> str:
    return hmac.new(pepper, api_key.encode(), hashlib.sha256).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
