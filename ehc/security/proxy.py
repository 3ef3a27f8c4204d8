"""The client's address, derived once per request from the trusted proxies.

Every per-address limit (django-ratelimit, django-axes) and every log reads
``request.META["REMOTE_ADDR"]``, which this middleware sets first. The address the connection
came from is kept in ``request.META["EHC_PEER_ADDR"]``.

X-Forwarded-For is a list each proxy appends to: ``client, proxy1, proxy2``; anything to the left
of what our own proxies wrote may be forged by the client. So we read it from the right:

- ``EHC_TRUSTED_PROXIES`` (addresses or networks): if the peer is one of them, walk the list
  right to left, skipping trusted addresses; the first other address is the client.
- otherwise ``EHC_TRUSTED_PROXY_COUNT = n``: the n-th entry from the right is the client (the
  first proxy wrote it from its own peer address).
- neither, or a header that is missing, too short or not addresses: REMOTE_ADDR as it is.

Never raises: a malformed header falls back to the peer address.
"""

import ipaddress
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_address(text: str) -> str | None:
    """A bare IP address from one X-Forwarded-For entry, or None if it is not one."""
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.9:5000
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _is_trusted(address: str, networks: Sequence[Network]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_address(
    peer: str, forwarded_for: str, *, proxy_count: int, trusted: Sequence[str]
) -> str:
    """The client's address from the connection's peer and the X-Forwarded-For header."""
    peer_ip = _parse_address(peer) or peer
    if not forwarded_for or (not proxy_count and not trusted):
        return peer_ip
    raw = [part for part in forwarded_for.split(",") if part.strip()]
    hops = [_parse_address(part) for part in raw]
    if trusted:
        networks = _networks(tuple(trusted))
        if not _parse_address(peer) or not _is_trusted(peer_ip, networks):
            return peer_ip  # not from our proxy: the header is the client's own words
        for hop in reversed(hops):
            if hop is None:
                return peer_ip
            if not _is_trusted(hop, networks):
                return hop
        return hops[0] if hops and hops[0] else peer_ip
    if len(hops) < proxy_count:
        return peer_ip  # did not come through all our proxies
    chosen = hops[-proxy_count]
    return chosen if chosen is not None else peer_ip


def client_ip(request: HttpRequest) -> str:
    """The client address this middleware derived (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR", "")


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR", "")
        request.META["EHC_PEER_ADDR"] = peer
        request.META["REMOTE_ADDR"] = client_address(
            peer,
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            proxy_count=settings.EHC_TRUSTED_PROXY_COUNT,
            trusted=settings.EHC_TRUSTED_PROXIES,
        )
        return self.get_response(request)
