"""Start everything for local use: Redis, a Celery worker, Celery beat and the web server."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import devservers
from ehc.demo import DEMO_LOGINS, DEMO_PASSWORD
from professionals.demo import DEMO_LOGINS as PROFESSIONAL_LOGINS


class Command(BaseCommand):
    help = "Run Redis, a Celery worker, Celery beat and the Django server together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--redis-port", type=int, default=6380)

    def handle(self, *args, port, redis_port, **options):
        run_dir = settings.BASE_DIR / ".run"
        children = []
        try:
            if devservers.port_open(redis_port):
                self.stdout.write(f"Using the Redis already listening on port {redis_port}.")
            else:
                children.append(devservers.start_redis(redis_port, run_dir))
            env = {**os.environ, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
            # Locally, sweep every minute so a demo alert arrives while someone is watching.
            env.setdefault("EHC_ALERT_SWEEP_SECONDS", "60")
            celery = [sys.executable, "-m", "celery", "-A", "config"]
            children.append(
                subprocess.Popen(
                    [*celery, "worker", "--loglevel", "INFO", "--concurrency", "1"], env=env
                )
            )
            children.append(
                subprocess.Popen(
                    [
                        *celery,
                        "beat",
                        "--loglevel",
                        "INFO",
                        "--schedule",
                        str(run_dir / "celerybeat-schedule"),
                    ],
                    env=env,
                )
            )
            self._print_welcome(port)
            subprocess.run(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                check=False,
            )
        except devservers.MissingServer as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            pass
        finally:
            for child in reversed(children):
                child.terminate()
            for child in children:
                child.wait(timeout=10)

    def _print_welcome(self, port: int) -> None:
        lines = [
            "",
            f"EHC engine running at http://127.0.0.1:{port}/",
            f"Demo logins (password for all: {DEMO_PASSWORD}):",
            *(f"  {role:<11} {username}" for username, role, _ in DEMO_LOGINS),
            f"  {'admin':<11} admin   (Django admin at http://127.0.0.1:{port}/admin/)",
            "Organisations' members (advice requests, a school's SENCO; same password):",
            *(f"  {username:<28} {what}" for username, what in PROFESSIONAL_LOGINS),
            "Staff logins then ask for an authenticator code; in another terminal run",
            "  DJANGO_DEBUG=1 .venv/bin/python manage.py otp_code caseworker   (or manager, admin,",
            "  or a member's address, e.g. eps.admin@example.org)",
            "Press Ctrl+C to stop everything.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
