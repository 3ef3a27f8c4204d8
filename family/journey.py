"""The request journey's answers so far, kept in the session.

Each page's answers are stored as the raw form data that passed validation, so going back shows
exactly what was typed, and the check-answers page and the submit re-validate every page with
the same forms: nothing reaches the database that a page would not accept.
"""

import uuid
from datetime import date

from django.utils import timezone

SESSION_KEY = "ehc_request"
DONE_KEY = "ehc_request_done"


class Journey:
    """One person's way through 'Ask for an EHC needs assessment'."""

    def __init__(self, session):
        self.session = session
        self.state = session.get(SESSION_KEY)

    @classmethod
    def begin(cls, session) -> "Journey":
        """Start a journey, or carry on with the one already under way."""
        journey = cls(session)
        if journey.state is None:
            session[SESSION_KEY] = {
                "id": str(uuid.uuid4()),
                "started_at": timezone.now().isoformat(),
                "answers": {},
                "documents": [],
            }
            journey.state = session[SESSION_KEY]
        return journey

    @property
    def exists(self) -> bool:
        return self.state is not None

    @property
    def id(self) -> str:
        return self.state["id"]

    # -- answers ------------------------------------------------------------------------------

    def answers(self, step: str) -> dict | None:
        return self.state["answers"].get(step) if self.state else None

    def save_answers(self, step: str, data: dict) -> None:
        self.state["answers"][step] = data
        self.session.modified = True

    @property
    def requester_type(self) -> str:
        return (self.answers("who") or {}).get("requester_type", "")

    @property
    def child_first_name(self) -> str:
        return (self.answers("child") or {}).get("first_name", "").strip()

    @property
    def child_date_of_birth(self) -> date | None:
        raw = self.answers("child") or {}
        try:
            return date(
                int(raw["date_of_birth_2"]),
                int(raw["date_of_birth_1"]),
                int(raw["date_of_birth_0"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    # -- documents ----------------------------------------------------------------------------

    @property
    def documents(self) -> list[dict]:
        return list(self.state["documents"]) if self.state else []

    def add_document(self, document: dict) -> None:
        self.state["documents"].append(document)
        self.session.modified = True

    def remove_document(self, document_id: str) -> dict | None:
        for document in self.state["documents"]:
            if document["id"] == document_id:
                self.state["documents"].remove(document)
                self.session.modified = True
                return document
        return None


def finished(session) -> dict | None:
    """What the confirmation page shows, if this session has sent a request."""
    done = session.get(DONE_KEY)
    if not done:
        return None
    return {**done, "decision_due": date.fromisoformat(done["decision_due"])}


def remember_finished(session, *, key: str, reference: str, decision_due: date, email: str):
    """Once a request is sent: forget the answers, keep only what the confirmation shows."""
    session[DONE_KEY] = {
        "key": key,
        "reference": reference,
        "decision_due": decision_due.isoformat(),
        "email_sent_to": email,
    }
    session.pop(SESSION_KEY, None)
