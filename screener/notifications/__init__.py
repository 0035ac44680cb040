"""The notification outbox: what we tell a person about their lookup, by email and SMS.

Each message is a Notification row, rendered when it is queued in the person's language, then
sent by the `send_notification` task. A message goes out at most once per lookup, kind and
channel: the row is unique on those three, and sending re-checks the row's status under a lock.

What a message may say is the disclosure policy's (screener/disclosure.py), not the templates':
no message carries what was found or a reviewer's words, only that there is news and a link
that asks for the date of birth and a one-time code. Every message reads the same whatever the
outcome, so a lock screen or a mailbox shared with someone else tells them nothing.

One module per job:
- `content`: what a message says and what each channel may carry; rendering the templates in
  templates/notifications/ in the person's language.
- `secrets`: the one-time code and the result link, made as a message is sent and never
  stored in the outbox.
- `links`: the status page and unsubscribe links a message carries.
- `suppressions`: opt-outs (SMS STOP, the unsubscribe link, the provider's opt-out errors).
- `outbox`: writing outbox rows and enqueueing them after commit; staff resend; requeue.
- `delivery`: handing a row to the email or SMS provider once, and classifying its errors.
"""
