"""The data of the country and region maps for Leaflet (static/js/map.js), as JSON: the same
places and points as the maps' inline SVG (incidents/templatetags/incident_maps.py).

The points are the published TLP:CLEAR incidents, the same for everyone (incidents/maps.py),
so the answer may be kept by caches for a few minutes. An unchanged answer to a request with
its ETag is a 304.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_GET

from advisories import maps as advisory_maps
from advisories.map_views import COMPACT, MAP_DATA_MAX_AGE, map_data
from advisories.models import Country, Region

from ..maps import incident_features, map_incidents


@require_GET
@conditional_page
@cache_control(max_age=MAP_DATA_MAX_AGE)
def country_map_data(request: HttpRequest, country_code: str) -> HttpResponse:
    if country_code != country_code.lower():
        return redirect("incidents:country-map-data", country_code=country_code.lower(), permanent=True)
    country = Country.objects.filter(code=country_code.upper()).first()
    place_map = advisory_maps.country_map(country) if country is not None else None
    if country is None or place_map is None:
        raise Http404(_("There is no map of the country %(code)s.") % {"code": country_code.upper()})
    incidents = map_incidents(country=country)
    return JsonResponse(
        map_data(advisory_maps.areas_geojson(place_map), incident_features(place_map, incidents)),
        json_dumps_params=COMPACT,
    )


@require_GET
@conditional_page
@cache_control(max_age=MAP_DATA_MAX_AGE)
def region_map_data(request: HttpRequest, country_code: str, region_code: str) -> HttpResponse:
    if country_code != country_code.lower() or region_code != region_code.lower():
        return redirect(
            "incidents:region-map-data",
            country_code=country_code.lower(),
            region_code=region_code.lower(),
            permanent=True,
        )
    region = (
        Region.objects.filter(code=region_code.upper(), country__code=country_code.upper())
        .select_related("country")
        .first()
    )
    place_map = advisory_maps.region_map(region) if region is not None else None
    if region is None or place_map is None:
        raise Http404(
            _("There is no map of the region %(region)s in the country %(country)s.")
            % {"region": region_code.upper(), "country": country_code.upper()}
        )
    incidents = map_incidents(country=region.country, region=region)
    return JsonResponse(
        map_data(advisory_maps.areas_geojson(place_map), incident_features(place_map, incidents)),
        json_dumps_params=COMPACT,
    )
