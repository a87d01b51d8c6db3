"""Countries are listed as people look them up: accents and case ignored, "Åland Islands" first
under A, "Côte d'Ivoire" between Costa Rica and Croatia, on the home page and in every form that
offers a choice of country."""

import re
from html import unescape

import pytest
from django.test import Client

from advisories.models import Country
from advisories.selectors import country_list_with_levels, group_by_initial, name_sort_key

pytestmark = pytest.mark.django_db

COSTA_RICA_TO_CZECHIA = ["Costa Rica", "Côte d'Ivoire", "Croatia", "Cuba", "Curaçao", "Cyprus", "Czechia"]


def in_order(names: list[str], wanted: list[str]) -> list[str]:
    return [name for name in names if name in wanted]


def test_the_key_ignores_accents_and_case():
    names = ["Czechia", "Côte d'Ivoire", "Åland Islands", "albania", "Croatia", "Afghanistan"]

    assert sorted(names, key=name_sort_key) == [
        "Afghanistan",
        "Åland Islands",
        "albania",
        "Côte d'Ivoire",
        "Croatia",
        "Czechia",
    ]


def test_the_home_page_groups_aland_under_a_and_cote_divoire_among_the_cs():
    Country.objects.filter(code="AX").update(name="Åland Islands")
    Country.objects.filter(code="CI").update(name="Côte d'Ivoire")

    groups = {
        group.letter: [row.country.name for row in group.rows] for group in group_by_initial(country_list_with_levels())
    }

    assert "Å" not in groups
    assert groups["A"][:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert in_order(groups["C"], COSTA_RICA_TO_CZECHIA) == COSTA_RICA_TO_CZECHIA
    assert sorted(groups) == list(groups)
    html = Client().get("/").content.decode()
    listed = [unescape(name) for name in re.findall(r'<a href="/countries/[a-z]{2}/">([^<]+)</a>', html)]
    assert in_order(listed, ["Afghanistan", "Åland Islands", "Albania"]) == ["Afghanistan", "Åland Islands", "Albania"]
    assert in_order(listed, COSTA_RICA_TO_CZECHIA) == COSTA_RICA_TO_CZECHIA


def option_names(html: str, name: str) -> list[str]:
    """The names of a select's options, or of a set of tick boxes."""
    boxes = re.findall(rf'<label for="id_{name}_\d+">([^<]+)</label>', html)
    if boxes:
        return [unescape(box) for box in boxes]
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [unescape(option) for option in re.findall(r"<option [^>]*>([^<]+)</option>", select)]


@pytest.mark.parametrize(
    ("who", "path", "field"),
    [
        ("officer_a", "/incidents/new/", "country"),
        ("officer_a", "/incidents/", "country"),
        (None, "/alerts/subscribe/", "countries"),
    ],
)
def test_forms_offer_the_countries_in_the_same_order(cast, who, path, field):
    client = Client()
    if who:
        client.force_login(getattr(cast, who))

    names = option_names(client.get(path).content.decode(), field)

    assert in_order(names, COSTA_RICA_TO_CZECHIA) == COSTA_RICA_TO_CZECHIA
    assert names.index("Åland Islands") < names.index("Albania")
