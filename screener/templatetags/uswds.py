"""Template helpers for the USWDS crispy template pack (templates/uswds/).

They add what USWDS markup needs and Django's widgets do not know about: the component class
with its error modifier, aria-invalid, and aria-describedby pointing at the hint and the error.
"""

from django import forms, template
from django.utils.translation import gettext_lazy as _

register = template.Library()

DATE_PART_LABELS = {"month": _("Month"), "day": _("Day"), "year": _("Year")}


def _base_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "usa-checkbox__input"
    if isinstance(widget, forms.Select):
        return "usa-select"
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    return "usa-input"


def _describedby(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _state_attrs(field: forms.BoundField, base: str) -> dict[str, str]:
    # USWDS styles every errored text box, select and textarea with the one modifier.
    has_error_style = field.errors and base != "usa-checkbox__input"
    attrs = {"class": f"{base} usa-input--error" if has_error_style else base}
    if field.errors:
        attrs["aria-invalid"] = "true"
    describedby = _describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return attrs


@register.filter
def uswds_kind(field: forms.BoundField) -> str:
    """Which USWDS pattern renders the field: date, radio, checkbox, honeypot or input."""
    widget = field.field.widget
    if getattr(widget, "is_honeypot", False):
        return "honeypot"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.simple_tag
def uswds_widget(field: forms.BoundField) -> str:
    return field.as_widget(attrs=_state_attrs(field, _base_class(field.field.widget)))


@register.simple_tag
def uswds_describedby(field: forms.BoundField) -> str:
    return _describedby(field)


@register.simple_tag
def uswds_date_parts(field: forms.BoundField) -> list[dict]:
    """Month, day and year controls of a memorable date, each rendered with its own id."""
    widget = field.field.widget
    value = field.value()
    if not isinstance(value, list | tuple):
        value = widget.decompress(value)
    parts = []
    for suffix, subwidget, part_value in zip(
        widget.widgets_names, widget.widgets, value, strict=True
    ):
        part = suffix.lstrip("_")
        part_id = f"{field.auto_id}{suffix}"
        attrs = _state_attrs(field, _base_class(subwidget))
        attrs["id"] = part_id
        if field.field.required:
            attrs["required"] = True
        parts.append(
            {
                "part": part,
                "id": part_id,
                "label": DATE_PART_LABELS[part],
                "html": subwidget.render(field.html_name + suffix, part_value, attrs),
            }
        )
    return parts


@register.filter
def uswds_first_id(field: forms.BoundField) -> str:
    """The id the error summary links to: the first control of the field."""
    kind = uswds_kind(field)
    if kind == "date":
        return f"{field.auto_id}{field.field.widget.widgets_names[0]}"
    if kind == "radio":
        return f"{field.auto_id}_0"
    return field.auto_id
