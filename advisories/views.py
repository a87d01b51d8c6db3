"""Public advisory pages: server-rendered HTML that works without JavaScript.

Addresses use lower-case codes (/countries/ml/, /countries/ml/regions/ml-bko/). An address
with upper-case letters in a code redirects permanently (301) to its lower-case form, so
there is one address per page for links, caches and search engines. An unknown code, or a
region under another country's address, is a 404.
"""

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import selectors
from .models import Country, Region
from .page_cache import cached_country_page, kept_parts


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


# The parts of the pages that are the same for every visitor (`{% kept %}` in their templates).
PAGE_PARTS = ("title", "head", "breadcrumbs", "top", "rest")


@cached_country_page
def country_detail(request: HttpRequest, country_code: str) -> HttpResponse:
    if country_code != country_code.lower():
        return redirect("advisories:country", country_code=country_code.lower(), permanent=True)
    parts = kept_parts(country_code, PAGE_PARTS)

    def find() -> Country:
        country = selectors.country_by_code(country_code)
        if country is None:
            raise Http404(_("There is no country with the code %(code)s.") % {"code": country_code.upper()})
        return country

    # With every part kept, only a member's own figures need the country (kept parts exist only
    # for a country that does: a page is kept once rendered).
    country = cast(Country, SimpleLazyObject(find)) if parts.complete else find()
    context = {"country": country, "page": SimpleLazyObject(lambda: selectors.country_page_of(country)), "parts": parts}
    response = render(request, "advisories/country_detail.html", context)
    parts.keep_rendered()
    return response


@cached_country_page
def region_detail(request: HttpRequest, country_code: str, region_code: str) -> HttpResponse:
    if country_code != country_code.lower() or region_code != region_code.lower():
        return redirect(
            "advisories:region", country_code=country_code.lower(), region_code=region_code.lower(), permanent=True
        )
    parts = kept_parts(country_code, PAGE_PARTS, region=region_code)

    def find() -> Region:
        region = selectors.region_by_codes(country_code, region_code)
        if region is None:
            raise Http404(
                _("There is no region %(region)s in the country %(country)s.")
                % {"region": region_code.upper(), "country": country_code.upper()}
            )
        return region

    region = cast(Region, SimpleLazyObject(find)) if parts.complete else find()
    context = {
        "region": region,
        "country": SimpleLazyObject(lambda: region.country),
        "page": SimpleLazyObject(lambda: selectors.region_page_of(region)),
        "parts": parts,
    }
    response = render(request, "advisories/region_detail.html", context)
    parts.keep_rendered()
    return response
