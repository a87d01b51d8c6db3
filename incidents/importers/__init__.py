"""Importers of incident data sets: ACLED (`acled/`) and the Aid Worker Security Database
(`awsd.py`), on the importer kit (`config.importing`: reading files, problems, the command)
and on what incident importers share: their report and values (`base.py`), placing rows in
countries and regions (`places.py`), writing in bulk and idempotently (`sync.py`), running
read, match and write in order (`running.py`), and their command's summary (`command.py`).
"""
