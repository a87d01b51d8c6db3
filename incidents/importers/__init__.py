"""Importers of incident data sets: ACLED (`acled.py`) and the Aid Worker Security Database
(`awsd.py`), on shared machinery: reading CSV with line numbers (`base.py`), placing rows in
countries and regions (`places.py`), writing in bulk and idempotently (`sync.py`), and the
management command they share (`command.py`).
"""
