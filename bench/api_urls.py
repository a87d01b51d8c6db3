"""Vigil's addresses and /bench/raw/<n>/: the SQL the API ran for bench/api_list.py's n-th address,
run with a raw cursor, its rows returned with json.dumps, through the same middleware."""

import json
from pathlib import Path

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as vigil

SQL_DIR = Path(__file__).resolve().parent.parent / "var" / "bench-api-sql"


def raw(request: HttpRequest, number: int) -> HttpResponse:
    sql = (SQL_DIR / f"{number}.sql").read_text()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        columns = [column.name for column in cursor.description or []]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return HttpResponse(json.dumps({"results": rows}, default=str), content_type="application/json")


urlpatterns = [path("bench/raw/<int:number>/", raw), *vigil]
