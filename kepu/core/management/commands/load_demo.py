import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from kepu.core.demo import ACCOUNTS, demo_totp_hex, load_demo, totp_base32
from kepu.core.models import User


class Command(BaseCommand):
    help = "Load the demo province (Sichuan) and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=3000, help="demo people to create")
        parser.add_argument(
            "--apps",
            nargs="*",
            metavar="LABEL",
            help="load only these apps' demos after core's (default: every app)",
        )

    def handle(self, *args, **options):
        result = load_demo()
        # The census population of the demo province (per-10,000 ratios without typing).
        from kepu.core.census import load_population

        load_population()
        self.stdout.write(
            f"demo: {result['organizations']} organizations and "
            f"{len(result['users'])} accounts created"
        )
        # Every other app may ship a `demo.load_demo(size)`; they run after core.
        for config in apps.get_app_configs():
            if config.name == "kepu.core" or not config.name.startswith("kepu."):
                continue
            if options["apps"] is not None and config.label not in options["apps"]:
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            created = module.load_demo(options["people"])
            self.stdout.write(f"demo {config.label}: {created}")
        self.stdout.write(f"\nDemo accounts (password: {settings.DEMO_PASSWORD})")
        for username, full_name in dict((a[0], a[1]) for a in ACCOUNTS).items():
            user = User.objects.get(username=username)
            line = f"  {username:<16} {full_name}"
            if user.requires_otp:
                line += f"   TOTP secret: {totp_base32(demo_totp_hex(username))}"
            self.stdout.write(line)
        self.stdout.write("")
