"""The migration to hashed API tokens keeps the clear keys of DRF's old table working, hashed,
and then drops that table: no clear key stays in the database."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from incidents.api_tokens import ApiToken
from tests.factories import MembershipFactory

migration = importlib.import_module("incidents.migrations.0009_api_tokens")

pytestmark = pytest.mark.django_db(transaction=True)

OLD_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"


def test_old_clear_keys_are_moved_hashed_and_keep_working():
    user = MembershipFactory.create().user
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token "
            "(key varchar(40) PRIMARY KEY, created timestamp with time zone, user_id integer)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, CURRENT_TIMESTAMP, %s)", [OLD_KEY, user.pk])

    with connection.schema_editor() as editor:
        migration.move_clear_keys(apps, editor)

    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(OLD_KEY.encode()).hexdigest()
    assert token.hint == "9944…ee4b"
    assert "authtoken_token" not in connection.introspection.table_names()
    response = APIClient().get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Bearer {OLD_KEY}")
    assert response.status_code == 200


def test_a_database_that_never_had_the_old_table_is_left_alone():
    with connection.schema_editor() as editor:
        migration.move_clear_keys(apps, editor)

    assert not ApiToken.objects.exists()
