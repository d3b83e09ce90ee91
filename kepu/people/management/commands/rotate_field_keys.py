from django.core.management.base import BaseCommand

from kepu.core import crypto
from kepu.people import services


class Command(BaseCommand):
    help = (
        "Re-encrypt every ID and phone number with the active key (the first of "
        "KEPU_FIELD_KEYS). Afterwards older keys can be removed from the ring."
    )

    def handle(self, *args, **options):
        changed = services.rotate_keys()
        self.stdout.write(f"{changed} people re-encrypted with key {crypto.active_key_id()}")
