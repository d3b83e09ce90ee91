"""The security administrator's accounts, managed on the server: under 三员分立 no page lets
an administrator grant the security administrator role or act on a security
administrator's account (kepu.core.permissions), so the operator does it here. Every
change goes through the services and is audited (as the system)."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from kepu.core import services
from kepu.core.choices import Role
from kepu.core.errors import DomainError
from kepu.core.models import RoleAssignment, User

ACTIONS = ("grant", "revoke", "reset-password", "reset-totp", "unlock", "disable", "enable")


class Command(BaseCommand):
    help = (
        "Manage a security administrator account (三员分立: not possible from the pages). "
        "grant: give USERNAME the security administrator role; revoke: take it away; "
        "reset-password: a temporary password (asked for, or --password); reset-totp: remove "
        "the second factor (a new one is set up at the next login); unlock; disable; enable."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("username")
        parser.add_argument("--password", help="the temporary password (else asked for)")

    def handle(self, *args, action, username, password=None, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if action not in ("grant", "enable") and not user.has_role(Role.SECURITY_ADMIN):
            raise CommandError(
                f"{user.username} is not a security administrator; the security "
                "administrator manages the other accounts from the pages."
            )
        try:
            self._run(action, user, password)
        except DomainError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{action}: done for {user.username}")

    def _run(self, action, user, password):
        if action == "grant":
            services.assign_role(user, actor=None, role=Role.SECURITY_ADMIN)
        elif action == "revoke":
            assignment = RoleAssignment.objects.get(user=user, role=Role.SECURITY_ADMIN)
            services.revoke_role(assignment, actor=None)
        elif action == "reset-password":
            password = password or getpass.getpass("Temporary password: ")
            services.reset_password(user, actor=None, new_password=password)
        elif action == "reset-totp":
            services.reset_totp(user, actor=None)
        elif action == "unlock":
            services.unlock_user(user, actor=None)
        elif action == "disable":
            services.update_user(user, actor=None, is_active=False)
        else:
            services.update_user(user, actor=None, is_active=True)
