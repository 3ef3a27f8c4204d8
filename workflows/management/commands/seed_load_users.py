"""Staff logins for the load benchmark (scripts/bench-load), each with its own authenticator.

Staff sign in with a second factor, and a TOTP code is accepted once per device per 30 s, so
every simulated user needs a device of its own: this makes `load-caseworker-NN` (spread over
the demo teams) and `load-manager-NN`, each with a fresh random password and a confirmed TOTP
device, and writes their usernames, passwords and device keys to a JSON file (mode 0600) that
the locust users read to sign in and compute their codes. The demo's open tasks held by
caseworkers are shared out among the load caseworkers of the same team, so "my tasks" holds
work. Refused with DEBUG off unless --force: it is for a benchmark database only.
"""

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Mod
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.models import Task

from ehc import roles
from ehc.models import Team, User
from workflows.models import QueueEntry
from workflows.queue import ACTIVE

LOAD_DEVICE_NAME = "Load benchmark authenticator"


class Command(BaseCommand):
    help = "Create load-benchmark staff logins with their own authenticators (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--caseworkers", type=int, default=20)
        parser.add_argument("--managers", type=int, default=10)
        parser.add_argument("--out", required=True, help="Where to write the logins (JSON).")
        parser.add_argument("--force", action="store_true", help="Allow with DEBUG off.")

    def handle(self, *args, caseworkers: int, managers: int, out: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create logins with DEBUG off; pass --force.")
        teams = list(Team.objects.order_by("pk"))
        if not teams:
            raise CommandError("No teams: seed the demo cases first (seed_demo).")
        with transaction.atomic():
            logins = [
                self._login(f"load-caseworker-{n:02}", roles.CASEWORKER, [teams[n % len(teams)]])
                for n in range(1, caseworkers + 1)
            ] + [
                self._login(f"load-manager-{n:02}", roles.MANAGER, teams)
                for n in range(1, managers + 1)
            ]
            moved = self._share_out_tasks(teams, caseworkers)
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(logins, handle, indent=1)
        self.stdout.write(
            f"{len(logins)} load logins written to {path}; {moved} open tasks shared out."
        )

    def _login(self, username: str, role: str, teams: list[Team]) -> dict:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": "Load", "last_name": username.split("-", 1)[1].title()},
        )
        password = secrets.token_urlsafe(18)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        for team in teams:
            team.members.add(user)
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=LOAD_DEVICE_NAME, confirmed=True)
        return {
            "username": username,
            "password": password,
            "role": role,
            "key": device.key,
            "step": device.step,
            "t0": device.t0,
            "digits": device.digits,
        }

    def _share_out_tasks(self, teams: list[Team], caseworkers: int) -> int:
        """Open tasks held by someone go, by task id, to the load caseworkers of their team."""
        moved = 0
        for index, team in enumerate(teams):
            members = [
                User.objects.get(username=f"load-caseworker-{n:02}")
                for n in range(1, caseworkers + 1)
                if n % len(teams) == index
            ]
            for slot, user in enumerate(members):
                held = (
                    QueueEntry.objects.filter(is_open=True, team=team, owner__isnull=False)
                    .annotate(slot=Mod(F("task_id"), len(members)))
                    .filter(slot=slot)
                    .values_list("task_id", flat=True)
                )
                ids = list(held)
                moved += Task.objects.filter(pk__in=ids, status__in=ACTIVE).update(owner=user)
                QueueEntry.objects.filter(task_id__in=ids).update(owner=user)
        return moved
