"""Share and owner tokens: unguessable (secrets, 192 bits), stored only as SHA-256 hashes, compared in
constant time. A token is shown to its owner once; cjm never logs or stores it."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 24  # 192 bits (at least 128 are required)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def matches(token: str, stored_hash: str | None) -> bool:
    """Whether `token` hashes to `stored_hash`, compared in constant time."""
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(hash_token(token).encode("ascii"), str(stored_hash).encode("ascii"))


def mask(token: str) -> str:
    """What may appear in a message about a token: never the token itself."""
    return "…"
