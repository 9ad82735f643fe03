"""The results framework's fixture, for the pages of every language
(tests/jointprogramme/test_languages.py)."""

from tests.outcomes.conftest import outcome_world  # noqa: F401 (a fixture)
