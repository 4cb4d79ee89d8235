"""The Overview's KPI tiles (streamlit AppTest): how a change against the previous period is shown."""

from tests.apptest import open_app


def test_an_unchanged_kpi_shows_no_rising_arrow_on_the_overview():
    # rees46: "Repeat-purchase rate 0.0% ↑ +0.0 pts" in green read as an improvement.
    rows = ["customer_id,timestamp,event"] + [
        f"{c},2024-01-0{d} 1{h}:00:00,{e}" for c, d in (("a", 1), ("b", 2), ("c", 3), ("d", 4))
        for h, e in ((0, "page_view"), (1, "purchase"))]
    at = open_app("app_pages/overview.py", files={"shop.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.error, [e.value for e in at.error]
    tiles = {m.label: m for m in at.metric}
    repeat = tiles["Repeat-purchase rate"]
    assert (repeat.value, repeat.proto.delta) == ("0.0%", "+0.0 pts")
    assert repeat.proto.direction == 2 and repeat.proto.color == 2  # no arrow, grey (Metric.NONE, GRAY)
    assert tiles["Customers"].proto.delta == "+0" and tiles["Customers"].proto.direction == 2
