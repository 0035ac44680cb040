"""The markup filters of the HTML email part (screener/templatetags/email_html.py)."""

from screener.templatetags.email_html import email_link, strong, tel_link


def test_a_phone_link_dials_the_number_and_stays_on_one_line():
    assert tel_link("(323) 760-6763", "+13237606763") == (
        '<a href="tel:+13237606763" style="color:#005ea2;">(323)&nbsp;760-6763</a>'
    )


def test_values_put_into_markup_are_escaped():
    assert strong("<b>RC</b>") == "<strong>&lt;b&gt;RC&lt;/b&gt;</strong>"
    assert email_link('https://x.example/?a=1&b="2"', "<x>") == (
        '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;" style="color:#005ea2;">&lt;x&gt;</a>'
    )
    assert tel_link("<1> 2", "+1") == '<a href="tel:+1" style="color:#005ea2;">&lt;1&gt;&nbsp;2</a>'
