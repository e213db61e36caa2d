from .entries import *  # noqa: F403
