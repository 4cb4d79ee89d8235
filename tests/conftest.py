from tests.browser import app_url, browser_context, page  # noqa: F401  (fixtures)
