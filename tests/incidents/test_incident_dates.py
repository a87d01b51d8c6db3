"""An incident's date reads as people write it, no more precise than it is known: "17 Sep 2024",
"Sep 2024", "2024", with what is not known said in a tooltip and to screen readers."""

import datetime as dt
import re

import pytest

from incidents.models import DatePrecision
from tests.factories import IncidentFactory
from tests.incidents.pages import region, text_of

pytestmark = pytest.mark.django_db


def date_cell(html: str, title: str) -> str:
    row = html.split(f">{title}</a>")[0].rsplit("<tr>", 1)[1]
    return row.split('<td class="date"', 1)[1].split("</td>")[0]


@pytest.mark.parametrize(
    ("precision", "shown", "machine", "note"),
    [
        (DatePrecision.DAY, "17 Sep 2024", "2024-09-17", None),
        (DatePrecision.WEEK, "week of 17 Sep 2024", "2024-09-17", "exact day not known"),
        (DatePrecision.MONTH, "Sep 2024", "2024-09", "exact day not known"),
        (DatePrecision.YEAR, "2024", "2024", "month and day not known"),
    ],
)
def test_the_list_gives_the_date_as_precisely_as_it_is_known(client, precision, shown, machine, note):
    IncidentFactory.create(title="Ambush", occurred_on=dt.date(2024, 9, 17), date_precision=precision)

    cell = date_cell(client.get("/countries/ml/incidents/").content.decode(), "Ambush")

    time = re.search(r'<time datetime="([^"]+)"(?: title="([^"]+)")?>([^<]+)</time>', cell)
    assert time is not None, cell
    assert time.groups() == (machine, note and note.capitalize(), shown)
    if note:
        assert f'<span class="visually-hidden"> ({note})</span>' in cell
    assert "Within a" not in cell


def test_a_month_date_reads_naturally_in_the_list_and_on_the_country_page(client):
    IncidentFactory.create(
        title="Attack near Gao", occurred_on=dt.date(2022, 11, 12), date_precision="month", region=region("ML-7")
    )

    listed = text_of(client.get("/countries/ml/incidents/"))
    country = text_of(client.get("/countries/ml/"))

    assert "Nov 2022 (exact day not known) Attack near Gao" in listed
    assert "Nov 2022 (exact day not known): Attack near Gao" in country
    assert "Within a month" not in listed + country
