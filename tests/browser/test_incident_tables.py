"""The incident tables fit the screen: on a phone each incident is a card whose values name
themselves, on a desktop every column, the sharing level and review status included, is in view."""

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
SIZES: list[ViewportSize] = [
    {"width": 390, "height": 844},
    {"width": 1280, "height": 800},
    {"width": 1920, "height": 1080},
]

# Every element of the table whose box reaches past the viewport or past the table's own
# scrolling box, with how far: none is the answer wanted.
OVERFLOWING = """() => {
  const wrapper = document.querySelector('.table-scroll');
  const limit = Math.min(document.documentElement.clientWidth, wrapper.getBoundingClientRect().right);
  const found = [];
  for (const element of document.querySelectorAll('table.incidents, table.incidents *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > limit + 0.5 || box.left < -0.5) {
      found.push(`${element.tagName}.${element.className}: ${box.left}..${box.right} > ${limit}`);
    }
  }
  if (wrapper.scrollWidth > wrapper.clientWidth) found.push(`scrolls: ${wrapper.scrollWidth} > ${wrapper.clientWidth}`);
  return found;
}"""


@pytest.fixture
def officer(db):
    """An officer whose organisation has logged incidents with long titles, actors, places, unknown
    counts and every sharing level, the widest of them TLP:AMBER+STRICT."""
    from incidents.models import Role
    from tests.factories import ActorFactory, IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

    organisation = OrganisationFactory.create(name="Sahel Relief")
    user = UserFactory.create(username="awa", password=PASSWORD)
    MembershipFactory.create(user=user, organisation=organisation, role=Role.OFFICER)
    actor = ActorFactory.create(name="Unidentified armed men on motorbikes")
    for n, (level, status) in enumerate(
        [("amber_strict", "submitted"), ("red", "submitted"), ("green", "published"), ("clear", "verified")]
    ):
        incident = IncidentFactory.create(
            organisation=organisation,
            reporter=user,
            sharing_level=level,
            status=status,
            title=f"Staff vehicle stopped and robbed at a false checkpoint on the Sévaré-Bandiagara road ({n})",
            place_name="Sévaré, near the Mopti river port",
            occurred_on=dt.date(2024, 11, 12 + n),
            date_precision=["day", "week", "month", "year"][n],
            killed=None if n % 2 else 0,
            injured=12,
            abducted=None,
        )
        incident.actors.add(actor)
    return user


def sign_in(page: Page, url: str) -> None:
    page.goto(url + "/accounts/login/?next=/incidents/mine/")
    page.get_by_label("Username").fill("awa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My organisation's incidents")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size['width']}x{size['height']}")
def test_my_organisations_incidents_fit_the_screen(officer, live_server, browser: Browser, screenshots, size):
    context = browser.new_context(viewport=size, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url)

    table = page.locator("table.incidents")
    expect(table.locator("tbody tr")).to_have_count(4)
    assert page.evaluate(OVERFLOWING) == []
    # The sharing level and the review status are within the screen's width, not scrolled away.
    box = table.get_by_text("TLP:AMBER+STRICT").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    expect(table.get_by_text("Submitted").first).to_be_visible()
    page.screenshot(path=screenshots / f"incidents-mine-{size['width']}.png", full_page=True)
    context.close()


def test_on_a_phone_each_value_is_labelled(officer, live_server, browser: Browser):
    context = browser.new_context(viewport=SIZES[0], locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url)

    cell = page.locator("table.incidents tbody tr").first.locator("td[data-label='Sharing and review']")
    label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Sharing and review: "'
    assert page.locator("table.incidents thead").evaluate("head => head.getBoundingClientRect().height") <= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[0]["width"]
    context.close()
