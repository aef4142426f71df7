"""Password hashing with argon2id (OWASP ASVS 6.2; RFC 9106 defaults of argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password, salted."""
    return str(_hasher.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Return whether the password matches the hash."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
