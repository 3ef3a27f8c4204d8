"""Services are found through the core search index, which does not depend on the service
table's triggers or rowids: a migration that remakes the table (as SQLite's ALTER does) leaves
search working, and the check after every migrate puts a lost index back."""

import pytest
from django.core.management import call_command
from django.db import connection, models

from ehc.models import SearchDocument
from local_offer import services
from local_offer.models import Service
from local_offer.search_index import KIND
from local_offer.selectors import DirectoryFilters, directory_page
from tests.local_offer.conftest import TODAY, details


def _names(q: str) -> list[str]:
    return [s.name for s in directory_page(DirectoryFilters(q=q)).services]


def _alter_name_length(length: int) -> None:
    """What a migration altering the column does: on SQLite, a new table copied from the old
    one, which is then dropped (with any triggers it had) and the new one renamed."""
    old = Service._meta.get_field("name")
    new = models.CharField(max_length=length)
    new.set_attributes_from_name("name")
    new.model = Service
    with connection.schema_editor() as editor:
        editor.alter_field(Service, old, new)


@pytest.mark.django_db(transaction=True)
def test_search_survives_a_migration_that_remakes_the_service_table(make_service, officer):
    club = make_service()
    assert _names("saturday club") == [club.name]
    _alter_name_length(250)
    try:
        assert _names("saturday club") == [club.name]
        services.service_update(
            service=club,
            details=details(name="Saturday sensory club"),
            acting_user=officer,
            today=TODAY,
        )
        assert _names("sensory") == ["Saturday sensory club"]
        assert _names("club saturday") == ["Saturday sensory club"]
    finally:
        _alter_name_length(200)


@pytest.mark.django_db
def test_migrate_puts_back_services_missing_from_the_index(make_service):
    club = make_service()
    SearchDocument.objects.filter(kind=KIND).delete()
    assert _names("saturday club") == []
    call_command("migrate", verbosity=0)  # nothing to apply; the index check runs after
    assert _names("saturday club") == [club.name]


@pytest.mark.django_db
def test_reindex_command(make_service, capsys):
    make_service()
    call_command("search_reindex")
    assert f"{KIND}: 1 records indexed" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_inactive_service_leaves_the_public_search(make_service, officer):
    club = make_service()
    services.service_update(
        service=club,
        details=details(status=Service.Status.INACTIVE),
        acting_user=officer,
        today=TODAY,
    )
    assert _names("saturday club") == []
    page = directory_page(DirectoryFilters(q="saturday club", include_inactive=True))
    assert [s.name for s in page.services] == [club.name]
    services.service_update(service=club, details=details(), acting_user=officer, today=TODAY)
    assert _names("saturday club") == [club.name]
