"""Dates as Vigil writes them in English: "29 Nov 2024", "29 Nov 2024, 14:30" (day first, as travel advice does)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
