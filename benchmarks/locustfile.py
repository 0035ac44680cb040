"""Locust users for benchmarks/load_test.py: each iteration is a new visitor using the real form.

GET /check/ (the form, its CSRF cookie and token), POST /check/ with a fresh contact and a
realistic name, then the redirect it answers with, followed once. Requests carry the headers the
TLS proxy adds (X-Forwarded-Proto, X-Forwarded-For with the visitor's own address), so the rate
limits count each visitor as the site would in production. Run by load_test.py, which passes:

- LOADTEST_PEOPLE: a JSON file of people in the case database ([first, last, "YYYY-MM-DD"]),
  of whom LOADTEST_FOUND_SHARE of the visitors are (the rest get names from Faker);
- LOADTEST_RUN: a tag that makes this run's contacts unique;
- LOADTEST_PER_USER_RATE: iterations per second per user (users x rate = arrival rate).
"""

import itertools
import json
import os
import random
import re
import time
from datetime import date
from urllib.parse import urlsplit

from faker import Faker
from locust import FastHttpUser, task

PEOPLE = json.loads(open(os.environ["LOADTEST_PEOPLE"]).read())  # noqa: SIM115
RUN = os.environ.get("LOADTEST_RUN", "run")
FOUND_SHARE = float(os.environ.get("LOADTEST_FOUND_SHARE", "0.3"))
PHONE_SHARE = float(os.environ.get("LOADTEST_PHONE_SHARE", "0.1"))
PER_USER_RATE = float(os.environ.get("LOADTEST_PER_USER_RATE", "0.5"))
# Los Angeles County area codes, with 555-01XX: numbers reserved for fiction.
AREA_CODES = ("213", "310", "323", "424", "562", "626", "661", "747", "818")

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COUNTER = itertools.count(1)
PHONES = itertools.count(0)
RNG = random.Random(f"{RUN}-{os.getpid()}")
FAKERS = (Faker("es_MX"), Faker("en_US"))
for index, faker in enumerate(FAKERS):
    faker.seed_instance(f"{RUN}-{index}")


def visitor_address(n: int) -> str:
    """198.18.0.0/15 (set aside for benchmarks): only ever a header value, never a destination."""
    return f"198.{18 + (n >> 16) % 2}.{(n >> 8) % 256}.{n % 256}"


def person(n: int) -> tuple[str, str, date]:
    if PEOPLE and RNG.random() < FOUND_SHARE:
        first, last, born = RNG.choice(PEOPLE)
        return first.title(), last.title(), date.fromisoformat(born)
    faker = RNG.choice(FAKERS)
    born = date(RNG.randint(1950, 2002), RNG.randint(1, 12), RNG.randint(1, 28))
    return faker.first_name(), faker.last_name(), born


def contact(n: int) -> dict[str, str]:
    if RNG.random() < PHONE_SHARE:
        # 9 area codes x 100 numbers: each used once per run (the per-contact limit is 5 a day).
        index = next(PHONES) % (len(AREA_CODES) * 100)
        area, line = AREA_CODES[index // 100], index % 100
        return {"email": "", "phone": f"({area}) 555-01{line:02d}"}
    return {"email": f"visitor-{RUN}-{n}@example.org", "phone": ""}


def cookies_set(response, jar: dict[str, str]) -> None:
    """Keep the cookies a response sets. The visitor's cookies are kept here, not in Locust's
    jar: the site's cookies are Secure, and the load test speaks http to gunicorn as the TLS
    proxy does."""
    for value in response.headers.getlist("set-cookie"):
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


class Visitor(FastHttpUser):
    # One connection per visitor, as a browser behind the proxy would have.
    concurrency = 1

    def on_start(self) -> None:
        self._due = time.monotonic()

    def wait_time(self) -> float:
        """Seconds until this visitor's next arrival, on a fixed schedule.

        Locust's constant_throughput waits the interval less the last iteration's time, so each
        late wake-up (the load client shares the cores with the stack) pushes every later
        arrival back: at 30/s asked it sent about 1.5% fewer. Here the schedule is absolute,
        and an iteration that ran late is followed by a shorter wait, as people keep arriving
        whether or not the site is slow.
        """
        self._due += 1 / PER_USER_RATE
        return max(0.0, self._due - time.monotonic())

    @task
    def submit_lookup(self) -> None:
        n = next(COUNTER)
        self.client.cookiejar.clear()
        language = "es" if RNG.random() < 0.35 else "en"
        headers = {
            "X-Forwarded-For": visitor_address(n),
            "X-Forwarded-Proto": "https",
            "Accept-Language": language,
        }
        with self.client.get(
            "/check/", headers=headers, name="GET /check/", catch_response=True
        ) as response:
            match = CSRF_FIELD.search(response.text or "")
            if response.status_code != 200 or not match:
                response.failure(f"form: HTTP {response.status_code}")
                return
            jar: dict[str, str] = {}
            cookies_set(response, jar)
        first, last, born = person(n)
        origin = self.host.replace("http://", "https://", 1)
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "first_name": first,
            "middle_name": "",
            "last_name": last,
            "other_names": "",
            "date_of_birth_month": str(born.month),
            "date_of_birth_day": str(born.day),
            "date_of_birth_year": str(born.year),
            "case_number": "",
            "language": language,
            "is_self": "yes",
            "consent_to_contact": "on",
            "website": "",
            **contact(n),
        }
        post_headers = {
            **headers,
            "Origin": origin,
            "Referer": f"{origin}/check/",
            "Cookie": cookie_header(jar),
        }
        self.client.cookiejar.clear()
        with self.client.post(
            "/check/",
            data=data,
            headers=post_headers,
            name="POST /check/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code not in (302, 303) or not location:
                response.failure(f"submit: HTTP {response.status_code}")
                return
            cookies_set(response, jar)
        # The redirect, followed once; what the page says is the public flow's business.
        path = urlsplit(location).path
        self.client.cookiejar.clear()
        with self.client.get(
            path,
            headers={**headers, "Cookie": cookie_header(jar)},
            name="GET after submit",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"after submit: HTTP {response.status_code}")
