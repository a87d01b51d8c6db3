from django.urls import path

from . import feeds, map_views, views

app_name = "advisories"

urlpatterns = [
    path("", views.home, name="home"),
    path("map.json", map_views.world_map_data, name="world-map-data"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:country_code>/", views.country_detail, name="country"),
    path("countries/<str:country_code>/regions/<str:region_code>/", views.region_detail, name="region"),
    path("feed.atom", feeds.advisory_feed, name="feed"),
    path("countries/<str:country_code>/feed.atom", feeds.country_advisory_feed, name="country-feed"),
]
