"""The Local Offer: the council's directory of SEND services, its open data feed and reg 56."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LocalOfferConfig(AppConfig):
    name = "local_offer"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Local Offer"

    def ready(self) -> None:
        from ehc.offer_links import register_offer_resolver
        from local_offer import bench, clocks, roles, search_index  # noqa: F401  (figures, search)
        from local_offer.links import resolve

        roles.roles_register()
        clocks.subject_types_register()
        post_migrate.connect(roles.sync_local_offer_groups, sender=self)
        register_offer_resolver(resolve)
