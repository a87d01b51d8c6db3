from django.urls import path

from . import feeds
from .views import account, editing, lists, maps, review, risk

app_name = "incidents"

urlpatterns = [
    path("accounts/api-token/", account.api_token, name="api-token"),
    path("incidents/", lists.incident_list, name="list"),
    path("incidents/export.csv", lists.incident_export, name="export"),
    path("incidents/mine/", lists.organisation_incidents, name="organisation"),
    path("incidents/new/", editing.incident_create, name="create"),
    path("incidents/review/", review.review_queue, name="review"),
    path(
        "incidents/review/risk/<int:pk>/reviewed/",
        review.risk_review_mark_reviewed,
        name="risk-review-reviewed",
    ),
    path("incidents/<int:pk>/", editing.incident_detail, name="detail"),
    path("incidents/<int:pk>/edit/", editing.incident_edit, name="edit"),
    path("incidents/<int:pk>/verify/", review.incident_verify, name="verify"),
    path("incidents/<int:pk>/publish/", review.incident_publish, name="publish"),
    path("incidents/<int:pk>/retract/", review.incident_retract, name="retract"),
    path("countries/<str:country_code>/incidents/", lists.country_incidents, name="country"),
    path(
        "countries/<str:country_code>/regions/<str:region_code>/incidents/",
        lists.region_incidents,
        name="region",
    ),
    path("countries/<str:country_code>/map.json", maps.country_map_data, name="country-map-data"),
    path(
        "countries/<str:country_code>/regions/<str:region_code>/map.json",
        maps.region_map_data,
        name="region-map-data",
    ),
    path("risk/how/", risk.risk_how, name="risk-how"),
    path("cap/feed.atom", feeds.alert_feed, name="cap-feed"),
    path("countries/<str:country_code>/cap.atom", feeds.country_alert_feed, name="country-cap-feed"),
    path("cap/advisories/<int:pk>.xml", feeds.advisory_cap, name="cap-advisory"),
    path("cap/incidents/<int:pk>.xml", feeds.incident_cap, name="cap-incident"),
]
