"""Learning from staff: how often staff confirmed what the engine proposed, by outcome band and by
rule, and which threshold changes the verdicts would support. Never applied: a person reads the
suggestions and decides (the thresholds are settings; a rule changes in rules.py with its test).

Every decided review is a label: each candidate staff confirmed is the person's case, each they
rejected is not. A band is a candidate's outcome and its score, in BAND_BITS-wide bands laid from
the match threshold; a rule is the one that set the candidate's outcome
(`explanation["rule"]`). A suggestion needs the verdicts to say so with confidence: the Wilson
score interval at 95% must lie past the target (CONFIRM_TARGET for evidence that is enough, or
REJECT_TARGET for evidence that is too little). Pure: plain data in, lines of text out.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# What a band or rule must earn before a change is suggested: loosening where staff confirm at
# least 99.5% (the precision a `match` is held to, with room), tightening where they confirm
# under 1% (staff's time spent on cases that are almost never the person's).
CONFIRM_TARGET = 0.995
REJECT_TARGET = 0.01
MIN_VERDICTS = 30
Z_95 = 1.96
BAND_BITS = 2.0
NO_RULE = "(none: a match by score)"
# The decision rule of a candidate only its score held below a match (decide.py).
SCORE_ONLY_RULE = "below_match_threshold"
NOT_RECORDED = "(not recorded)"


@dataclass(frozen=True)
class Verdict:
    """A candidate the engine proposed and what staff decided about it."""

    outcome: str  # the engine's outcome for the candidate: match or possible
    rule: str  # the rule that set it ("" for a plain match; NOT_RECORDED before rules were)
    score: float
    confirmed: bool


@dataclass
class Tally:
    confirmed: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.rejected

    @property
    def rate(self) -> float:
        return self.confirmed / self.total if self.total else float("nan")

    def interval(self) -> tuple[float, float]:
        """The Wilson score interval of the confirmed share, at 95%."""
        n = self.total
        if not n:
            return (0.0, 1.0)
        p = self.confirmed / n
        centre = p + Z_95**2 / (2 * n)
        spread = Z_95 * math.sqrt(p * (1 - p) / n + Z_95**2 / (4 * n * n))
        scale = 1 + Z_95**2 / n
        return (max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale))


@dataclass
class Report:
    bands: dict[tuple[str, float], Tally] = field(default_factory=lambda: defaultdict(Tally))
    rules: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    # Possible candidates held back by their score alone (no safety rule), by band.
    score_only: dict[float, Tally] = field(default_factory=lambda: defaultdict(Tally))
    # Possible candidates within BAND_BITS above the possible threshold, whatever held them.
    lowest_possible: Tally = field(default_factory=Tally)
    suggestions: list[str] = field(default_factory=list)


def band_of(score: float, match_threshold: float) -> float:
    """The lower edge of the score's BAND_BITS-wide band, the bands laid from the match
    threshold up and down."""
    return match_threshold + BAND_BITS * math.floor((score - match_threshold) / BAND_BITS)


def _count(tally: Tally, confirmed: bool) -> None:
    if confirmed:
        tally.confirmed += 1
    else:
        tally.rejected += 1


def matching_report(
    verdicts: Iterable[Verdict], *, match_threshold: float, possible_threshold: float
) -> Report:
    report = Report()
    for v in verdicts:
        edge = band_of(v.score, match_threshold)
        _count(report.bands[(v.outcome, edge)], v.confirmed)
        _count(report.rules[v.rule or NO_RULE], v.confirmed)
        if v.outcome == "possible" and v.rule == SCORE_ONLY_RULE:
            _count(report.score_only[edge], v.confirmed)
        if v.outcome == "possible" and v.score < possible_threshold + BAND_BITS:
            _count(report.lowest_possible, v.confirmed)
    report.suggestions = _suggestions(report, match_threshold, possible_threshold)
    return report


def _suggestions(report: Report, match_threshold: float, possible_threshold: float) -> list[str]:
    out: list[str] = []
    # Where staff confirm nearly all the candidates only the score held back, in an unbroken run
    # of bands under the match threshold, the threshold could come down to the run's lowest edge.
    lowest = None
    edge = match_threshold - BAND_BITS
    while edge + BAND_BITS > possible_threshold:
        tally = report.score_only.get(edge)
        if not tally or tally.total < MIN_VERDICTS or tally.interval()[0] < CONFIRM_TARGET:
            break
        lowest = max(edge, possible_threshold)
        edge -= BAND_BITS
    if lowest is not None:
        out.append(
            f"MATCH_THRESHOLD could come down from {match_threshold:g} to {lowest:g}: staff "
            f"confirmed at least {100 * CONFIRM_TARGET:g}% (95% confidence) of the candidates "
            "scored in between that no safety rule held back."
        )
    first = report.lowest_possible
    if first.total >= MIN_VERDICTS and first.interval()[1] <= REJECT_TARGET:
        out.append(
            f"POSSIBLE_THRESHOLD could go up from {possible_threshold:g} to "
            f"{possible_threshold + BAND_BITS:g}: staff confirmed {100 * first.rate:.1f}% of "
            f"{first.total} candidates scored below that (at most {100 * REJECT_TARGET:g}% at "
            "95% confidence); those people would be told 'not found' instead."
        )
    for rule, tally in sorted(report.rules.items()):
        if tally.total < MIN_VERDICTS or rule in (NO_RULE, NOT_RECORDED, SCORE_ONLY_RULE):
            continue
        low, high = tally.interval()
        if low >= CONFIRM_TARGET:
            out.append(
                f"Rule {rule}: staff confirmed {100 * tally.rate:.1f}% of {tally.total} "
                "candidates it held back; its evidence may be enough for a match (study the "
                "cases before loosening it in cases/matching/rules.py)."
            )
        elif high <= REJECT_TARGET:
            out.append(
                f"Rule {rule}: staff confirmed {100 * tally.rate:.1f}% of {tally.total} "
                "candidates it sent them; such candidates could be dropped rather than reviewed."
            )
    return out


def report_lines(report: Report) -> list[str]:
    lines = [f"{'outcome, score band (bits)':28} {'verdicts':>8} {'confirmed':>9} {'rate':>7}"]
    for (outcome, edge), tally in sorted(report.bands.items()):
        label = f"{outcome} {edge:g} to {edge + BAND_BITS:g}"
        lines.append(f"{label:28} {tally.total:8d} {tally.confirmed:9d} {100 * tally.rate:6.1f}%")
    lines += ["", f"{'rule':40} {'verdicts':>8} {'confirmed':>9} {'rate':>7} {'95% interval':>15}"]
    for rule, tally in sorted(report.rules.items(), key=lambda item: (-item[1].total, item[0])):
        low, high = tally.interval()
        lines.append(
            f"{rule:40} {tally.total:8d} {tally.confirmed:9d} {100 * tally.rate:6.1f}% "
            f"{100 * low:6.1f}-{100 * high:5.1f}%"
        )
    lines += ["", "Suggestions (never applied; change settings or rules by hand):"]
    lines += [f"- {s}" for s in report.suggestions] or ["- none: the verdicts support no change."]
    return lines
