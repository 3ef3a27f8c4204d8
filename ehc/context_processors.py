from django.conf import settings
from django.http import HttpRequest

from ehc import roles


def service(request):
    """Names every page shows in its header."""
    return {
        "service_name": "EHC needs assessments",
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
    }


class Capabilities:
    """`can.<name>`: whether the user has the permission the catalogue names (ehc.roles)."""

    def __init__(self, user: object) -> None:
        self._user = user

    def __getitem__(self, name: str) -> bool:
        return bool(self._user.has_perm(roles.CAPABILITIES[name]))  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> bool:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def capabilities(request: HttpRequest) -> dict[str, Capabilities]:
    return {"can": Capabilities(request.user)}
