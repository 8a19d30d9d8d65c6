from relais.matching.tests.pages import offer, wednesday  # noqa: F401 -- fixtures of the page tests
