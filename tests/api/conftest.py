"""What the API tests share: no throttling (the people, `cast`, are those of tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

ROOMY = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """Most tests send more requests a minute than a client may; those about throttling set
    their own rates. DRF reads the rates once, when it is imported: hence the class attribute."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", ROOMY)
    cache.clear()
