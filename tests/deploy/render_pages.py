"""Print the main pages as a user sees them, as JSON {path: html}, for comparing two
installations (the backup round trip). Run in the installation's environment:

    python -m tests.deploy.render_pages manager
"""

import json
import re
import sys
from datetime import timedelta

import django


def main(username: str) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import dateformat, timezone

    from funding.models import Pledge
    from meetings.models import Meeting
    from outcomes.models import Outcome

    paths = ["/", "/outcomes/", "/alignment/", "/funding/", "/meetings/", "/stakeholders/"]
    paths += [
        f"/outcomes/{pk}/" for pk in Outcome.objects.order_by("pk").values_list("pk", flat=True)
    ]
    paths += [
        f"/meetings/{pk}/" for pk in Meeting.objects.order_by("pk").values_list("pk", flat=True)[:5]
    ]
    paths += [
        f"/funding/pledges/{pk}/"
        for pk in Pledge.objects.order_by("pk").values_list("pk", flat=True)[:5]
    ]
    started = timezone.localtime()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    pages = {}
    for path in paths:
        response = client.get(path)
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", html)
        pages[path] = f"{response.status_code}\n{html}"
    # "Printed 29 Nov 2026 23:59." ({% now %}) is the time of rendering, not data.
    minutes = int((timezone.localtime() - started).total_seconds() // 60) + 2
    for minute in range(-1, minutes):
        moment = dateformat.format(started + timedelta(minutes=minute), "j M Y H:i")
        pages = {path: html.replace(moment, "<now>") for path, html in pages.items()}
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
