"""Import a CSV of organisations through stakeholders.resources.OrganisationResource
and stop half-way — inside the import's transaction, after ``HALF`` rows are saved —
until the test kills this process (SIGKILL: no clean-up code of ours can run).

    python -m tests.deploy.import_until_killed organisations.csv 2500
"""

import sys
import time

import django


def main(csv_path: str, half: int) -> None:
    django.setup()
    import tablib

    from stakeholders.models import Organisation
    from stakeholders.resources import OrganisationResource

    class HalfWay(OrganisationResource):
        """Organisations are inserted in batches (``use_bulk``): stop once the batches
        written so far hold ``half`` rows (``half`` a multiple of the batch size)."""

        saved = 0

        class Meta:
            batch_size = 500

        def bulk_create(self, *args, **kwargs):
            batch = len(self.create_instances)
            super().bulk_create(*args, **kwargs)
            HalfWay.saved += batch
            if batch and HalfWay.saved == half:
                visible = Organisation.objects.count()
                print(f"half-way: {half} rows saved, {visible} organisations", flush=True)
                time.sleep(120)  # killed here

    with open(csv_path, encoding="utf-8") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="csv")
    result = HalfWay().import_data(dataset, dry_run=False)
    print(f"finished; errors: {result.has_errors()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
