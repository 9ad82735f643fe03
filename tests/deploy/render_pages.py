"""Print the main pages as a user sees them, as JSON {path: html}, for comparing two
installations (the backup round trip). Run in the installation's environment:

    python -m tests.deploy.render_pages manager
"""

import json
import re
import sys

import django


def main(username: str) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

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
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    pages = {}
    for path in paths:
        response = client.get(path)
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", html)
        pages[path] = f"{response.status_code}\n{html}"
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
