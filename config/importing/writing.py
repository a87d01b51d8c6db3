"""Writing an import: all of it in one transaction, which a dry run rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def import_transaction(*, dry_run: bool) -> Iterator[None]:
    """One transaction for every write of an import. A dry run does the same work and rolls it
    back, so its report is the one a real run would give."""
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)
