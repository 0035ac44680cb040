"""Code sections are read whatever their spacing, case, code suffix or subsections; the two
lists load from their data files, each naming its source."""

import pytest

from eligibility.codes import (
    CodeSection,
    CodeSectionError,
    code_section_covers,
    code_section_parse,
    is_pc290_registrable,
    is_super_strike,
    offence_list,
)


@pytest.mark.parametrize(
    ("written", "section"),
    [
        ("11359(b) HS", CodeSection("HS", "11359", ("b",))),
        ("HS 11359(b)", CodeSection("HS", "11359", ("b",))),
        ("hs11359 (B)", CodeSection("HS", "11359", ("b",))),
        ("H&S 11359(b)", CodeSection("HS", "11359", ("b",))),
        ("  11360 (a) ( 1 )  h&s ", CodeSection("HS", "11360", ("a", "1"))),
        ("11357(a)", CodeSection("HS", "11357", ("a",))),
        ("11358", CodeSection("HS", "11358")),
        ("PC 667(e)(2)(C)(iv)", CodeSection("PC", "667", ("e", "2", "c", "iv"))),
        ("187(a) pc", CodeSection("PC", "187", ("a",))),
        ("PC 664/187(a)", CodeSection("PC", "187", ("a",), attempt=True)),
        ("664/187", CodeSection("PC", "187", attempt=True)),
        ("PC 288a", CodeSection("PC", "288a")),
        ("266H(b) PC", CodeSection("PC", "266h", ("b",))),
        ("PC 243.4(e)(1)", CodeSection("PC", "243.4", ("e", "1"))),
    ],
)
def test_a_section_is_read_however_it_is_written(written, section):
    assert code_section_parse(written) == section


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("", "empty"),
        ("187", "no statute abbreviation"),
        ("ZZ 11357", "unknown statute"),
        ("HS 11357B", "is not like"),
        ("possession", "is not like"),
    ],
)
def test_a_section_that_cannot_be_read_says_why(written, problem):
    with pytest.raises(CodeSectionError, match=problem):
        code_section_parse(written)


@pytest.mark.parametrize(
    ("entry", "conviction", "covered"),
    [
        ("PC 288", "PC 288(a)(1)", True),
        ("PC 288(a)", "PC 288(a)", True),
        ("PC 288(a)", "PC 288(c)", False),
        ("PC 288(a)", "PC 288", None),
        ("PC 288", "PC 288.5", False),
        ("PC 187", "HS 187", False),
    ],
)
def test_a_list_entry_covers_its_subsections_and_is_unsure_of_a_bare_section(
    entry, conviction, covered
):
    assert code_section_covers(code_section_parse(entry), code_section_parse(conviction)) is covered


@pytest.mark.parametrize(
    ("written", "super_strike", "registrable"),
    [
        ("PC 187(a)", True, None),  # murder; on the 290 list only in the course of a sex offense
        ("PC 664/187(a)", True, None),
        ("PC 288(a)", True, True),
        ("PC 288(c)(1)", None, True),
        ("PC 261(a)(2)", None, True),
        ("PC 314(1)", False, True),
        ("PC 245(d)(3)", True, False),
        ("PC 245(a)(1)", False, False),
        ("PC 459", False, False),
        ("HS 11359", False, False),
    ],
)
def test_the_lists_say_yes_no_or_maybe(written, super_strike, registrable):
    code = code_section_parse(written)
    assert (is_super_strike(code), is_pc290_registrable(code)) == (super_strike, registrable)


@pytest.mark.parametrize("name", ["super_strikes", "pc290"])
def test_each_list_names_its_statute_and_every_entry_is_a_real_section(name):
    offences = offence_list(name)
    assert (
        "Penal Code section" in offences.source and "leginfo.legislature.ca.gov" in offences.source
    )
    assert len(offences.entries) > 20
    assert all(entry.section.code == "PC" and entry.what for entry in offences.entries)
