"""Saved and shared dashboards in the app: opening ?d= share links (read-only viewer mode) and ?owner=
links, the banner, the board-pack downloads, and the Dashboards page's widgets (save, list, rename,
versions, restore, links, expiry, revoke, delete).

Tokens: shown to their owner once, kept only in that person's session (owner tokens, to list their
dashboards) and never written to a log or to the database (the store keeps hashes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from cjm.data.clock import DataClock
from cjm.errors import CJMError
from cjm.spec import DashboardSpec, FileRef
from cjm.store import LinkError, Opened, Store, StoreError, take_snapshot
from cjm.ui import data, snapshots, state, widgets

OWNERS_KEY = "cjm.owner_tokens"  # the owner tokens this session holds (list)
OPENED_KEY = "cjm.opened"  # {"id", "version"}: the owned dashboard this session is editing
LINKS_KEY = "cjm.just_saved"  # the links of the last save, shown once
KEY = "cjm.dash."
DASHBOARDS_PAGE = "app_pages/dashboards.py"


@st.cache_resource
def store() -> Store:
    """One store per server process (CJM_DATABASE_URL, else a SQLite file under CJM_DATA_DIR or .cjm/)."""
    return Store()


def owner_tokens() -> list[str]:
    return st.session_state.setdefault(OWNERS_KEY, [])


def _spec_of(opened: Opened) -> DashboardSpec:
    spec, _problems = DashboardSpec.read(opened.spec)  # unusable parts fall back to defaults (the sidebar says)
    digest = snapshots.hold(opened.snapshot)
    files = ", ".join(opened.snapshot.meta.get("files") or []) or "saved data"
    return replace(spec, source=snapshots.SOURCE, files=[FileRef(name=f"{opened.dashboard.title} ({files})",
                                                                  digest=digest, role="snapshot")])


def _date(value, clock: dict | None = None) -> str:
    """A time saved as ISO text as a date: in the time zone of the data's clock (its dates: cjm.data.clock) when given
    and the data has one, else as written."""
    if not value:
        return ""
    stamp = pd.Timestamp(value)
    if clock and stamp.tzinfo is not None:
        stamp = stamp.tz_convert(DataClock.from_dict(clock).tz)
    return f"{stamp:%d %b %Y}"


# --- opening links (app.py calls this before the navigation is built) --------------------------------

def open_links() -> None:
    """Handle ?owner= (remember the owner token, then drop it from the address bar) and ?d= (open the
    shared dashboard read-only). A bad link gets a plain message and nothing else."""
    owner = st.query_params.get("owner")
    if owner:
        del st.query_params["owner"]
        if store().owns(owner):
            if owner not in owner_tokens():
                owner_tokens().append(owner)
        else:
            st.session_state[KEY + "owner_error"] = ("This owner link does not open any dashboard (it is not "
                                                     "valid, or its dashboards were deleted).")
    token = st.query_params.get("d")
    current = state.viewer()
    if current is not None:
        if not token:  # page switches may drop the query string: the link stays in the address bar
            st.query_params["d"] = current["token"]
        if not token or token == current["token"]:
            try:  # revoked, expired or deleted since this session opened it: stop showing it now
                store().check_shared(current["token"])
            except LinkError as exc:
                _refuse(exc)
            return
    if not token:
        return
    try:
        opened = store().open_shared(token)
        spec = _spec_of(opened)
    except CJMError as exc:  # a bad link, or a dashboard saved by a newer cjm
        _refuse(exc)
    if not opened.share.lock_filters and any(k in st.query_params for k in ("start", "end", "channels", "devices",
                                                                          "segments")):
        spec = replace(spec, filters=state.filters_from_url())  # the viewer's own filters, from their URL
    meta = opened.snapshot.meta
    st.session_state[state.VIEWER_KEY] = {
        "token": token, "title": opened.dashboard.title, "description": opened.dashboard.description,
        "owner_name": opened.dashboard.owner_name, "saved_at": opened.saved_at.isoformat(),
        "version": opened.version, "first": meta.get("first"), "last": meta.get("last"), "clock": meta.get("clock"),
        "lock_filters": opened.share.lock_filters,
        "expires_at": opened.share.expires_at.isoformat() if opened.share.expires_at else None}
    state.restore_views(spec)
    state.replace_spec(spec)


def _refuse(exc: CJMError) -> None:
    """A plain message in place of the dashboard; the session forgets what the link had opened."""
    st.session_state.pop(state.VIEWER_KEY, None)
    st.session_state.pop(state.SPEC_KEY, None)
    st.error(str(exc), icon=":material/link_off:")
    st.markdown(f"[Open cjm on its demo data instead]({_base_url() or '/'})")
    st.stop()


def pages_for_session(pages: dict) -> dict:
    """Viewers of a shared dashboard get every analysis page, but not Data (upload, mapping) nor Dashboards."""
    if not state.read_only():
        return pages
    kept = {group: [p for p in items if p.url_path not in ("data", "dashboards")] for group, items in pages.items()}
    return {group: items for group, items in kept.items() if items}


def banner() -> None:
    """Who shared this dashboard, when, and the data's date range (viewers only)."""
    viewer = state.viewer()
    if viewer is None:
        return
    who = viewer["owner_name"] or "its owner"
    lock = " Filters are locked by the sender." if viewer["lock_filters"] else (
        " Your filter changes stay in your session and address bar.")
    st.info(f"**{viewer['title']}**, shared by {who} on {_date(viewer['saved_at'])} (version {viewer['version']}). "
            f"Data from {_date(viewer['first'], viewer.get('clock'))} to {_date(viewer['last'], viewer.get('clock'))}"
            f" ({DataClock.from_dict(viewer.get('clock') or {}).label} dates). Read-only: nothing you do here changes "
            f"the saved dashboard.{lock}", icon=":material/visibility:")


# --- board pack ----------------------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def _pack(dataset_key: str, spec_json: str, title: str, description: str, shared_by: str, saved_at: str,
          fmt: str, _dataset=None) -> bytes:
    """The board pack's bytes, cached by the dataset's key and the spec (the dataset itself is not hashed)."""
    from cjm.report import pack

    dataset = _dataset
    spec = DashboardSpec.from_json(spec_json)
    content = pack.build_pack(dataset, spec, title=title, description=description, shared_by=shared_by,
                              saved_at=dt.datetime.fromisoformat(saved_at) if saved_at else None)
    return pack.to_pdf(content) if fmt == "pdf" else pack.to_html(content).encode("utf-8")


def board_pack_downloads(container=None, *, key: str = "page") -> None:
    """Two downloads: the whole dashboard as one HTML file and as a PDF (built when clicked)."""
    where = container or st
    try:
        dataset = data.current_dataset()
    except CJMError:
        return
    spec = state.spec()
    viewer = state.viewer() or {}
    args = (dataset.key, spec.to_json(), viewer.get("title") or spec.title, viewer.get("description") or "",
            viewer.get("owner_name") or "", viewer.get("saved_at") or "")
    name = widgets.slug(args[2])
    row = where.container(horizontal=True)
    row.download_button("Board pack (HTML)", data=lambda: _pack(*args, "html", _dataset=dataset),
                        file_name=f"{name}.html",
                        mime="text/html", on_click="ignore", icon=":material/description:", key=f"{KEY}pack_html.{key}")
    row.download_button("Board pack (PDF)", data=lambda: _pack(*args, "pdf", _dataset=dataset),
                        file_name=f"{name}.pdf",
                        mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:",
                        key=f"{KEY}pack_pdf.{key}")


# --- links ---------------------------------------------------------------------------------------------

def _base_url() -> str:
    url = getattr(st.context, "url", None)
    if not url:
        return ""
    parts = urlsplit(url)
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"{parts.scheme}://{parts.netloc}/" + (f"{base}/" if base else "")


def share_link(token: str) -> str:
    return f"{_base_url()}?d={token}"


def owner_link(token: str) -> str:
    return f"{_base_url()}dashboards?owner={token}"


def _show_links() -> None:
    links = st.session_state.get(LINKS_KEY)
    if not links:
        return
    with st.container(border=True):
        st.success(links["message"], icon=":material/check_circle:")
        if links.get("share"):
            st.markdown("**Read-only share link** (anyone with it sees this version and later ones, read-only):")
            st.code(links["share"], language=None)
        if links.get("owner"):
            st.markdown("**Your owner link** (keep it private: it lists, edits and deletes your dashboards):")
            st.code(links["owner"], language=None)
        if links.get("share") or links.get("owner"):
            st.caption("These links are shown once; cjm stores only their fingerprints (hashes).")
        if st.button("Done", key=KEY + "links_done"):
            st.session_state.pop(LINKS_KEY, None)
            st.rerun()


# --- the Dashboards page -------------------------------------------------------------------------------

def _expiry(label: str, key: str, value=None):
    day = st.date_input(label, value=value, min_value=dt.date.today(), key=key, format="YYYY-MM-DD",
                        help="The link stops working at the end of this day (UTC). Leave empty: no expiry.")
    if not day:
        return None
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)


def save_section() -> None:
    """Save what the app shows now (data snapshot, mappings, every page's settings, maps)."""
    _show_links()
    spec = state.spec()
    opened = st.session_state.get(OPENED_KEY)
    with st.form(KEY + "save", border=True):
        st.markdown("**Save this dashboard**: the data as loaded now, its mappings, every page's settings and "
                    "filters, and the maps.")
        left, right = st.columns(2)
        title = left.text_input("Title", value=(opened or {}).get("title") or spec.title, key=KEY + "title",
                                max_chars=200)
        name = right.text_input("Your name (shown to viewers)", key=KEY + "owner_name", max_chars=200)
        description = st.text_area("Description (optional)", key=KEY + "description", height=68)
        left, right = st.columns(2)
        with left:
            expires = _expiry("Share link expires (optional)", KEY + "expires")
        lock = right.checkbox("Lock the filters for viewers", key=KEY + "lock")
        as_version = opened is not None and st.checkbox(
            f"Save as a new version of “{opened['title']}” (its links then show this version)", value=True,
            key=KEY + "as_version")
        submitted = st.form_submit_button("Save dashboard", type="primary", icon=":material/save:")
    if submitted:
        _save(title=title, name=name, description=description, expires=expires, lock=lock,
              version_of=opened if as_version else None)


def _snapshot_and_spec():
    dataset = data.base_dataset()
    spec = state.spec()
    return take_snapshot(dataset), spec.to_dict()


def _save(*, title, name, description, expires, lock, version_of) -> None:
    try:
        with st.spinner("Saving the dashboard and its data…"):
            snapshot, spec = _snapshot_and_spec()
            spec["title"] = title
            if version_of is not None:
                token = _token_for(version_of["id"])
                saved = store().save_version(version_of["id"], token, snapshot=snapshot, spec=spec,
                                             note=description or "")
                if title.strip() and title.strip() != version_of["title"]:
                    store().rename(version_of["id"], token, title=title)
                message = f"Saved version {saved.version} of “{title}”. Its share links now show this version."
                links = {"message": message}
            else:
                holder = owner_tokens()[0] if owner_tokens() else None
                saved = store().create(title=title, description=description, owner_name=name, snapshot=snapshot,
                                       spec=spec, owner_token=holder, expires_at=expires, lock_filters=lock)
                if saved.owner_token:
                    owner_tokens().append(saved.owner_token)
                links = {"message": f"Saved “{title}” (version 1).", "share": share_link(saved.share_token),
                         "owner": owner_link(saved.owner_token or holder)}
    except CJMError as exc:
        widgets.show_error(exc)
        return
    st.session_state[OPENED_KEY] = {"id": saved.dashboard_id, "version": saved.version, "title": title}
    st.session_state[LINKS_KEY] = links
    st.session_state.pop(f"{KEY}{saved.dashboard_id}.version", None)  # the version picker shows the new latest
    st.rerun()


def _token_for(dashboard_id: int) -> str:
    """The session's owner token that owns this dashboard."""
    for token in owner_tokens():
        if any(d.id == dashboard_id for d in store().dashboards([token])):
            return token
    raise StoreError("This session does not hold the owner link of that dashboard. Open your owner link first.")


def owner_access() -> None:
    """Paste an owner link (or token) to list the dashboards it owns."""
    error = st.session_state.pop(KEY + "owner_error", None)
    if error:
        st.warning(error, icon=":material/link_off:")
    with st.expander("Open your dashboards with an owner link", expanded=not owner_tokens()):
        pasted = st.text_input("Owner link", key=KEY + "owner_paste", type="password",
                               placeholder="…/dashboards?owner=…")
        if st.button("Open", key=KEY + "owner_open") and pasted:
            token = pasted.split("owner=")[-1].split("&")[0].strip()
            if store().owns(token):
                if token not in owner_tokens():
                    owner_tokens().append(token)
                st.session_state.pop(KEY + "owner_paste", None)
                st.rerun()
            else:
                st.warning("This owner link does not open any dashboard (it is not valid, or its dashboards were "
                           "deleted).", icon=":material/link_off:")


def owned_list() -> None:
    dashboards = store().dashboards(owner_tokens())
    if not dashboards:
        st.info("You have no saved dashboards in this session yet. Save one above, or open your owner link.",
                icon=":material/info:")
        return
    st.subheader(f"Your dashboards ({len(dashboards)})")
    for info in dashboards:
        _dashboard(info)


def _status(share, now) -> str:
    if share.revoked_at:
        return f"revoked {share.revoked_at:%d %b %Y}"
    if share.expires_at and share.expires_at <= now:
        return f"expired {share.expires_at:%d %b %Y}"
    return f"active until {share.expires_at:%d %b %Y}" if share.expires_at else "active, no expiry"


def _dashboard(info) -> None:
    key = f"{KEY}{info.id}."
    token = _token_for(info.id)
    opened = st.session_state.get(OPENED_KEY) or {}
    mark = " · open now" if opened.get("id") == info.id else ""
    with st.expander(f"{info.title} · version {info.latest} · changed {info.updated_at:%d %b %Y, %H:%M}{mark}"):
        if info.description:
            st.text(info.description)
        st.caption(f"Owner: {info.owner_name or '(no name)'} · created {info.created_at:%d %b %Y}")
        versions = pd.DataFrame([{"version": v.number, "saved (UTC)": f"{v.created_at:%Y-%m-%d %H:%M}",
                                  "note": v.note, "data": v.snapshot_hash[:10]} for v in info.versions])
        st.dataframe(versions, hide_index=True, width="stretch", placeholder="–")
        left, middle, right = st.columns([2, 1, 1])
        number = left.selectbox("Version", [v.number for v in reversed(info.versions)], key=key + "version")
        if middle.button("Open", key=key + "open", icon=":material/open_in_browser:",
                         help="Show this version in the app (as its owner: you can change it and save again)"):
            _open_as_owner(info.id, token, number)
        if right.button("Restore as latest", key=key + "restore", disabled=number == info.latest,
                        icon=":material/history:", help="Makes this version the latest again, as a new version"):
            st.session_state.pop(key + "version", None)
            _act(lambda: store().restore(info.id, token, number), f"Version {number} is the latest again.")
        with st.form(key + "rename", border=False):
            left, right = st.columns([1, 2])
            title = left.text_input("Title", value=info.title, key=key + "title", max_chars=200)
            description = right.text_input("Description", value=info.description, key=key + "description")
            if st.form_submit_button("Rename", icon=":material/edit:"):
                _act(lambda: store().rename(info.id, token, title=title, description=description), "Renamed.")
        _shares(info, token, key)
        left, right = st.columns([3, 1])
        sure = left.checkbox("Delete this dashboard, every version and its data; its links stop working",
                             key=key + "sure")
        if right.button("Delete", key=key + "delete", disabled=not sure, type="secondary", icon=":material/delete:"):
            if opened.get("id") == info.id:
                st.session_state.pop(OPENED_KEY, None)
            _act(lambda: store().delete(info.id, token), f"Deleted “{info.title}”.")


def _shares(info, token: str, key: str) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    st.markdown("**Share links**")
    rows = [{"link": f"#{i + 1}", "created": f"{s.created_at:%Y-%m-%d}", "status": _status(s, now),
             "filters": "locked" if s.lock_filters else "viewers may change"} for i, s in enumerate(info.shares)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="–")
    labels = {s.id: f"#{i + 1} ({_status(s, now)})" for i, s in enumerate(info.shares)}
    left, middle, right = st.columns([2, 2, 1])
    chosen = left.selectbox("Link", list(labels), format_func=labels.get, key=key + "share")
    share = next(s for s in info.shares if s.id == chosen)
    with middle:
        expires = _expiry("Expires on", key + "share_expires",
                          value=(share.expires_at - dt.timedelta(days=1)).date()
                          if share.expires_at and share.expires_at > now else None)
    if right.button("Set expiry", key=key + "set_expiry"):
        _act(lambda: store().set_share(info.id, token, chosen, expires_at=expires), "Expiry set.")
    if right.button("Revoke", key=key + "revoke", disabled=share.revoked_at is not None, icon=":material/link_off:"):
        _act(lambda: store().revoke(info.id, token, chosen), f"Link {labels[chosen].split()[0]} revoked.")
    left, right = st.columns([3, 1])
    lock = left.checkbox("Lock the filters on the new link", key=key + "new_lock")
    if right.button("New share link", key=key + "new_share", icon=":material/add_link:"):
        try:
            new = store().share(info.id, token, lock_filters=lock)
        except CJMError as exc:
            widgets.show_error(exc)
            return
        st.session_state[LINKS_KEY] = {"message": f"A new read-only link to “{info.title}”.",
                                       "share": share_link(new)}
        st.rerun()


def _act(action, message: str) -> None:
    try:
        action()
    except CJMError as exc:
        widgets.show_error(exc)
        return
    st.toast(message, icon=":material/check:")
    st.rerun()


def _open_as_owner(dashboard_id: int, token: str, number: int) -> None:
    try:
        opened = store().open_version(dashboard_id, token, number)
        spec = _spec_of(opened)
    except CJMError as exc:
        widgets.show_error(exc)
        return
    state.restore_views(spec)
    state.replace_spec(spec)
    st.session_state[OPENED_KEY] = {"id": dashboard_id, "version": number, "title": opened.dashboard.title}
    st.toast(f"Opened “{opened.dashboard.title}”, version {number}.", icon=":material/open_in_browser:")
    st.rerun()
