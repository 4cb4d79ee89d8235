"""Review 10: real exports nobody had tried (a GA4 items export flattened from BigQuery, a CRM deals pipeline).
Every expected value is worked out by hand from the literal CSV above it; the values are made up."""

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

# GA4's BigQuery export flattened to one row per purchased item: user_pseudo_id looks like a decimal number,
# event_timestamp is in microseconds, and item_revenue is after discounts, so it is not quantity x price.
GA4_ITEMS = ("user_pseudo_id,item_id,item_name,price_in_usd,price,quantity,item_revenue_in_usd,item_revenue,"
             "event_date,event_timestamp,country\n"
             "1234567.8901234567,900001,Sticker,2,2,2,3,3,20201121,1605933286874902,Germany\n"
             "1234567.8901234567,900002,Mug,7,7,1,7,7,20201121,1605933286874902,Germany\n"
             "1234567.8901234568,900003,Tee,20,20,1,18,18,20201122,1606000568841883,Macao\n")


def test_a_ga4_items_exports_item_revenue_is_the_revenue_not_quantity_times_price():
    # Item revenue 3 + 7 + 18 = 28 (quantity x price would say 4 + 7 + 20 = 31).
    parsed = load(GA4_ITEMS)
    assert parsed.files[0].mapping.columns["revenue"] == "item_revenue_in_usd"
    assert rows(parsed)["revenue"].tolist() == [3, 7, 18]
    assert kpis(parsed)["revenue"] == 28


def test_a_ga4_pseudo_id_that_looks_like_a_decimal_number_keeps_every_digit():
    # The two ids differ in their 17th significant digit only: read as floats they would be one customer.
    parsed = load(GA4_ITEMS)
    assert sorted(set(rows(parsed)["customer_id"])) == ["1234567.8901234567", "1234567.8901234568"]
    assert kpis(parsed)["customers"] == 2
