"""Synthetic handsets: test-range IMEIs with a valid check digit, never handed out twice."""

from __future__ import annotations

import random
import re

from linemap.simulate.handset import HandsetPool, luhn_check_digit, make_imei
from linemap.simulate.noise import Garbler, Profile


def luhn_valid(digits: str) -> bool:
    """Check a whole number with its check digit, the textbook way (an oracle for the module)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def test_check_digit_matches_the_published_example() -> None:
    # A widely quoted worked example of the IMEI check digit: 49015420323751 -> 8.
    assert luhn_check_digit("49015420323751") == "8"
    assert make_imei("49015420", 323751) == "490154203237518"


def test_every_check_digit_agrees_with_the_oracle() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        body = "".join(rng.choice("0123456789") for _ in range(14))
        imei = body + luhn_check_digit(body)
        assert luhn_valid(imei)
        wrong = body + str((int(imei[-1]) + 1) % 10)
        assert not luhn_valid(wrong)


def test_line_imeis_are_test_range_valid_and_unique() -> None:
    pool = HandsetPool()
    rng = random.Random(2)
    imeis = [pool.for_line(rng) for _ in range(5000)]
    assert len(set(imeis)) == len(imeis)
    for imei in imeis:
        assert re.fullmatch(r"00\d{13}", imei), imei
        assert luhn_valid(imei)
    assert len({i[:8] for i in imeis}) < len(imeis) // 5, "handsets of one model share a TAC"


def test_a_person_keeps_one_handset_never_a_line_one() -> None:
    pool = HandsetPool()
    rng = random.Random(3)
    lines = {pool.for_line(rng) for _ in range(500)}
    own = [pool.for_person(n) for n in range(1, 3000)]
    assert own == [pool.for_person(n) for n in range(1, 3000)]
    assert len(set(own)) == len(own)
    assert not lines & set(own)
    assert all(re.fullmatch(r"00\d{13}", i) and luhn_valid(i) for i in own)


def test_imeis_are_mostly_written_whole_with_rare_noise() -> None:
    garbler = Garbler(random.Random(4), Profile())
    imei = make_imei("00101742", 35827)
    written = [garbler.imei(imei) for _ in range(4000)]
    whole = sum(1 for w in written if w == imei)
    grouped = [w for w in written if not w.isdigit()]
    short = [w for w in written if w == imei[:14]]
    assert whole > 0.9 * len(written)
    assert grouped
    assert short
    assert all(re.sub(r"[ -]", "", w) == imei for w in grouped)
    assert len(grouped) + len(short) < 0.1 * len(written)
