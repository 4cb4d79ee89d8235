"""The Dashboards page and viewer mode in AppTest: an analyst saves, a viewer opens the share link
read-only (banner, no Data page, no upload, locked filters), the owner manages versions and links, bad
links get a plain message. Uses a SQLite store in a temporary folder (CJM_DATA_DIR)."""

from __future__ import annotations

import re

import pytest

from cjm.store import Store
from tests.apptest import open_app

PAGE = "app_pages/dashboards.py"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    from cjm.ui import share

    monkeypatch.delenv("CJM_DATABASE_URL", raising=False)
    monkeypatch.setenv("CJM_DATA_DIR", str(tmp_path))
    share.store.clear()  # one store per server process: this test's folder
    yield tmp_path
    share.store.clear()


def button(at, label):
    return next(b for b in at.button if b.label == label)


def keyed(widgets, suffix):
    """The dashboard-list widget whose key ends with `suffix` (keys are cjm.dash.<dashboard id>.<name>)."""
    return next(w for w in widgets if w.key and w.key.endswith(suffix))


def save(at, title="Board view", name="Ann", lock=False):
    at.text_input(key="cjm.dash.title").input(title)
    at.text_input(key="cjm.dash.owner_name").input(name)
    if lock:
        at.checkbox(key="cjm.dash.lock").check()
    button(at, "Save dashboard").click().run()
    assert not at.exception, at.exception
    codes = [c.value for c in at.code]
    share = next(c for c in codes if "?d=" in c)
    owner = next(c for c in codes if "owner=" in c)
    return share.split("?d=")[1], owner.split("owner=")[1]


def query(at, key) -> list:
    value = at.query_params[key]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def markdown(at) -> str:
    return " ".join(str(m.value) for m in (*at.markdown, *at.info, *at.caption, *at.success, *at.error))


def test_an_analyst_saves_and_gets_a_share_link_and_an_owner_link(data_dir):
    at = open_app(PAGE)
    assert not at.exception
    token, owner = save(at)
    assert len(token) >= 22 and token != owner
    assert "Saved “Board view” (version 1)." in markdown(at)
    info = Store(f"sqlite:///{data_dir / 'cjm.db'}").dashboards([owner])
    assert [d.title for d in info] == ["Board view"] and info[0].owner_name == "Ann"
    assert any("Board view · version 1" in e.label for e in at.expander)


def test_a_viewer_sees_the_saved_dashboard_read_only_on_every_page(data_dir):
    analyst = open_app(PAGE)
    token, _ = save(analyst, lock=True)

    viewer = open_app(query={"d": token})
    assert not viewer.exception
    text = markdown(viewer)
    assert "Board view" in text and "shared by Ann" in text and "Read-only" in text
    assert re.search(r"Data from \d\d \w{3} 20\d\d to \d\d \w{3} 20\d\d", text)
    assert "Filters are locked" in text
    assert viewer.date_input(key="cjm.filter.dates").disabled
    for page in ("app_pages/funnel.py", "app_pages/journeys.py", "app_pages/abandonment.py", "app_pages/overview.py"):
        viewer.switch_page(page).run()
        assert not viewer.exception, (page, viewer.exception)
        assert "shared by Ann" in markdown(viewer)
        assert not viewer.get("file_uploader") and not viewer.get("data_editor")
    assert not any(b.label == "Save dashboard" for b in viewer.button)
    viewer.switch_page("app_pages/journey_map.py").run()
    assert not viewer.exception and not viewer.get("data_editor")
    assert not any("Edit any cell" in c.value for c in viewer.caption)  # viewers are not invited to edit


def test_the_viewer_sees_the_same_funnel_as_the_analyst_saved(data_dir):
    analyst = open_app("app_pages/funnel.py")
    analyst.radio(key="cjm.funnel.kind").set_value("event").run()
    analyst.number_input(key="cjm.funnel.window_value").set_value(3).run()
    numbers = [m.value for m in analyst.metric]
    caption = next(c.value for c in analyst.caption if "window" in c.value)
    analyst.switch_page(PAGE).run()
    token, _ = save(analyst)

    viewer = open_app(query={"d": token})
    viewer.switch_page("app_pages/funnel.py").run()
    assert not viewer.exception
    assert next(c.value for c in viewer.caption if "window" in c.value) == caption
    assert [m.value for m in viewer.metric] == numbers
    assert viewer.radio(key="cjm.funnel.kind").value == "event"


@pytest.mark.parametrize("token", ["nonsense", "A" * 32])
def test_a_wrong_link_gets_a_plain_message_and_no_dashboard(token):
    at = open_app(query={"d": token})
    assert not at.exception
    assert "This link does not open a dashboard" in markdown(at)
    assert not at.metric and not at.get("vega_lite_chart")


def test_a_revoked_link_says_so_and_the_owner_can_make_a_new_one(data_dir):
    at = open_app(PAGE)
    token, owner = save(at)
    expander = next(e for e in at.expander if "Board view" in e.label)
    assert expander
    keyed(at.button, ".revoke").click().run()
    assert not at.exception
    viewer = open_app(query={"d": token})
    assert "revoked" in markdown(viewer) and not viewer.metric
    button(at, "New share link").click().run()
    fresh = next(c.value for c in at.code if "?d=" in c.value).split("?d=")[1]
    assert fresh != token and "shared by Ann" in markdown(open_app(query={"d": fresh}))


def test_the_owner_link_lists_the_dashboards_and_versions_can_be_restored(data_dir):
    at = open_app(PAGE)
    token, owner = save(at, title="First")
    # a fresh session (another browser, after a restart) opens the owner link
    owner_session = open_app(PAGE, query={"owner": owner})
    assert not owner_session.exception
    assert "owner" not in owner_session.query_params  # the token leaves the address bar
    assert any("First · version 1" in e.label for e in owner_session.expander)
    keyed(owner_session.button, ".open").click().run()
    assert not owner_session.exception
    owner_session.text_input(key="cjm.dash.title").input("Second")
    button(owner_session, "Save dashboard").click().run()
    assert "Saved version 2 of “Second”" in markdown(owner_session)
    assert any("Second · version 2" in e.label for e in owner_session.expander)
    keyed(owner_session.selectbox, ".version").set_value(1).run()
    button(owner_session, "Restore as latest").click().run()
    assert any("Second · version 3" in e.label for e in owner_session.expander)
    viewer = open_app(query={"d": token})
    assert "Second" in markdown(viewer) and "(version 3)" in markdown(viewer)


def test_deleting_a_dashboard_makes_its_link_say_it_was_deleted(data_dir):
    at = open_app(PAGE)
    token, _ = save(at)
    keyed(at.checkbox, ".sure").check().run()
    button(at, "Delete").click().run()
    assert not at.exception and not any("Board view" in e.label for e in at.expander)
    viewer = open_app(query={"d": token})
    assert "deleted" in markdown(viewer) and not viewer.metric


def test_a_viewers_filter_changes_stay_in_their_session_and_url_and_never_change_the_saved_dashboard(data_dir):
    analyst = open_app(PAGE)
    token, _ = save(analyst)
    viewer = open_app(query={"d": token})
    assert not viewer.multiselect(key="cjm.filter.channels").disabled
    viewer.multiselect(key="cjm.filter.channels").set_value(["email"]).run()
    assert not viewer.exception
    assert query(viewer, "channels") == ["email"] and query(viewer, "d") == [token]
    assert viewer.session_state["cjm.spec"].filters.channels == ("email",)
    saved = Store(f"sqlite:///{data_dir / 'cjm.db'}").open_shared(token)
    assert saved.version == 1 and saved.spec["filters"]["channels"] == []
    # the viewer's address (link plus their filters) reopens their view; a plain link opens the saved one
    again = open_app(query={"d": token, "channels": "email"})
    assert again.session_state["cjm.spec"].filters.channels == ("email",)
    assert open_app(query={"d": token}).session_state["cjm.spec"].filters.channels == ()


def test_locked_filters_ignore_filters_in_the_viewers_address(data_dir):
    analyst = open_app(PAGE)
    token, _ = save(analyst, lock=True)
    viewer = open_app(query={"d": token, "channels": "email"})
    assert viewer.session_state["cjm.spec"].filters.channels == ()
    assert viewer.multiselect(key="cjm.filter.channels").disabled


def test_what_a_page_shows_beyond_its_settings_is_saved_and_reopened(data_dir):
    analyst = open_app("app_pages/abandonment.py")
    step = analyst.selectbox(key="cjm.abandonment.step")
    default = step.index
    step.select_index(0 if default else 1).run()
    picked = analyst.selectbox(key="cjm.abandonment.step").value
    assert analyst.selectbox(key="cjm.abandonment.step").index != default
    analyst.switch_page(PAGE).run()
    token, _ = save(analyst)
    viewer = open_app("app_pages/abandonment.py", query={"d": token})
    assert not viewer.exception
    assert viewer.selectbox(key="cjm.abandonment.step").value == picked


def test_revoking_a_link_stops_a_viewer_session_that_already_has_it_open(data_dir):
    analyst = open_app(PAGE)
    token, owner = save(analyst)
    viewer = open_app(query={"d": token})
    assert "shared by Ann" in markdown(viewer) and viewer.metric
    keyed(analyst.button, ".revoke").click().run()
    viewer.switch_page("app_pages/funnel.py").run()
    assert not viewer.exception
    assert "revoked" in markdown(viewer) and not viewer.metric and not viewer.get("vega_lite_chart")


def test_the_app_saves_to_postgresql_when_cjm_database_url_says_so(postgres_url, monkeypatch):
    from cjm.ui import share

    monkeypatch.setenv("CJM_DATABASE_URL", postgres_url)
    share.store.clear()
    analyst = open_app(PAGE)
    token, owner = save(analyst, title="On PostgreSQL")
    assert [d.title for d in Store(postgres_url).dashboards([owner])] == ["On PostgreSQL"]
    viewer = open_app(query={"d": token})
    assert "On PostgreSQL" in markdown(viewer) and viewer.metric
