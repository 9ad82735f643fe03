"""WSGI entry point, e.g. ``gunicorn jointprogramme.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jointprogramme.settings")

application = get_wsgi_application()

from jointprogramme.memory import freeze_loaded_application  # noqa: E402 - after setup

# Every worker, once loaded: the collector no longer walks the application's own
# objects on every full collection (jointprogramme/memory.py).
freeze_loaded_application()
