"""A NUL character in a filter's query string is dropped, not sent to the database (PostgreSQL
refuses it, which made the legacy register's search answer a server error)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/staff/conversions/?q=%00&type=statement",
        "/staff/conversions/?q=a%00b",
        "/staff/cases/?q=%00",
        "/staff/settings/?q=oak%00field",
    ],
)
def test_a_nul_in_a_filter_is_dropped(client, manager, url):
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_the_filter_keeps_what_was_typed_around_the_nul(rf):
    from ehc.query_strings import NulFreeQueryMiddleware

    seen = {}

    def view(request):
        seen.update(request.GET.lists())
        return None

    NulFreeQueryMiddleware(view)(rf.get("/x/?q=a%00b&type=statement&q=c"))
    assert seen == {"q": ["ab", "c"], "type": ["statement"]}
