from django.utils.functional import SimpleLazyObject

from .selectors import current_programme as select_current_programme
from .selectors import programmes_of_request


def current_programme(request):
    """Expose the current programme and the user's programmes to every template.

    Lazy, so pages that do not show them (the login page, health checks) pay no query.
    """
    return {
        "current_programme": SimpleLazyObject(lambda: select_current_programme(request)),
        "user_programmes": SimpleLazyObject(lambda: programmes_of_request(request)),
    }
