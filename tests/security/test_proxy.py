"""The client's address behind proxies: derived once, never from a forged header, never an error."""

import pytest
from django.urls import reverse

from ehc.security.proxy import client_address


@pytest.mark.parametrize(
    ("peer", "header", "count", "trusted", "expected"),
    [
        # No proxy configured: the header is ignored whatever it says.
        ("203.0.113.9", "1.2.3.4", 0, [], "203.0.113.9"),
        # One proxy: the entry it added (rightmost) is the client; anything left of it is forged.
        ("10.0.0.1", "203.0.113.9", 1, [], "203.0.113.9"),
        ("10.0.0.1", "6.6.6.6, 203.0.113.9", 1, [], "203.0.113.9"),
        # Two proxies: the second from the right.
        ("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1", 2, [], "203.0.113.9"),
        # Fewer entries than proxies, a missing or an unparseable header: the peer.
        ("10.0.0.2", "203.0.113.9", 2, [], "10.0.0.2"),
        ("10.0.0.1", "", 1, [], "10.0.0.1"),
        ("10.0.0.1", "not-an-address", 1, [], "10.0.0.1"),
        ("10.0.0.1", " , ,", 1, [], "10.0.0.1"),
        ("10.0.0.1", "203.0.113.9:5123", 1, [], "203.0.113.9"),
        ("10.0.0.1", "[2001:db8::7]:443", 1, [], "2001:db8::7"),
        # Trusted networks: skip our proxies from the right; the first other address is the client.
        ("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.5", 0, ["10.0.0.0/8"], "203.0.113.9"),
        # ... but only when the request really came from one of them.
        ("198.51.100.1", "203.0.113.9", 0, ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.1", "garbage, 203.0.113.9", 0, ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.1", "203.0.113.9, garbage", 0, ["10.0.0.0/8"], "10.0.0.1"),
    ],
)
def test_client_address(peer, header, count, trusted, expected):
    assert client_address(peer, header, proxy_count=count, trusted=trusted) == expected


@pytest.mark.django_db
def test_a_forged_header_cannot_bypass_the_sign_in_limit(client, settings):
    settings.EHC_TRUSTED_PROXY_COUNT = 1
    settings.EHC_RATELIMIT_SIGN_IN_IP = "3/15m"
    url = reverse("login")
    statuses = []
    for n in range(5):
        # The attacker writes a new address each time; the proxy appends the real one.
        header = f"198.51.100.{n}, 203.0.113.9"
        response = client.post(
            url,
            {"username": f"u{n}@example.com", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=header,
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_each_client_behind_the_proxy_has_its_own_count(client, settings):
    settings.EHC_TRUSTED_PROXY_COUNT = 1
    settings.EHC_RATELIMIT_SIGN_IN_IP = "2/15m"
    url = reverse("login")
    for _ in range(2):
        client.post(
            url,
            {"username": "a@example.com", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        url,
        {"username": "b@example.com", "password": "x"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["203.0.113.9, 10.0.0.1", "", "nonsense", "203.0.113.9,,, ::1, x"]
)
@pytest.mark.parametrize("count", [0, 1, 2])
def test_chained_or_missing_headers_never_error(client, settings, header, count):
    settings.EHC_TRUSTED_PROXY_COUNT = count
    extra = {"HTTP_X_FORWARDED_FOR": header} if header else {}
    response = client.post(
        reverse("login"),
        {"username": "a@example.com", "password": "x"},
        REMOTE_ADDR="10.0.0.1",
        **extra,
    )
    assert response.status_code == 200
    assert client.post(reverse("request:submit"), REMOTE_ADDR="10.0.0.1", **extra).status_code in (
        302,
        200,
    )
