# 17 sept. 2024, 17 sept. 2024, 08:30 (pages), 17 sept. 2024 08:30 (e-mails), sept. 2024:
# French abbreviations of months ("N"), where "M" would give the English "Sep".
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATETIME_FORMAT = "j N Y H:i"
YEAR_MONTH_FORMAT = "N Y"
