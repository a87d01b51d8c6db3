"""`get_FOO_display()` reads a table of labels made once per field (config/choices.py): the label is
still given in the language active when it is asked for, and a value without a label is given as
it is, as Django's own method does."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from advisories.models import Advisory, AdvisoryLevel, ThreatLevel, ThreatRating
from config.choices import ChoiceLabels


def test_a_label_is_given_in_the_language_active_when_it_is_asked_for():
    advisory = Advisory(level=AdvisoryLevel.DO_NOT_TRAVEL)
    rating = ThreatRating(level=ThreatLevel.CRITICAL)

    assert advisory.get_level_display() == "Do Not Travel"
    with translation.override("fr"):
        assert advisory.get_level_display() == "Ne pas voyager"
        assert rating.get_level_display() == "CRITIQUE"
    assert rating.get_level_display() == "CRITICAL"


def test_a_value_without_a_label_is_given_as_it_is():
    assert Advisory(level=9).get_level_display() == 9


@pytest.mark.parametrize(
    "model",
    [
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in {"advisories", "incidents", "alerts"}
        and any(field.choices for field in model._meta.fields)
    ],
    ids=lambda model: model.__name__,
)
def test_every_model_with_choices_reads_its_labels_from_the_table(model):
    assert issubclass(model, ChoiceLabels)
