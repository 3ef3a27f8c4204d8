"""A collection year's definition, read from sen2/years/<year>/collection.toml: census day,
deadline, the period requests and assessments are counted over, the items of each module and the
code lists. Next year is a new data file, not a code change."""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings

YEARS_DIR = Path(__file__).resolve().parent / "years"

NO_SUCH_YEAR = (
    "There is no SEN2 collection {year} configured (no sen2/years/{year}/collection.toml)."
)
NO_CENSUS_DATE = "The SEN2 collection {year} has no census date configured."
BAD_FILE = "The SEN2 collection file for {year} cannot be read: {problem}"


class CollectionNotConfigured(Exception):
    """The year has no data file, or the file lacks what an export needs (say, the census date)."""


@dataclass(frozen=True)
class Collection:
    year: int
    census_date: date | None
    deadline: date | None
    period_start: date | None
    period_end: date | None
    modules: dict[str, list[str]] = field(default_factory=dict)
    required: dict[str, list[str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        """What stops this year's return being produced: reported by a rule, raised by export."""
        if self.census_date is None:
            return [NO_CENSUS_DATE.format(year=self.year)]
        return []

    def require_census(self) -> date:
        if self.census_date is None:
            raise CollectionNotConfigured(NO_CENSUS_DATE.format(year=self.year))
        return self.census_date

    def code_label(self, code_list: str, code: str) -> str:
        return self.codes.get(code_list, {}).get(code, code)

    def choices(self, code_list: str) -> list[tuple[str, str]]:
        return [(code, f"{code}: {label}") for code, label in self.codes.get(code_list, {}).items()]


def years_dir() -> Path:
    return Path(getattr(settings, "SEN2_YEARS_DIR", YEARS_DIR))


def available_years() -> list[int]:
    folder = years_dir()
    if not folder.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in folder.iterdir()
        if p.name.isdigit() and (p / "collection.toml").exists()
    )


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@lru_cache(maxsize=32)
def _load(path: str, year: int, modified_ns: int) -> Collection:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        census = _as_date(data.get("census_date"))
        start = _as_date(data.get("period_start")) or date(year - 1, 1, 1)
        end = _as_date(data.get("period_end")) or date(year - 1, 12, 31)
        return Collection(
            year=year,
            census_date=census,
            deadline=_as_date(data.get("deadline")),
            period_start=start,
            period_end=end,
            modules={k: list(v) for k, v in data.get("modules", {}).items()},
            required={k: list(v) for k, v in data.get("required", {}).items()},
            codes={
                name: {str(code): str(label) for code, label in codes.items()}
                for name, codes in data.get("codes", {}).items()
            },
        )
    except (tomllib.TOMLDecodeError, ValueError, TypeError) as problem:
        raise CollectionNotConfigured(BAD_FILE.format(year=year, problem=problem)) from problem


def collection_for(year: int) -> Collection:
    """The year's definition. Raises CollectionNotConfigured when there is no file for it."""
    path = years_dir() / str(year) / "collection.toml"
    if not path.exists():
        raise CollectionNotConfigured(NO_SUCH_YEAR.format(year=year))
    return _load(str(path), year, path.stat().st_mtime_ns)


def current_year(today: date) -> int:
    """The collection a manager is working on: January's census after this calendar year."""
    return today.year + 1
