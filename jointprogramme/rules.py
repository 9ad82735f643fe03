"""Access rules for programmes; the predicates live in ``access``."""

from . import access  # noqa: F401  (importing registers the rules)
