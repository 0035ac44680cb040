"""The bulk import of dismissal-batch extracts.

- `extract`: reading an extract file and parsing its rows (pure);
- `pipeline`: `cases_import` and its variants, streaming rows in chunks;
- `plan`: a chunk compared with what is stored;
- `writers`: writing a chunk (COPY on PostgreSQL, executemany on SQLite);
- `runs`: imports uploaded in the admin, queued and claimed by a worker.
"""
