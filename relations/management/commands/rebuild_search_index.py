from django.core.management.base import BaseCommand

from relations import search


class Command(BaseCommand):
    help = "Recompute the search text of every record (needed after writes that bypass save(), such as bulk_create)."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {search.rebuild()} records.")
