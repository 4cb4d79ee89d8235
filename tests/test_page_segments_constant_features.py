"""The Segments and Personas pages on an upload where every customer bought (streamlit AppTest): conversion is
the same for everyone, so it is left out of the clustering, and every segment and persona shows 100%, not "–"."""

from tests.apptest import open_app

KEY = "cjm.segments."


def everyone_bought() -> bytes:
    # 12 customers, each with one purchase (conversion stage) after 1 to 6 page views (customer i: 1 + i % 6):
    # every customer converted, so "converted" is the same for all: each segment of n customers converts n/n = 100%
    rows = ["customer_id,timestamp,event,revenue"]
    for i in range(12):
        views = 1 + i % 6
        rows += [f"c{i:02d},2024-03-{1 + v:02d} 10:00:00,page_view," for v in range(views)]
        rows.append(f"c{i:02d},2024-03-{2 + views:02d} 12:00:00,purchase,{10 + 5 * i}.00")
    return ("\n".join(rows) + "\n").encode()


def test_every_segment_and_persona_shows_full_conversion_when_every_customer_bought():
    at = open_app("app_pages/segments.py", files={"shop.csv": everyone_bought()})
    at.button(key=KEY + "find").click().run()
    assert not at.exception, at.exception
    at.session_state[KEY + "tab"] = "Profiles"
    at.run()
    profiles = next(d.value for d in at.dataframe if "Conversion" in d.value.columns)
    assert profiles["Conversion"].tolist() == [100.0] * len(profiles)  # 1.0 as a percentage, in every segment
    at.switch_page("app_pages/personas.py")
    at.run()
    assert not at.exception, at.exception
    conversion = [m.value for m in at.metric if m.label == "Conversion"]
    assert conversion and conversion == ["100.0%"] * len(conversion)
