from .health import *  # noqa: F403
