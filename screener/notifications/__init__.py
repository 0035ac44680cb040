"""The notification outbox: what we tell a person about their lookup, by email and SMS.

Each message is a Notification row, rendered when it is queued in the person's language, then
sent by the `send_notification` task. A message goes out at most once per lookup, kind and
channel: the row is unique on those three, and sending re-checks the row's status under a lock.

What a message may say is decided here, not in templates: an SMS never carries case details or
a reviewer's words, only that there is news and where to read it.

One module per job:
- `content`: what a message says and what each channel may carry; rendering the templates in
  templates/notifications/ in the person's language.
- `links`: the status page and unsubscribe links a message carries.
- `suppressions`: opt-outs (SMS STOP, the unsubscribe link, the provider's opt-out errors).
- `outbox`: writing outbox rows and enqueueing them after commit; staff resend; requeue.
- `delivery`: handing a row to the email or SMS provider once, and classifying its errors.
"""
