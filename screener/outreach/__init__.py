"""Outreach worker mode: Week of Action events, assisted intake, ID checked in person, letters.

events.py which events a worker may work and the one chosen; quotas.py the daily limits that
replace the public per-IP limits; intake.py recording a walk-in; walkins.py what the worker may
see of each walk-in; report.py the event's figures and CSV; forms.py and views.py the pages
(in the staff site, so its sign-in, second factor and session limits apply); urls.py.
"""
