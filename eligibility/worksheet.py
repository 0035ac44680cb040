"""The two PDFs of the eligibility check: a CR-400 worksheet and a summary to bring for help.

The worksheet follows the sections of Judicial Council form CR-400 (the revision named in
data/court.toml) and says plainly that it is to be copied onto the official form: only the
court's own form can be filed. Both documents are built in the active language from the
session's answers; nothing is stored.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.pdf import Document, Field
from eligibility.codes import DATA_DIR, CodeSection
from eligibility.records import (
    LEVEL_CHOICES,
    NO,
    SECTION_CHOICES,
    SENTENCE_CHOICES,
    YES,
    YES_NO_UNSURE,
    AnsweredConviction,
)
from eligibility.rules import Determination, Outcome

ISSUER = "Relief Check"
COURT_FORMS_URL = "courts.ca.gov"
LIKELY = (Outcome.DISMISS, Outcome.CITY_ATTORNEY)


def public_defender_phone() -> str:
    """The Los Angeles County Public Defender's cannabis dismissal line."""
    return settings.PUBLIC_DEFENDER_PHONE


@cache
def court_data() -> dict:
    """Form revision, filing court and prosecutor's address (eligibility/data/court.toml)."""
    with (DATA_DIR / "court.toml").open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class ConvictionLine:
    """One answered conviction with its determination (None: outside Los Angeles)."""

    number: int
    answered: AnsweredConviction
    determination: Determination | None

    @property
    def section(self) -> str:
        code = self.answered.code()
        if code is None:
            return _("Cannabis, section not known")
        return str(code) if code.subsections else str(CodeSection(code.code, code.section))

    @property
    def what(self) -> str:
        return str(dict(SECTION_CHOICES)[self.answered.section])

    @property
    def level(self) -> str:
        return str(dict(LEVEL_CHOICES)[self.answered.level])

    @property
    def year(self) -> str:
        return str(self.answered.year) if self.answered.year else _("Not known")

    @property
    def sentence(self) -> str:
        return str(dict(SENTENCE_CHOICES)[self.answered.sentence_finished])


def conviction_lines(answers: dict, determinations: list[Determination]) -> list[ConvictionLine]:
    by_id = {d.conviction_id: d for d in determinations}
    return [
        ConvictionLine(number, AnsweredConviction(**raw), by_id.get(str(number)))
        for number, raw in enumerate(answers["convictions"], start=1)
    ]


def relief_likely(determinations: list[Determination]) -> bool:
    return any(d.outcome in LIKELY for d in determinations)


def _document(title: str, today: date) -> Document:
    footer = _("%(issuer)s · an estimate, not legal advice · prepared %(day)s") % {
        "issuer": ISSUER,
        "day": date_format(today, "DATE_FORMAT"),
    }
    return Document(
        title=title, issuer=ISSUER, footer=footer, language=translation.get_language() or "en"
    )


def _public_defender(doc: Document) -> None:
    doc.heading(_("Free help: the Los Angeles County Public Defender"))
    doc.paragraph(
        _(
            "The Public Defender can check your record, tell you what applies to you, and file "
            "for you, for free. Call the cannabis dismissal line at %(phone)s or fill in the "
            "online form at %(url)s. Bring this document with you."
        )
        % {"phone": public_defender_phone(), "url": settings.PUBLIC_DEFENDER_URL}
    )


def worksheet_pdf(
    *, answers: dict, determinations: list[Determination], details: dict, today: date
) -> bytes:
    """The CR-400 worksheet for the convictions where relief looks likely."""
    data = court_data()
    form, court, prosecutor = data["form"], data["court"], data["district_attorney"]
    lines = [
        line
        for line in conviction_lines(answers, determinations)
        if line.determination and line.determination.outcome in LIKELY
    ]
    name = details["name"]
    doc = _document(_("CR-400 worksheet"), today)
    doc.title_block(
        _("CR-400 worksheet: asking the court to clear a cannabis conviction"),
        _("Follows Judicial Council form %(number)s (%(revision)s), %(title)s.")
        % {"number": form["number"], "revision": form["revision"], "title": form["title"]},
    )
    doc.notice(
        _(
            "Copy these answers onto the official %(number)s form: only the court's form can "
            "be filed. Get it from the court clerk or at %(forms)s. Check the revision date at "
            "the bottom of its first page; if it is newer than the one above, follow the new "
            "form. This worksheet is an estimate from your answers, not legal advice."
        )
        % {"number": form["number"], "forms": COURT_FORMS_URL},
        lead=_("This is a worksheet, not the court form."),
    )

    doc.heading(_("1. Your details (top of the form)"))
    case_numbers = ", ".join(
        line.answered.case_number for line in lines if line.answered.case_number
    )
    doc.fields(
        [
            Field(_("Name"), name),
            Field(_("Mailing address"), details.get("address", "")),
            Field(_("Phone"), details.get("phone", "")),
            Field(_("Email"), details.get("email", "")),
            Field(_("Lawyer (if you have one)"), ""),
            Field(_("Court"), court["name"]),
            Field(
                _("Case name"), _("People of the State of California v. %(name)s") % {"name": name}
            ),
            Field(_("Case number"), case_numbers),
        ]
    )
    doc.paragraph(
        _(
            "Use one form for each case number. The case number is on your court papers; the "
            "court clerk can find it from your name and date of birth."
        ),
        small=True,
    )

    doc.heading(_("2. Petition or application"))
    serving = {line.answered.sentence_finished for line in lines}
    doc.checkbox(
        _(
            "Petition (Health and Safety Code section 11361.8(a)): I am still serving the "
            "sentence (probation, parole, jail or prison)."
        ),
        checked=NO in serving,
    )
    doc.checkbox(
        _("Application (Health and Safety Code section 11361.8(e)): I have finished the sentence."),
        checked=YES in serving,
    )
    if serving - {YES, NO}:
        doc.paragraph(
            _(
                "You were not sure if a sentence is finished. Check “petition” if you are "
                "still serving any part of it, and “application” if it is finished."
            )
        )
    doc.paragraph(
        _(
            "On the form, ask the court to dismiss and seal each conviction. If the conduct is "
            "still a crime today, the court can reduce it instead: a felony to a misdemeanor, "
            "or a misdemeanor to an infraction."
        )
    )

    doc.heading(_("3. The convictions"))
    doc.table(
        [
            [line.section, line.level, line.year, line.answered.case_number or "", line.sentence]
            for line in lines
        ],
        header=[
            _("Code section"),
            _("Felony or misdemeanor"),
            _("Year decided"),
            _("Case number"),
            _("Sentence finished?"),
        ],
        widths=[0.22, 0.2, 0.14, 0.2, 0.24],
    )
    others = len(conviction_lines(answers, determinations)) - len(lines)
    if others:
        doc.paragraph(
            _(
                "Convictions where relief did not look likely are not on this worksheet. See "
                "the summary, and ask the Public Defender about them."
            ),
            small=True,
        )

    doc.heading(_("4. Sign and date"))
    doc.paragraph(
        _(
            "Sign the official form and write the date. You sign under penalty of perjury: "
            "what you write must be true. If a lawyer helps you, they sign it too."
        )
    )

    doc.heading(
        _("5. Serve the prosecutor: proof of service (%(form)s)")
        % {"form": form["proof_of_service"]}
    )
    doc.bullets(
        [
            _(
                "Make three copies of the filled-in form: for the court, for the prosecutor, "
                "and for you."
            ),
            _(
                "Someone aged 18 or older who is not you hands or mails a copy to the "
                "prosecutor. For a felony that is the %(prosecutor)s, %(street)s, %(city)s. For "
                "a misdemeanor it is the City Attorney's office that handled the case, or the "
                "District Attorney where the city has none."
            )
            % {
                "prosecutor": prosecutor["name"],
                "street": prosecutor["street"],
                "city": prosecutor["city"],
            },
            _(
                "That person fills in and signs form %(form)s (proof of service): their name "
                "and address, how and when they served the copy, and the prosecutor's name and "
                "address."
            )
            % {"form": form["proof_of_service"]},
            _("File the original form and the signed %(form)s with the court. Keep your copy.")
            % {"form": form["proof_of_service"]},
            _(
                "The prosecutor may answer on form CR-402, and the court decides on form "
                "CR-403. The court presumes you qualify unless the prosecutor shows clear and "
                "convincing evidence that you do not. There is no deadline."
            ),
        ],
        numbered=True,
    )

    doc.heading(_("6. Where to file"))
    doc.fields(
        [
            Field(_("Court"), court["name"]),
            Field(_("Courthouse"), court["courthouse"]),
            Field(_("Address"), f"{court['street']}\n{court['city']}"),
        ]
    )
    doc.paragraph(
        _(
            "File at the courthouse where your case was heard. If you do not know which one it "
            "was, the clerk at this courthouse can tell you."
        ),
        small=True,
    )
    _public_defender(doc)
    return doc.render()


def summary_pdf(
    *, answers: dict, determinations: list[Determination], details: dict, today: date
) -> bytes:
    """What the person told us and what we estimated, to bring to the Public Defender."""
    doc = _document(_("Cannabis conviction check: summary"), today)
    doc.title_block(
        _("Your cannabis conviction check: a summary to bring for help"),
        _("Prepared %(day)s by %(issuer)s.")
        % {"day": date_format(today, "DATE_FORMAT"), "issuer": ISSUER},
    )
    doc.notice(
        _(
            "These are estimates from your answers, using the Los Angeles County District "
            "Attorney's review criteria. They are not legal advice and not a court decision."
        ),
        lead=_("Estimate only."),
    )
    if details.get("name"):
        doc.fields([Field(_("Name"), details["name"])])
    answer = dict(YES_NO_UNSURE)
    doc.heading(_("What you told us"))
    doc.fields(
        [
            Field(_("Age"), str(answers["age"])),
            Field(
                _("Serious violent felony (“super strike”)"), str(answer[answers["super_strike"]])
            ),
            Field(
                _("Offense that requires registration (Penal Code 290)"),
                str(answer[answers["pc290"]]),
            ),
            Field(_("Other convictions, ever"), str(answer[answers["other_ever"]])),
            Field(
                _("Other convictions in the last 10 years"), str(answer[answers["other_recent"]])
            ),
            Field(_("Still serving any sentence"), str(answer[answers["still_serving"]])),
        ]
    )
    doc.heading(_("Your cannabis convictions"))
    rows = []
    for line in conviction_lines(answers, determinations):
        if line.determination is None:
            estimate = _("Outside Los Angeles County: not covered by this check.")
        else:
            estimate = f"{line.determination.label}. {line.determination.reason}"
        rows.append(
            [f"{line.section}\n{line.level}, {line.year}", line.answered.case_number, estimate]
        )
    doc.table(
        rows, header=[_("Conviction"), _("Case number"), _("Estimate")], widths=[0.27, 0.18, 0.55]
    )
    _public_defender(doc)
    return doc.render()
