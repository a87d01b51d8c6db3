"""The maps of a country and of a region: the advisories' polygons (advisories/maps.py) with the
published TLP:CLEAR incidents as points (incidents/maps.py).

`{% load incident_maps %}` then `{% country_map country %}` or `{% region_map region %}`; the page
also needs `{% load maps %}{% map_assets %}` in its `{% block extra_head %}`. Each renders the
inline SVG of templates/advisories/_map.html, which static/js/map.js replaces with a Leaflet map
of the same data (incidents/views/maps.py). Named apart from advisories' `maps` library, as two
template tag libraries may not share a name.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from advisories import maps as advisory_maps
from advisories.models import Country, Region
from advisories.templatetags.maps import map_context

from ..maps import incident_points, map_incidents

register = template.Library()


@register.inclusion_tag("advisories/_map.html", takes_context=True)
def country_map(context: template.Context, country: Country) -> dict[str, Any]:
    """The country's regions by level with its published incidents; nothing for a country that
    has no outline at all."""
    place_map = advisory_maps.country_map(country)
    if place_map is None:
        return {}
    points = incident_points(place_map, map_incidents(country=country))
    return map_context(
        place_map,
        label=_("Map of %(country)s: advisory level of each region, and published incidents")
        % {"country": country.name},
        caption=_(
            "Each region in the colour of its advisory level; dots are published incidents, those known only "
            "by their region drawn inside it. Select a region or an incident to read more."
        ),
        data_url=reverse("incidents:country-map-data", kwargs={"country_code": country.code.lower()}),
        points=points,
    )


@register.inclusion_tag("advisories/_map.html", takes_context=True)
def region_map(context: template.Context, region: Region) -> dict[str, Any]:
    """The region in its level's colour among its neighbours, with its published incidents;
    nothing for a region that has no outline."""
    place_map = advisory_maps.region_map(region)
    if place_map is None:
        return {}
    points = incident_points(place_map, map_incidents(country=region.country, region=region))
    return map_context(
        place_map,
        label=_("Map of %(region)s: its advisory level, and published incidents") % {"region": region.name},
        caption=_(
            "The region in the colour of its advisory level, its neighbours in grey; dots are published "
            "incidents, those known only by the region drawn inside it."
        ),
        data_url=reverse(
            "incidents:region-map-data",
            kwargs={"country_code": region.country.code.lower(), "region_code": region.code.lower()},
        ),
        points=points,
    )
