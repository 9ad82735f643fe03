"""The app server's garbage-collection tuning (jointprogramme/memory.py)."""

import gc

import pytest
from django.template import engines

from jointprogramme.memory import _template_names, freeze_loaded_application


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_the_loaded_application_is_frozen_and_cycles_are_still_collected(unfrozen):
    freeze_loaded_application()

    assert gc.get_freeze_count() > 10_000  # modules, URL patterns, templates
    assert gc.isenabled()

    class Node:
        pass

    made = Node()
    made.itself = made  # a cycle a request could leave behind
    del made
    assert gc.collect() >= 1


def test_every_template_of_the_project_is_compiled_before_the_freeze(unfrozen):
    engine = engines["django"]
    names = [n for loader in engine.engine.template_loaders for n in _template_names(loader)]
    assert "base.html" in names
    assert any(name.startswith("admin/") for name in names)

    freeze_loaded_application()

    cached = engine.engine.template_loaders[0]  # Django's cached loader
    assert "base.html" in cached.get_template_cache
