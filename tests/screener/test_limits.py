"""How long to wait, in words, in both languages."""

import pytest
from django.utils import translation

from screener.limits import wait_text


@pytest.mark.parametrize(
    ("seconds", "english", "spanish"),
    [
        (1, "about 1 minute", "alrededor de 1 minuto"),
        (59, "about 1 minute", "alrededor de 1 minuto"),
        (61, "about 2 minutes", "alrededor de 2 minutos"),
        (90 * 60, "about 90 minutes", "alrededor de 90 minutos"),
        (3 * 3600 + 1, "about 3 hours", "alrededor de 3 horas"),
        (36 * 3600, "about 36 hours", "alrededor de 36 horas"),
        (90 * 86400, "about 90 days", "alrededor de 90 días"),
    ],
)
def test_the_wait_reads_in_minutes_hours_or_days(seconds, english, spanish):
    with translation.override("en"):
        assert wait_text(seconds) == english
    with translation.override("es"):
        assert wait_text(seconds) == spanish
