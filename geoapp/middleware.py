"""Chinese first: the UI language is the one the user chose, else Simplified Chinese.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would
show English to a Chinese civil servant whose browser happens to be set up in English.
Here only an explicit choice (the language cookie set by /i18n/setlang/) switches away
from ``LANGUAGE_CODE``.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
