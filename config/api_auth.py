"""API authentication, apart from config/api.py: DRF imports it while it loads its own views."""

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the token a user creates on their account page."""

    keyword = "Bearer"
