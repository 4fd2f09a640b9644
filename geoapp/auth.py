"""Login throttling (django-axes) as the first authentication backend.

``AxesStandaloneBackend`` refuses a call without an HTTP request; code that authenticates
without one (management commands, the test client's ``login``) has no address to
throttle and no attacker at a form, so this backend steps aside for it and the model
backend answers. Every login form (the site's and the admin's) passes the request.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
