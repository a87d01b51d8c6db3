"""Reading the public pages as a traveler does, and finding the admin's pages."""

import re
from typing import Any

from django.db.models import Model
from django.urls import reverse


def text_of(response) -> str:
    """The page's text with tags removed and whitespace collapsed, to match sentences."""
    html = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([,.:;)])", r"\1", text)


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
