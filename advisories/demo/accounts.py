"""Demo accounts with a known password, for trying the admin on a local machine.

The password is fixed and public (it is printed by load_demo and written here), so these
accounts are only created when settings.DEBUG is true or `--with-accounts` is passed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from advisories.services import Outcome


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    email: str
    is_staff: bool
    is_superuser: bool
    can: str


ANALYST = DemoAccount(
    username="analyst",
    password="vigil-demo-analyst",
    email="analyst@vigil.localhost",
    is_staff=True,
    is_superuser=True,
    can=(
        "staff and superuser: signs in to the admin and edits every advisory, rating, contact and report; "
        "sees incidents as an analyst does (no TLP:AMBER or above of any organisation)"
    ),
)

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (ANALYST,)


@dataclass(frozen=True)
class AccountResult:
    account: DemoAccount
    outcome: Outcome
    # False when the account existed and someone changed its password: we do not reset it.
    password_works: bool


def demo_account_ensure(*, account: DemoAccount) -> AccountResult:
    """Create the account if missing and make sure it has its rights.

    An existing account keeps its password: someone may have changed it on purpose, and a
    loader that silently resets passwords would reopen an account its owner had closed.
    """
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.select_for_update().filter(username=account.username).first()
        if user is None:
            user = user_model(
                username=account.username,
                email=account.email,
                is_staff=account.is_staff,
                is_superuser=account.is_superuser,
                is_active=True,
            )
            user.set_password(account.password)
            user.save()
            return AccountResult(account, Outcome.CREATED, password_works=True)
        wanted = {"is_staff": account.is_staff, "is_superuser": account.is_superuser, "is_active": True}
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if changed:
            user.save(update_fields=changed)
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        return AccountResult(account, outcome, password_works=user.check_password(account.password))
