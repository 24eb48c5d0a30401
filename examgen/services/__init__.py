"""Domain services used by both the HTTP API and the dashboard.

Submit, cancel, a caller's own job, job views, the queue status, tokens and dashboard sessions.
"""
