"""Public advisory pages: server-rendered HTML that works without JavaScript.

Addresses use lower-case codes (/countries/ml/, /countries/ml/regions/ml-bko/). An address
with upper-case letters in a code redirects permanently (301) to its lower-case form, so
there is one address per page for links, caches and search engines. An unknown code, or a
region under another country's address, is a 404.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import selectors
from .page_cache import cached_country_page, page_parts


def home(request: HttpRequest) -> HttpResponse:
    countries = selectors.country_list_with_levels()
    # A search is a plain GET form, so it works without JavaScript; with it, the list filters as you type.
    query = request.GET.get("q", "")[:60].strip()
    return render(
        request,
        "advisories/home.html",
        {
            "groups": selectors.group_by_initial(countries),
            "published": selectors.highest_levels_first(countries),
            "country_count": len(countries),
            "query": query,
            "matches": selectors.matching_countries(countries, query),
            "changes": selectors.latest_changes(),
            "levels": selectors.level_meanings(),
        },
    )


def country_list(request: HttpRequest) -> HttpResponse:
    """The list of countries is the home page; /countries/ leads there."""
    return redirect("advisories:home")


@cached_country_page
def country_detail(request: HttpRequest, country_code: str) -> HttpResponse:
    if country_code != country_code.lower():
        return redirect("advisories:country", country_code=country_code.lower(), permanent=True)
    country = selectors.country_by_code(country_code)
    if country is None:
        raise Http404(_("There is no country with the code %(code)s.") % {"code": country_code.upper()})
    context = {"country": country, "page": SimpleLazyObject(lambda: selectors.country_page_of(country))}
    return render(request, "advisories/country_detail.html", context | page_parts(country.code))


@cached_country_page
def region_detail(request: HttpRequest, country_code: str, region_code: str) -> HttpResponse:
    if country_code != country_code.lower() or region_code != region_code.lower():
        return redirect(
            "advisories:region", country_code=country_code.lower(), region_code=region_code.lower(), permanent=True
        )
    region = selectors.region_by_codes(country_code, region_code)
    if region is None:
        raise Http404(
            _("There is no region %(region)s in the country %(country)s.")
            % {"region": region_code.upper(), "country": country_code.upper()}
        )
    context = {
        "region": region,
        "country": region.country,
        "page": SimpleLazyObject(lambda: selectors.region_page_of(region)),
    }
    return render(request, "advisories/region_detail.html", context | page_parts(region.country.code))
