"""manage.py seed_professionals_demo: demo organisations, members and advice requests."""

from django.core.management.base import BaseCommand

from ehc import demo as core_demo
from ehc import roles
from ehc.models import Team
from professionals.demo import DEMO_LOGINS, seed_demo


class Command(BaseCommand):
    help = "Add demo organisations, their members and advice requests in every state."

    def handle(self, *args, **options) -> None:
        users = core_demo.ensure_demo_users()
        team = Team.objects.filter(members=users[roles.CASEWORKER]).order_by("id").first()
        if team is None:
            team = core_demo.ensure_teams(users[roles.CASEWORKER], users[roles.MANAGER])[0]
        counts = seed_demo(
            caseworker=users[roles.CASEWORKER], manager=users[roles.MANAGER], team=team
        )
        self.stdout.write(f"Professionals demo: {counts}")
        for username, what in DEMO_LOGINS:
            self.stdout.write(f"  {username:<28} {what}")
