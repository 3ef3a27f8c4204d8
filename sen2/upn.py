"""The DfE's check letter for a Unique Pupil Number.

A UPN is 13 characters: a check letter, then 12 characters (LA code, establishment number, year
of allocation, serial; a temporary UPN ends in a letter). Characters 2 to 13 are multiplied by
their position (2 to 13), letters counting by their place in the 23-letter alphabet without I, O
and S; the remainder of the sum divided by 23 names the check letter in that same alphabet."""

import re

ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # no I, O or S
_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def _value(char: str) -> int:
    if char.isdigit():
        return int(char)
    index = ALPHABET.find(char)
    if index < 0:
        raise ValueError(f"{char} cannot appear in a UPN")
    return index


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it."""
    if len(body) != 12:
        raise ValueError("A UPN has 12 characters after its check letter")
    total = sum(_value(char) * weight for weight, char in enumerate(body, start=2))
    return ALPHABET[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why a UPN is not valid, or None."""
    if not _SHAPE.match(upn):
        return "is not a letter, 11 digits, then a digit or letter"
    try:
        expected = check_letter(upn[1:])
    except ValueError as error:
        return str(error)
    if upn[0] != expected:
        return f"has check letter {upn[0]}, but its digits give {expected}"
    return None


def with_check_letter(body: str) -> str:
    """A whole UPN from its last 12 characters (for demo data and tests)."""
    return check_letter(body) + body
