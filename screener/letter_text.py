"""What a result letter says, as a list of blocks in the active language.

One wording for the three ways a letter reaches paper: the web page (with the browser's Print),
the outreach print page and the PDF. templates/screener/_letter_body.html and
screener/letter_pdf.py each render these blocks; neither adds words of its own, so the printout
and the PDF cannot drift apart.

What the relief means (Health and Safety Code 11361.8), in the words the answer pages use: a
dismissed and sealed conviction is treated as if it never occurred for most purposes, and the
person may generally say they were not convicted of it; federal matters and immigration are
not settled, so the letter sends people to a lawyer or the Public Defender. The dispute letter
cites the Fair Credit Reporting Act's reinvestigation duty (15 U.S.C. § 1681i: free of charge,
within 30 days of the dispute, extendable in some cases). Where to file a petition and the
court forms come from eligibility's court data, which the CR-400 worksheet uses too.

Pure: no ORM, no request; `content` is a screener.letters.LetterContent.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Relief
from config.site import site_url
from eligibility.worksheet import court_data

if TYPE_CHECKING:
    from screener.letters import LetterCase, LetterContent

SELF_HELP_URL = "https://selfhelp.courts.ca.gov"


class Kind(StrEnum):
    HEADING = "heading"  # text; level 2 or 3
    PARAGRAPH = "paragraph"  # text, with an optional bold lead
    BULLETS = "bullets"  # items
    STEPS = "steps"  # items, numbered
    CASES = "cases"  # header and rows: the table of cases
    FIELDS = "fields"  # rows of (label, value); an empty value is a blank to fill in by hand
    NOTICE = "notice"  # text in a warning box
    PAGE_BREAK = "page_break"  # the dispute letter starts on a page of its own


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    lead: str = ""
    level: int = 2
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each table row's cells with their column names (the stacked table's labels)."""
        return [list(zip(self.header, row, strict=True)) for row in self.rows]


def heading(value: str, level: int = 2) -> Block:
    return Block(Kind.HEADING, text=value, level=level)


def paragraph(value: str, lead: str = "") -> Block:
    return Block(Kind.PARAGRAPH, text=value, lead=lead)


def bullets(*items: str) -> Block:
    return Block(Kind.BULLETS, items=tuple(items))


def steps(*items: str) -> Block:
    return Block(Kind.STEPS, items=tuple(items))


def fields(*rows: tuple[str, str]) -> Block:
    return Block(Kind.FIELDS, rows=tuple(rows))


def day(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


# --- The parts of a letter ----------------------------------------------------------------------


def letter_meta(content: "LetterContent") -> Block:
    contact = ", ".join(part for part in (content.issuer_email, content.issuer_phone) if part)
    return fields(
        (_("For"), content.person_name),
        (_("Reference code"), content.reference),
        (_("Date of this letter"), day(content.issued_on)),
        (_("Issued by"), content.issuer),
        (_("Contact"), contact),
    )


def relief_label(case: "LetterCase") -> str:
    return str(Relief(case.relief).label) if case.relief in Relief.values else case.relief_label


def cases_table(content: "LetterContent") -> Block:
    return Block(
        Kind.CASES,
        header=(
            _("Case number"),
            _("Court"),
            _("Charges"),
            _("What the court did"),
            _("Date"),
            _("Dismissal batch"),
        ),
        rows=tuple(
            (
                case.case_number,
                case.court,
                ", ".join(case.charges) or "—",
                relief_label(case),
                day(case.relief_date),
                str(case.batch_name),
            )
            for case in content.cases
        ),
    )


def what_it_means(content: "LetterContent") -> list[Block]:
    blocks = [heading(_("What this means for you"))]
    if content.has_sealed:
        blocks += [
            heading(_("Dismissed and sealed"), 3),
            bullets(
                _(
                    "Under California Health and Safety Code section 11361.8, the court "
                    "dismissed the conviction and sealed the record. For most purposes, the law "
                    "treats it as if it never happened."
                ),
                _(
                    "Jobs and housing: you can usually say that you were not convicted of it, "
                    "for example on a job or rental application."
                ),
                _(
                    "Background checks: most checks should no longer show it. If one still "
                    "does, you can ask the company that made it to correct it, and show them "
                    "this letter."
                ),
            ),
        ]
    if content.has_reduced:
        blocks += [
            heading(_("Reduced"), 3),
            bullets(
                _(
                    "Under California Health and Safety Code section 11361.8, the court lowered "
                    "the conviction, for example from a felony to a misdemeanor, or from a "
                    "misdemeanor to an infraction. It stays on your record at the lower level."
                ),
                _(
                    "A background check may still show it, but only at the lower level. If one "
                    "shows it at the old level, you can ask the company that made it to correct "
                    "it."
                ),
            ),
        ]
    blocks.append(
        Block(
            Kind.NOTICE,
            text=_(
                "Immigration and federal matters are different. Talk to a lawyer or the Public "
                "Defender before you make a decision about them."
            ),
        )
    )
    return blocks


def background_check(content: "LetterContent") -> list[Block]:
    return [
        heading(_("If a background check still shows your case")),
        steps(
            _(
                "Get a copy of the report and the name and address of the background-check "
                "company that made it. The employer, landlord or other business that asked for "
                "the check can tell you who made it."
            ),
            _(
                "Fill in the blanks of the letter at the end, sign it, and send it to that "
                "company with a copy of this letter. Keep a copy of everything you send, and "
                "note the date you sent it."
            ),
            _(
                "Under the federal Fair Credit Reporting Act, the company must reinvestigate "
                "what you dispute, for free, and correct or delete information that is "
                "inaccurate, usually within 30 days."
            ),
            _(
                "If the company does not correct it, call the Los Angeles County Public "
                "Defender at %(phone)s, or talk to a lawyer."
            )
            % {"phone": content.public_defender_phone},
        ),
    ]


def dispute_case_line(case: "LetterCase") -> str:
    values = {"number": case.case_number, "court": case.court, "date": day(case.relief_date)}
    if case.relief == Relief.REDUCED:
        if case.relief_date:
            return _("Case %(number)s (%(court)s): reduced on %(date)s.") % values
        return _("Case %(number)s (%(court)s): reduced.") % values
    if case.relief_date:
        return _("Case %(number)s (%(court)s): dismissed and sealed on %(date)s.") % values
    return _("Case %(number)s (%(court)s): dismissed and sealed.") % values


def dispute_letter(content: "LetterContent") -> list[Block]:
    """A letter to the background-check company, ready to sign: the company and the report's
    date are left blank, since only the person knows them."""
    if content.verification_code:
        enclosed = _(
            "I enclose a letter from %(issuer)s dated %(date)s, reference %(reference)s. You "
            "can confirm that %(issuer)s issued it at %(url)s with the code %(code)s."
        )
    else:
        enclosed = _(
            "I enclose a letter from %(issuer)s dated %(date)s, reference %(reference)s. You "
            "can confirm it with %(issuer)s at %(email)s."
        )
    enclosed %= {
        "issuer": content.issuer,
        "date": day(content.issued_on),
        "reference": content.reference,
        "url": content.verification_url,
        "code": content.verification_code,
        "email": content.issuer_email,
    }
    return [
        Block(Kind.PAGE_BREAK),
        heading(_("Letter to the background-check company")),
        fields(
            (_("To (company name and address)"), ""),
            (_("Date of the background check report"), ""),
            (_("Today's date"), ""),
        ),
        paragraph(_("To whom it may concern:")),
        paragraph(
            _(
                "I dispute information in the background check report about me dated as "
                "above. The report lists the following court cases, in which the court granted "
                "relief under California Health and Safety Code section 11361.8:"
            )
        ),
        bullets(*(dispute_case_line(case) for case in content.cases)),
        paragraph(
            _(
                "Reporting a dismissed and sealed case as a conviction, or a reduced case at "
                "its old level, is inaccurate. Under the Fair Credit Reporting Act (15 U.S.C. "
                "§ 1681i), please reinvestigate this information, delete or correct it, and "
                "send me the results and a corrected copy of my report. The Act requires you to "
                "do this, usually within 30 days of receiving this letter."
            )
        ),
        paragraph(enclosed),
        fields(
            (_("Signature"), ""),
            (_("Name"), content.person_name),
            (_("Mailing address"), ""),
            (_("Phone or email"), ""),
        ),
    ]


def court_order(content: "LetterContent") -> list[Block]:
    return [
        heading(_("Getting the court's order")),
        paragraph(
            _(
                "This letter tells you what we found in the dismissal lists. It is not a court "
                "document. For a copy of the court's order, contact the court that handled "
                "your case."
            )
        ),
        paragraph(
            _(
                "Questions? Call the Los Angeles County Public Defender at %(phone)s or visit "
                "%(url)s."
            )
            % {"phone": content.public_defender_phone, "url": content.public_defender_url}
        ),
    ]


def not_found(content: "LetterContent") -> list[Block]:
    data = court_data()
    court = data["court"]
    return [
        paragraph(
            _(
                "We did not find a case that matches the details you gave in the Los Angeles "
                "County cannabis dismissal batches."
            )
        ),
        paragraph(
            _(
                "This does not mean that you are not eligible. Some cases were never part of "
                "these batches, and some records are written differently from the details you "
                "gave."
            )
        ),
        heading(_("What you can do")),
        steps(
            _(
                "The Public Defender can check your record, tell you what applies to you, and "
                "file for you, for free. Call the cannabis dismissal line at %(phone)s or fill "
                "in the online form at %(url)s. Bring this document with you."
            )
            % {"phone": content.public_defender_phone, "url": content.public_defender_url},
            _(
                "Ask the court yourself. Under Health and Safety Code section 11361.8 you can "
                "file a petition (if you are still serving your sentence) or an application (if "
                "you have finished it) on Judicial Council form CR-400, and serve it on the "
                "prosecutor with form CR-401 (proof of service). There is no deadline."
            ),
            _(
                "Some cases were never part of the District Attorney's dismissal batches. "
                "Answer a few questions to see what the District Attorney's criteria say about "
                "your cannabis convictions, and get a filled-in worksheet for the court form "
                "CR-400."
            )
            + " "
            + site_url(reverse("eligibility:start")),
            _("Read the California courts' self-help guide on cannabis conviction relief:")
            + " "
            + SELF_HELP_URL,
        ),
        heading(_("Where to file"), 3),
        fields(
            (_("Court"), court["name"]),
            (_("Courthouse"), court["courthouse"]),
            (_("Address"), f"{court['street']}, {court['city']}"),
        ),
        paragraph(
            _(
                "File at the courthouse where your case was heard. If you do not know which one "
                "it was, the clerk at this courthouse can tell you."
            )
        ),
    ]


def verification_line(content: "LetterContent") -> list[Block]:
    blocks = [heading(_("Who issued this letter"))]
    if content.verification_code:
        blocks.append(
            paragraph(
                _(
                    "Anyone you show this letter to can confirm that %(issuer)s issued it: go "
                    "to %(url)s and enter the code %(code)s. That page shows only the date of "
                    "this letter, its reference code and whether it reported a dismissal, never "
                    "your name or your cases."
                )
                % {
                    "issuer": content.issuer,
                    "url": content.verification_url,
                    "code": content.verification_code,
                },
                lead=_("Verification code: %(code)s") % {"code": content.verification_code},
            )
        )
    contact = ", ".join(part for part in (content.issuer_email, content.issuer_phone) if part)
    blocks.append(
        paragraph(
            _(
                "This letter was issued by %(issuer)s, which runs Relief Check. Anyone who "
                "wants to check it can write to us with the reference code %(reference)s:"
            )
            % {"issuer": content.issuer, "reference": content.reference}
            + f" {contact}."
        )
    )
    return blocks


def letter_blocks(content: "LetterContent") -> list[Block]:
    """The whole letter, in the active language."""
    blocks = [letter_meta(content)]
    if content.found:
        count = len(content.cases)
        blocks.append(
            paragraph(
                ngettext(
                    "We found a case that matches your details in the Los Angeles County "
                    "cannabis dismissals.",
                    "We found %(counter)s cases that match your details in the Los Angeles "
                    "County cannabis dismissals.",
                    count,
                )
                % {"counter": count}
            )
        )
        blocks.append(cases_table(content))
        blocks += what_it_means(content)
        blocks += background_check(content)
        blocks += court_order(content)
        blocks += verification_line(content)
        blocks += dispute_letter(content)
    else:
        blocks += not_found(content)
        blocks += verification_line(content)
    return blocks
