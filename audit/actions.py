"""Every action the audit log records, named `<object>.<past-tense verb>`.

One enum, so that a name cannot drift between the code that writes it and the filters and tests
that read it. A renamed or retired member ships with a data migration that renames the stored
rows (audit/migrations/0003_action_names.py renamed the free-text names used before).
"""

from enum import StrEnum


class Action(StrEnum):
    # A lookup's life (screener.services)
    LOOKUP_SUBMITTED = "lookup.submitted"
    LOOKUP_CHECK_STARTED = "lookup.check_started"
    LOOKUP_CHECKED = "lookup.checked"
    LOOKUP_FAILED = "lookup.failed"
    LOOKUP_RETRIED = "lookup.retried"
    LOOKUP_ANONYMIZED = "lookup.anonymized"
    # Who may see a lookup's answer (screener.access)
    LOOKUP_CONTACT_VERIFIED = "lookup.contact_verified"
    LOOKUP_IDENTITY_PROVED = "lookup.identity_proved"
    LOOKUP_IDENTITY_CHECKED = "lookup.identity_checked"
    LOOKUP_LINKS_REVOKED = "lookup.links_revoked"
    LOOKUP_ANSWER_SENT_AGAIN = "lookup.answer_sent_again"
    LOOKUP_HELD = "lookup.held"
    LOOKUP_RELEASED = "lookup.released"
    LOOKUP_DECLINED = "lookup.declined"
    ACCESS_RECORD_ERASED = "access_record.erased"
    SEVERAL_PEOPLE_REPORT_VIEWED = "several_people_report.viewed"
    # Result letters and their verification codes (screener.verification, /verify/)
    LETTER_ISSUED = "letter.issued"
    LETTER_DOWNLOADED = "letter.downloaded"
    LETTER_VERIFIED = "letter.verified"
    LETTER_VERIFY_FAILED = "letter.verify_failed"
    # Outreach events (screener.outreach)
    OUTREACH_EVENT_CHOSEN = "outreach.event_chosen"
    OUTREACH_WALKIN_ENTERED = "outreach.walkin_entered"
    OUTREACH_WALKIN_VIEWED = "outreach.walkin_viewed"
    OUTREACH_LIST_VIEWED = "outreach.list_viewed"
    OUTREACH_REPORT_VIEWED = "outreach.report_viewed"
    OUTREACH_REPORT_DOWNLOADED = "outreach.report_downloaded"
    # Staff looking at lookups in the admin
    LOOKUP_VIEWED = "lookup.viewed"
    LOOKUP_HISTORY_VIEWED = "lookup.history_viewed"
    LOOKUP_SEARCHED = "lookup.searched"
    LOOKUP_LISTED = "lookup.listed"
    REVIEW_QUEUE_LISTED = "review_queue.listed"
    FOLLOW_UP_LISTED = "follow_up.listed"
    FOLLOW_UP_CALL_RECORDED = "follow_up.call_recorded"
    # Review decisions (screener.review)
    REVIEW_CONFIRMED = "review.confirmed"
    REVIEW_REJECTED = "review.rejected"
    REVIEW_MORE_INFO_REQUESTED = "review.more_info_requested"
    REVIEW_REOPENED = "review.reopened"
    # The notification outbox and opt-outs (screener.notifications, the outbox admin)
    NOTIFICATION_VIEWED = "notification.viewed"
    NOTIFICATION_HISTORY_VIEWED = "notification.history_viewed"
    NOTIFICATION_SEARCHED = "notification.searched"
    NOTIFICATION_LISTED = "notification.listed"
    NOTIFICATION_RESENT = "notification.resent"
    SUPPRESSION_ADDED = "suppression.added"
    SUPPRESSION_REMOVED = "suppression.removed"
    # The case database (cases)
    CASE_VIEWED = "case.viewed"
    CASE_HISTORY_VIEWED = "case.history_viewed"
    CASE_SEARCHED = "case.searched"
    CASE_LISTED = "case.listed"
    IMPORT_UPLOADED = "import.uploaded"
    IMPORT_COMPLETED = "import.completed"
    IMPORT_DRY_RUN_COMPLETED = "import.dry_run_completed"
    SCREENING_UPLOADED = "screening.uploaded"
    SCREENING_DOWNLOADED = "screening.downloaded"
    # Uploaded extracts, screening files and results deleted by the retention job
    UPLOAD_DELETED = "upload.deleted"
    # Staff sign-in and sessions (audit/logins.py, config/staff_sessions.py)
    STAFF_LOGGED_IN = "staff.logged_in"
    STAFF_LOGGED_OUT = "staff.logged_out"
    STAFF_LOGIN_FAILED = "staff.login_failed"
    STAFF_LOCKED_OUT = "staff.locked_out"
    STAFF_SESSION_EXPIRED = "staff.session_expired"
    # A staff member's own second-factor device (config/staff_otp.py)
    OTP_DEVICE_CREATED = "otp_device.created"
    OTP_DEVICE_CONFIRMED = "otp_device.confirmed"
    # Any add, change or delete made in the staff admin: users, groups, permissions, devices...
    OBJECT_ADDED = "object.added"
    OBJECT_CHANGED = "object.changed"
    OBJECT_DELETED = "object.deleted"
