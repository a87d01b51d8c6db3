"""Vigil's addresses and /bench/raw/<n>/: the SQL the API ran for bench/api_list.py's n-th address,
run with a raw cursor, its rows returned with json.dumps, through the same middleware; and
/bench/raw-html/<n>/, the same rows as an HTML table, the ceiling of a list page
(bench/lists_at_scale.py, which names the folder of its SQL in BENCH_SQL_DIR)."""

import json
import os
from html import escape
from pathlib import Path

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as vigil

SQL_DIR = Path(os.environ.get("BENCH_SQL_DIR") or Path(__file__).resolve().parent.parent / "var" / "bench-api-sql")


def _rows(number: int) -> tuple[list[str], list[tuple[object, ...]]]:
    sql = (SQL_DIR / f"{number}.sql").read_text()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [column.name for column in cursor.description or []], cursor.fetchall()


def raw(request: HttpRequest, number: int) -> HttpResponse:
    columns, rows = _rows(number)
    results = [dict(zip(columns, row, strict=True)) for row in rows]
    return HttpResponse(json.dumps({"results": results}, default=str), content_type="application/json")


def raw_html(request: HttpRequest, number: int) -> HttpResponse:
    columns, rows = _rows(number)
    head = "".join(f"<th>{escape(name)}</th>" for name in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in row) + "</tr>" for row in rows)
    return HttpResponse(f"<!doctype html><title>Incidents</title><table><tr>{head}</tr>{body}</table>")


urlpatterns = [path("bench/raw/<int:number>/", raw), path("bench/raw-html/<int:number>/", raw_html), *vigil]
