"""The return as XML in the spec's module structure, streamed person by person with
xml.sax.saxutils.XMLGenerator (never the whole tree in memory), written to a temporary file in
the target's folder and moved into place only when complete: a failed export leaves no half file.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.utils import timezone

from sen2.collection import Collection
from sen2.selectors import PersonRecord, PlacementRow, RequestRecord, return_people

SOFTWARE = "EHC needs-assessment workflow engine"


@dataclass
class ExportCounts:
    people: int = 0
    requests: int = 0
    assessments: int = 0
    named_plans: int = 0
    active_plans: int = 0
    placements: int = 0
    needs: int = 0


def la_code() -> str:
    return str(getattr(settings, "SEN2_LA_CODE", os.environ.get("EHC_LA_CODE", "000")))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Writer:
    def __init__(self, out: IO[str]):
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def open(self, name: str) -> None:
        self.xml.startElement(name, {})

    def close(self, name: str) -> None:
        self.xml.endElement(name)

    def item(self, name: str, value: object) -> None:
        """An item with a value; an absent item (None or blank) is left out, as the DfE asks."""
        if value is None or value == "":
            return
        self.xml.startElement(name, {})
        self.xml.characters(_text(value))
        self.xml.endElement(name)


def write_return(
    out: IO[str],
    collection: Collection,
    people: Iterator[PersonRecord] | None = None,
    *,
    now: datetime | None = None,
) -> ExportCounts:
    """Write the year's return to `out`; return what it holds."""
    census = collection.require_census()
    counts = ExportCounts()
    w = _Writer(out)
    w.xml.startDocument()
    w.open("Message")
    w.open("Header")
    w.open("CollectionDetails")
    w.item("Collection", "SEN2")
    w.item("Year", collection.year)
    w.item("ReferenceDate", census)
    w.close("CollectionDetails")
    w.open("Source")
    w.item("SourceLevel", "L")
    w.item("LEA", la_code())
    w.item("SoftwareCode", SOFTWARE)
    w.item("DateTime", (now or timezone.now()).replace(microsecond=0).isoformat())
    w.close("Source")
    w.close("Header")
    w.open("Persons")
    for person in people if people is not None else return_people(collection):
        _write_person(w, person, census, counts)
    w.close("Persons")
    w.close("Message")
    w.xml.endDocument()
    return counts


def _write_person(w: _Writer, person: PersonRecord, census: date, counts: ExportCounts) -> None:
    counts.people += 1
    w.open("Person")
    w.item("Surname", person.surname)
    w.item("Forename", person.forename)
    w.item("PersonBirthDate", person.birth_date)
    w.item("Sex", person.sex)
    w.item("Ethnicity", person.ethnicity)
    w.item("Postcode", person.postcode)
    w.item("UPN", person.upn)
    w.item("UniqueLearnerNumber", person.uln)
    w.item("UPNunknown", "" if person.upn else person.upn_unknown)
    w.open("Requests")
    for request in person.requests:
        _write_request(w, request, census, counts)
    w.close("Requests")
    w.close("Person")


def _placement_items(w: _Writer, p: PlacementRow) -> None:
    w.item("URN", p.urn)
    w.item("UKPRN", p.ukprn)
    w.item("SENsetting", "" if (p.urn or p.ukprn) else p.sen_setting)


def named_placements(r: RequestRecord) -> list[PlacementRow]:
    """The placements the plan named: for each rank, the first placement (by entry date)."""
    first: dict[int, PlacementRow] = {}
    for p in sorted(r.placements, key=lambda p: (p.rank, p.entry_date or date.min)):
        first.setdefault(p.rank, p)
    return list(first.values())


def _write_request(w: _Writer, r: RequestRecord, census: date, counts: ExportCounts) -> None:
    counts.requests += 1
    w.open("Request")
    w.item("ReceivedDate", r.received)
    w.item("RequestSource", r.request_source)
    w.item("RYA", r.rya)
    w.item("RequestOutcomeDate", r.request_outcome_date)
    w.item("RequestOutcome", r.request_outcome)
    w.item("RequestMediation", r.request_mediation)
    w.item("RequestTribunal", r.request_tribunal)
    w.item("Exported", r.exported)
    if r.assessment_outcome is not None:
        counts.assessments += 1
        w.open("Assessment")
        w.item("AssessmentOutcome", r.assessment_outcome)
        w.item("AssessmentOutcomeDate", r.assessment_outcome_date)
        w.item("AssessmentMediation", r.assessment_mediation)
        w.item("AssessmentTribunal", r.assessment_tribunal)
        w.item("OtherMediation", r.other_mediation)
        w.item("OtherTribunal", r.other_tribunal)
        if r.assessment_outcome == "Y":
            w.item("Week20", r.week20_exception)
        w.close("Assessment")
    if r.has_plan:
        counts.named_plans += 1
        w.open("NamedPlan")
        w.item("StartDate", r.plan_start)
        for name in ("PlanRes", "PlanWBP", "PB", "OA", "DP"):
            w.item(name, r.plan_flags.get(name, False))
        w.item("CeaseDate", r.cease_date)
        w.item("CeaseReason", r.cease_reason if r.cease_date else "")
        for p in named_placements(r):
            w.open("PlanDetail")
            _placement_items(w, p)
            w.item("SENsettingOther", p.sen_setting_other)
            w.item("PlacementRank", p.rank)
            w.item("SENunitIndicator", p.sen_unit)
            w.item("ResourcedProvisionIndicator", p.resourced_provision)
            w.close("PlanDetail")
        w.close("NamedPlan")
    if r.active_on_census:
        counts.active_plans += 1
        w.open("ActivePlans")
        w.item("TransferLA", r.transfer_la)
        w.item("ReviewMeeting", r.review_meeting)
        w.item("ReviewOutcome", r.review_outcome)
        w.item("ReviewDraft", r.review_draft)
        w.item("PhaseTransferDueDate", r.phase_transfer_due)
        w.item("PhaseTransferFinalDate", r.phase_transfer_final)
        w.item("LastReview", r.review_decided)
        for p in r.placements:
            if p.entry_date is not None and p.entry_date > census:
                continue
            counts.placements += 1
            w.open("PlacementDetail")
            _placement_items(w, p)
            w.item("PlacementRank", p.rank)
            w.item("EntryDate", p.entry_date)
            w.item("LeavingDate", p.leaving_date)
            w.item("SENunitIndicator", p.sen_unit)
            w.item("ResourcedProvisionIndicator", p.resourced_provision)
            w.item("RES", p.residential)
            w.item("WBP", p.work_based)
            w.close("PlacementDetail")
        for need in r.needs:
            counts.needs += 1
            w.open("SENneed")
            w.item("SENtype", need.sen_type)
            w.item("SENtypeRank", need.rank)
            w.close("SENneed")
        w.close("ActivePlans")
    w.close("Request")


def export_to_path(
    path: Path, collection: Collection, *, writer: Callable[..., ExportCounts] = write_return
) -> ExportCounts:
    """Write the return to a temporary file beside `path`, then move it over `path` in one step.
    On any failure the temporary file is removed and `path` is left as it was."""
    path = Path(path)
    collection.require_census()  # fail before creating anything
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            counts = writer(out, collection)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return counts
