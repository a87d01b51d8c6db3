"""Dates as Vigil writes them in English, day first as travel advice does:
"29 Nov 2024", "29 Nov 2024, 14:30", "Nov 2024"."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "M Y"
