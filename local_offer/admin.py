"""The Django admin for the Local Offer: organisations and their provider accounts, the search
synonyms staff keep, and read-mostly views of records (changes go through the services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from local_offer.models import Organisation, Postcode, Service, Synonym


@admin.register(Synonym)
class SynonymAdmin(SimpleHistoryAdmin):
    list_display = ["words"]
    search_fields = ["words"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "is_council"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "status", "schedule2_item", "in_area", "review_due_on"]
    list_filter = ["status", "schedule2_item", "in_area"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = [f.name for f in Service._meta.fields if f.name != "id"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["display", "latitude", "longitude"]
    search_fields = ["postcode"]
