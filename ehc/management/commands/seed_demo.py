from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ehc import demo


class Command(BaseCommand):
    help = "Create demo logins and N synthetic cases spread over every stage and outcome."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if cases already exist (for make run).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow demo logins with a known password when DEBUG is off.",
        )

    def handle(self, *args, cases, seed, if_empty, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create demo logins with DEBUG off; pass --force.")
        if cases < 0:
            raise CommandError("--cases must be zero or more.")
        from ehc.models import Case

        if if_empty and Case.objects.exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        totals = demo.seed_cases(cases, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                "Seeded {cases} cases, {events} events, {deadlines} deadlines, "
                "{exceptions} exceptions.".format(**totals)
            )
        )
