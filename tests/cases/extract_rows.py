"""Extract-row values shared by tests that import a handful of hand-written cases."""

# Every column of the documented extract except the person and the case number.
BASE_ROW = {
    "aliases": "",
    "charge_codes": "HS 11359",
    "conviction_date": "1995-06-01",
    "court": "Los Angeles Superior Court",
    "batch": "DOJ-AB1793-2020",
    "relief": "dismissed_and_sealed",
    "relief_date": "2020-02-13",
    "cii_number": "",
    "middle_name": "",
}
