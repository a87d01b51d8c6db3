"""Dates as Vigil writes them in French: "29 nov. 2024", "29 nov. 2024 14:30" (abbreviated months with their point)."""

DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
