"""API authentication (DRF's DEFAULT_AUTHENTICATION_CLASSES; see __init__.py for what it may import)."""

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the token a user creates on their account page."""

    keyword = "Bearer"
