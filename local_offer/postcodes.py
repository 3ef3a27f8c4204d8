"""UK postcodes: checking them, finding their centroid, and importing the ONS Postcode Directory.

The ONS Postcode Directory (ONSPD) is published by the Office for National Statistics under the
Open Government Licence v3.0 (contains OS data, Royal Mail data and National Statistics data,
Crown copyright and database right). A council downloads the CSV and runs
`manage.py import_postcodes FILE`; no web service is called at run time.

Distances are ranked in SQL: an indexed latitude/longitude box first, then the haversine
distance of what is inside it (local_offer.selectors).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from local_offer.models import Postcode

# The shape of a UK postcode (outward code, space optional, inward code), incl. GIR 0AA.
UK_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")
NOT_A_POSTCODE = "Enter a UK postcode, like SW1A 1AA."
UNKNOWN_POSTCODE = "We could not find {postcode}. Check it is right, or search without a postcode."
EARTH_RADIUS_M = 6_371_000
REQUIRED_COLUMNS = ("pcds", "lat", "long")
NO_LOCATION_LAT = 99.999999  # ONSPD's value for a postcode with no grid reference
BATCH = 5000


def normalise_postcode(text: str) -> str:
    """Capitals, no spaces: 'sw1a 1aa' -> 'SW1A1AA'."""
    return re.sub(r"\s+", "", text or "").upper()


def is_uk_postcode(text: str) -> bool:
    return bool(UK_POSTCODE.match(normalise_postcode(text)))


def display_postcode(text: str) -> str:
    code = normalise_postcode(text)
    return f"{code[:-3]} {code[-3:]}" if len(code) > 3 else code


def postcode_find(text: str) -> Postcode | None:
    return Postcode.objects.filter(postcode=normalise_postcode(text)).first()


def postcode_locate(text: str) -> Postcode:
    """The centroid of a postcode, or a ValidationError a family can act on."""
    if not is_uk_postcode(text):
        raise ValidationError({"postcode": NOT_A_POSTCODE})
    found = postcode_find(text)
    if found is None:
        raise ValidationError(
            {"postcode": UNKNOWN_POSTCODE.format(postcode=display_postcode(text))}
        )
    return found


def bounding_box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle of `metres` around a point."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlon = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


# -- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped_no_location: int


class PostcodeImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise PostcodeImportError(
                [f"The file has no {', '.join(missing)} column: is it the ONSPD CSV?"]
            )
        for row in reader:
            yield reader.line_num, row


def _parse(line: int, row: dict[str, str]) -> tuple[Postcode | None, str | None]:
    """A Postcode to save, None to skip (no grid reference), or a problem naming the line."""
    raw = (row.get("pcds") or "").strip()
    if not is_uk_postcode(raw):
        return None, f"Line {line}: '{raw[:20]}' is not a UK postcode."
    try:
        lat, lon = float(row["lat"]), float(row["long"])
    except (TypeError, ValueError):
        return None, f"Line {line}: {raw} has no readable latitude and longitude."
    if abs(lat - NO_LOCATION_LAT) < 1e-6:
        return None, None
    if not (49.0 <= lat <= 61.5 and -9.0 <= lon <= 2.5):
        return None, f"Line {line}: {raw} is placed outside the UK ({lat}, {lon})."
    code = normalise_postcode(raw)
    return Postcode(
        postcode=code, display=display_postcode(code), latitude=lat, longitude=lon
    ), None


def postcodes_import(*, path: Path) -> ImportResult:
    """Check every row first; import all of them, or none and list each bad row by line."""
    problems: list[str] = []
    for line, row in _rows(path):
        _, problem = _parse(line, row)
        if problem:
            problems.append(problem)
    if problems:
        raise PostcodeImportError(problems)
    imported = skipped = 0
    batch: list[Postcode] = []
    with transaction.atomic():
        for line, row in _rows(path):
            postcode, _ = _parse(line, row)
            if postcode is None:
                skipped += 1
                continue
            batch.append(postcode)
            if len(batch) >= BATCH:
                imported += _save(batch)
                batch = []
        imported += _save(batch)
    return ImportResult(imported=imported, skipped_no_location=skipped)


def _save(batch: list[Postcode]) -> int:
    if batch:
        Postcode.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["display", "latitude", "longitude"],
        )
    return len(batch)
