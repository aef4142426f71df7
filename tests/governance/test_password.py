"""Passwords are stored as salted argon2id hashes and verify only with the right password."""

from __future__ import annotations

from linemap.governance.password import hash_password, verify_password


def test_hash_is_salted_argon2id_and_verifies() -> None:
    first = hash_password("correct horse battery staple")
    second = hash_password("correct horse battery staple")
    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_password(first, "correct horse battery staple")
    assert not verify_password(first, "correct horse battery stapler")
    assert not verify_password("not a hash", "anything")
