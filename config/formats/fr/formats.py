"""Dates as Vigil writes them in French, months abbreviated with their point:
"29 nov. 2024", "29 nov. 2024 14:30", "nov. 2024"."""

DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
YEAR_MONTH_FORMAT = "N Y"
