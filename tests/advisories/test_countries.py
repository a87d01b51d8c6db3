import pycountry
import pytest

from advisories.models import Country, Region
from advisories.services import countries_sync

pytestmark = pytest.mark.django_db


def test_every_iso_country_exists_after_migrating():
    assert Country.objects.count() == len(pycountry.countries)


def test_mali_has_its_eleven_first_level_regions():
    codes = set(Region.objects.filter(country__code="ML").values_list("code", flat=True))
    assert codes == {"ML-BKO", *(f"ML-{n}" for n in range(1, 11))}


def test_syncing_again_changes_nothing():
    before = Region.objects.count()
    result = countries_sync()
    assert (result.countries_created, result.regions_created, result.regions_renamed) == (0, 0, 0)
    assert Region.objects.count() == before


def test_syncing_restores_a_deleted_region_and_a_changed_name():
    Region.objects.filter(code="ML-9").delete()
    Region.objects.filter(code="ML-10").update(name="Taoudeni")
    result = countries_sync()
    assert (result.regions_created, result.regions_renamed) == (1, 1)
    assert Region.objects.get(code="ML-10").name == "Taoudénit"
