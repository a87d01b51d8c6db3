from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.subscription_list, name="list"),
    path("alerts/new/", views.subscription_create, name="create"),
    path("alerts/<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("alerts/<int:pk>/end/", views.subscription_end, name="end"),
    path("alerts/deliveries/", views.deliveries, name="deliveries"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
