"""Property-based tests of the public forms: whatever is typed (any Unicode, huge values, odd
dates, control characters) the forms answer with messages, the pages never with a server error,
and a request is stored whole or not at all."""

import datetime

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from screener.forms import LetterAccessForm, LookupForm, StatusForm
from screener.models import Lookup
from screener.services import lookup_submit
from tests.screener.public_flow import lookup_form_data, status_form_data

pytestmark = pytest.mark.django_db

ODD = ["", " ", "\x00", "\t\n", "²", "١٢", "１２", "-1", "0", "99999", "1e3", "٣١", "\u202e", "🌵"]
texts = st.one_of(
    st.text(max_size=40),
    st.text(max_size=3000),
    st.sampled_from(ODD),
    st.sampled_from(["A" * 200_000, "é" * 5_000]),
)
names = st.one_of(st.sampled_from(["María", "O'Brien", "Nguyễn", "李"]), texts)
date_parts = st.one_of(st.integers(-5, 10_000).map(str), st.sampled_from(ODD), st.text(max_size=6))
FIELDS = ("first_name", "middle_name", "last_name", "other_names", "case_number", "email", "phone")


@st.composite
def lookup_data(draw) -> dict:
    data = lookup_form_data()
    for field in FIELDS:
        if draw(st.booleans()):
            data[field] = draw(names if "name" in field else texts)
    for part in ("month", "day", "year"):
        if draw(st.booleans()):
            data[f"date_of_birth_{part}"] = draw(date_parts)
    if draw(st.booleans()):
        data["language"] = draw(texts)
    return data


@given(data=lookup_data())
def test_the_lookup_form_stores_a_request_whole_or_not_at_all(data):
    before = Lookup.objects.count()
    form = LookupForm(data)
    if not form.is_valid():
        assert form.errors
        assert Lookup.objects.count() == before
        return
    lookup, created = lookup_submit(details=form.details())
    stored = Lookup.objects.get(pk=lookup.pk)
    if created:
        details = form.details()
        assert stored.first_name == details.first_name.strip()
        assert stored.last_name == details.last_name.strip()
        assert stored.date_of_birth == details.date_of_birth
        assert (stored.email, stored.phone) == (details.email, details.phone)
        assert stored.dedupe_key


@given(data=lookup_data())
def test_the_lookup_page_never_answers_with_a_server_error(settings, data):
    settings.RATELIMIT_ENABLE = False
    response = Client().post("/check/", data)
    assert response.status_code in (303, 400)


@given(reference=texts, month=date_parts, day=date_parts, year=date_parts)
def test_the_status_and_letter_forms_take_any_input(reference, month, day, year):
    data = status_form_data("RC-ACD-EFG") | {
        "reference": reference,
        "date_of_birth_month": month,
        "date_of_birth_day": day,
        "date_of_birth_year": year,
    }
    for form in (StatusForm(data), LetterAccessForm(data)):
        if form.is_valid():
            birth = form.cleaned_data["date_of_birth"]
            assert datetime.date(1900, 1, 1) <= birth < datetime.date.today()
        else:
            assert form.errors


@given(reference=texts, month=date_parts, day=date_parts, year=date_parts)
def test_the_status_page_never_answers_with_a_server_error(settings, reference, month, day, year):
    settings.RATELIMIT_ENABLE = False
    data = status_form_data("RC-ACD-EFG") | {
        "reference": reference,
        "date_of_birth_month": month,
        "date_of_birth_day": day,
        "date_of_birth_year": year,
    }
    assert Client().post("/status/", data).status_code in (200, 400)
