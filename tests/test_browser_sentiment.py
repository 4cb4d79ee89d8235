"""Real browser: a marketer reads the emotion curve, filters the quotes by sentiment and sees them change;
the Follow-up page shows the churn model's AUC and the call-back list."""

import re

import pytest

from tests.browser import open_page, screenshot

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"] svg'
QUOTES = '[data-testid="stMarkdown"] blockquote:has(a[href*="customer?customer="])'


def quote_texts(page) -> list[str]:
    return page.locator(QUOTES).all_inner_texts()


def wait_for_other_quotes(page, before: list[str]) -> list[str]:
    page.wait_for_function(
        """([selector, before]) => {
            const now = [...document.querySelectorAll(selector)].map(q => q.innerText);
            return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before);
        }""",
        arg=[QUOTES, before],
    )
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    return quote_texts(page)


def values(quotes: list[str]) -> list[float]:
    """The sentiment value printed in each quote's detail line ("— rating 4/5 · +0.50 · loyalty · ...")."""
    return [float(re.search(r"· ([+-]\d\.\d\d) ·", q.replace("−", "-")).group(1)) for q in quotes]


def test_filtering_the_quotes_by_sentiment_changes_the_quotes_shown(page, app_url):
    open_page(page, app_url, "sentiment")
    page.locator(CHART).first.wait_for()
    page.get_by_text("no feedback here").first.wait_for()
    page.locator(QUOTES).first.wait_for()
    everything = quote_texts(page)
    assert len(everything) == 8
    screenshot(page, "sentiment-default")

    page.get_by_test_id("stButtonGroup").get_by_text("Positive", exact=True).click()
    positive = wait_for_other_quotes(page, everything)
    assert positive != everything and all(v > 0 for v in values(positive))

    page.get_by_test_id("stButtonGroup").get_by_text("Negative", exact=True).click()
    negative = wait_for_other_quotes(page, positive)
    assert all(v < 0 for v in values(negative))
    page.locator(QUOTES).first.scroll_into_view_if_needed()
    screenshot(page, "sentiment-negative-quotes")


def test_the_follow_up_page_shows_the_model_auc_and_the_call_back_list(page, app_url):
    open_page(page, app_url, "followup")
    page.get_by_text(re.compile(r"Model: logistic regression, cross-validated ROC AUC 0\.\d\d")).wait_for()
    page.locator(CHART).first.wait_for()
    page.get_by_text("Unhappy customers to call back").first.wait_for()  # the page renders panel by panel
    page.get_by_text("Most at risk, and why").first.wait_for()
    main = page.inner_text('[data-testid="stMain"]')
    assert "Unhappy customers to call back" in main and "Most at risk, and why" in main
    screenshot(page, "followup")
    page.get_by_text("Most at risk, and why").scroll_into_view_if_needed()
    screenshot(page, "followup-at-risk")
