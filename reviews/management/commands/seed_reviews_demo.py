"""manage.py seed_reviews_demo: demo plans in force in every review state, once per database."""

from django.core.management.base import BaseCommand

from reviews.demo import PREFIX, seed_demo_plans
from reviews.models import MaintainedPlan


class Command(BaseCommand):
    help = "Add demo plans in force (overdue, due soon, a phase transfer, reviews in each state)."

    def handle(self, *args, **options) -> None:
        if MaintainedPlan.objects.filter(import_reference__startswith=PREFIX).exists():
            self.stdout.write("Demo plans in force are already there.")
            return
        plans = seed_demo_plans()
        self.stdout.write(f"Added {len(plans)} demo plans in force.")
