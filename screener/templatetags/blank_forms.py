"""`{% crispy_blank form %}`: an empty form's fields rendered once per process and language.

Every visitor in a language gets the same empty lookup form and the same empty code form (the
CSRF token is outside them), and rendering them through crispy-forms and the USWDS pack was a
fifth of the web processes' time under load (benchmarks/load_test.py with py-spy). A form that
is bound (what was typed, its errors) is rendered each time, as `{% crispy form %}` would.
"""

from collections.abc import Hashable

from crispy_forms.utils import render_crispy_form
from django import forms, template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_rendered: dict[Hashable, SafeString] = {}
# Forms differ only by class, prefix, initial values and language: a handful of entries.
MAX_ENTRIES = 64


def _key(form: forms.BaseForm) -> Hashable | None:
    helper = getattr(form, "helper", None)
    if helper is None or helper.form_tag:
        return None  # crispy writes the <form> tag and its CSRF token: different per visitor
    try:
        initial = frozenset(form.initial.items())
        hash(initial)
    except TypeError:
        return None  # an initial value that cannot key a cache: render each time
    return (type(form), form.prefix, initial, translation.get_language())


@register.simple_tag(takes_context=True)
def crispy_blank(context: template.Context, form: forms.BaseForm) -> SafeString:
    """The crispy rendering of `form`, cached when the form is unbound."""
    key = None if form.is_bound else _key(form)
    if key is None:
        return mark_safe(render_crispy_form(form, context=context.flatten()))  # noqa: S308
    if key not in _rendered:
        # Rendered without the page's context, so nothing of this visitor's can be kept.
        html = mark_safe(render_crispy_form(form))  # noqa: S308
        if len(_rendered) >= MAX_ENTRIES:
            return html
        _rendered[key] = html
    return _rendered[key]
