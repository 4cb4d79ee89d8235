"""Review 11: a product's name or a line item's description (the UCI "Online Retail" workbook's
"WHITE HANGING HEART T-LIGHT HOLDER") is no customer comment: it is never picked as the text column by its
content, so no sentiment or pain point is made of product names."""

from __future__ import annotations

from cjm import report
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from tests.test_review11_excel import workbook


def test_an_excel_invoice_sheets_product_descriptions_are_not_taken_for_customer_comments():
    # "WHITE HANGING HEART T-LIGHT HOLDER" names the goods: no text column, no sentiment scored from it.
    parsed = workbook()
    assert "text" not in parsed.files[0].mapping.columns
    built = report.build_report(build_dataset(parsed))
    assert "sentiment" not in built and "sentiment" in built["skipped"]


def test_a_ticket_exports_long_description_is_still_read_as_the_customers_words():
    # No quantity and unit price: the description is what the customer wrote, found by its content.
    text = ("ticket,requester,created,Description\n"
            "1,a@x.com,2024-01-01 10:00,The parcel arrived broken and nobody answered my mail\n"
            "2,b@x.com,2024-01-02 10:00,I was charged twice for the same order last week\n"
            "3,c@x.com,2024-01-03 10:00,Thanks for the quick refund, the agent was very kind\n")
    parsed = parse_files([SourceFile("tickets.csv", text.encode())])
    assert parsed.files[0].mapping.columns["text"] == "Description"


def test_a_product_name_column_is_never_the_text_column_even_without_prices():
    # A Shopify-like line export without quantity: "Lineitem name" still names goods, not a comment.
    text = ("Email,Created at,Lineitem name,Total\n"
            "a@x.com,2024-01-01 10:00,Organic cotton tote bag with long handles,20\n"
            "b@x.com,2024-01-02 10:00,Handmade ceramic coffee mug in blue glaze,15\n"
            "c@x.com,2024-01-03 10:00,Recycled paper notebook set of three,9\n")
    parsed = parse_files([SourceFile("orders.csv", text.encode())])
    assert "text" not in parsed.files[0].mapping.columns
