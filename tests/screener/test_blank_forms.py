"""{% crispy_blank %}: the empty form is rendered once per language; a bound form every time."""

from django.template import Context, Template
from django.utils import translation

from screener.forms import CodeForm, LookupForm
from screener.templatetags import blank_forms

TEMPLATE = Template("{% load blank_forms %}{% crispy_blank form %}")


def render(form) -> str:
    return TEMPLATE.render(Context({"form": form}))


def test_the_empty_form_is_the_same_as_crispy_renders_it_and_is_kept_per_language():
    from crispy_forms.utils import render_crispy_form

    blank_forms._rendered.clear()
    with translation.override("es"):
        spanish = render(LookupForm(language="es"))
        assert spanish == render_crispy_form(LookupForm(language="es"))
        assert "Fecha de nacimiento" in spanish
    with translation.override("en"):
        english = render(LookupForm(language="en"))
        assert "Date of birth" in english and "Fecha de nacimiento" not in english
    assert len(blank_forms._rendered) == 2
    with translation.override("es"):
        assert render(LookupForm(language="es")) == spanish


def test_a_bound_form_is_rendered_each_time_with_what_was_typed_and_its_errors():
    blank_forms._rendered.clear()
    with translation.override("en"):
        first = render(LookupForm({"first_name": "Ana"}, language="en"))
        second = render(LookupForm({"first_name": "Beatriz"}, language="en"))
    assert 'value="Ana"' in first and "Enter your last name." in first
    assert 'value="Beatriz"' in second and "Ana" not in second
    assert blank_forms._rendered == {}


def test_forms_of_different_classes_or_initial_values_do_not_share_an_entry():
    blank_forms._rendered.clear()
    with translation.override("en"):
        code = render(CodeForm())
        lookup_en = render(LookupForm(language="en"))
        lookup_es_initial = render(LookupForm(language="es"))
    assert code != lookup_en != lookup_es_initial
    assert len(blank_forms._rendered) == 3
