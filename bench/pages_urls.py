"""Vigil's addresses and /bench/bare/: the bytes of Mali's page, saved by bench/pages.py, returned
by a view that does nothing else, through the same middleware."""

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as vigil

PAGE = Path(__file__).resolve().parent.parent / "var" / "bench-page.html"


@cache
def _page() -> bytes:
    return PAGE.read_bytes()


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_page(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare), *vigil]
