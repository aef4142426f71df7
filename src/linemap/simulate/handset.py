"""Synthetic handsets: 15-digit IMEIs in the test range, so none can belong to a real device.

An IMEI is a Type Allocation Code (8 digits, the first two the Reporting Body Identifier), a
6-digit serial and a Luhn check digit (3GPP TS 23.003 s.6.2; GSMA TS.06 for allocation). GSMA
TS.06 keeps Reporting Body Identifier "00" for test IMEIs, which are never allocated to a
retail handset type, so every IMEI made here starts "00".
"""

from __future__ import annotations

import hashlib
import random

TEST_RBI = "00"
# Invented type allocation codes in the test range: a few "models", so handsets share a TAC as
# real ones of one model do.
_TEST_TACS = ("001017", "001024", "001031", "001045", "001052", "001066", "001073", "001089")


def luhn_check_digit(body: str) -> str:
    """Return the Luhn check digit for a string of digits (an IMEI's first 14)."""
    total = 0
    # From the right, every second digit starting with the rightmost is doubled.
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def make_imei(tac: str, serial: int) -> str:
    """Return the IMEI for a type allocation code and a serial, with its check digit."""
    body = f"{tac}{serial:06d}"
    return body + luhn_check_digit(body)


class HandsetPool:
    """Hand out test IMEIs, each to one handset only: deal-line handsets and people's own."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.personal: dict[int, str] = {}

    def for_line(self, rng: random.Random) -> str:
        """Return an unused test IMEI for a deal-line handset."""
        while True:
            tac = f"{rng.choice(_TEST_TACS)}{rng.randrange(100):02d}"
            imei = make_imei(tac, rng.randrange(10**6))
            if imei not in self.taken:
                self.taken.add(imei)
                return imei

    def for_person(self, number: int) -> str:
        """Return the IMEI of a person's own handset: the same every time it is asked for."""
        found = self.personal.get(number)
        if found is not None:
            return found
        salt = 0
        while True:  # hashed, so the digits say nothing of the identity number
            h = hashlib.blake2b(f"imei:{number}:{salt}".encode(), digest_size=8).digest()
            value = int.from_bytes(h, "big")
            tac = f"{_TEST_TACS[value % len(_TEST_TACS)]}{value // 8 % 100:02d}"
            imei = make_imei(tac, value // 800 % 10**6)
            if imei not in self.taken:
                self.taken.add(imei)
                self.personal[number] = imei
                return imei
            salt += 1
