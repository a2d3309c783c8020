"""The count desk (`invoke desk`): volunteers add counts from their phones on the
local network, behind a PIN, through the same checked add as `invoke tally`.

access.py (the PIN, sessions, lockouts), csrf.py (the forms' tokens),
recording.py (adds and undos through the tally plugin), audit.py (the log
beside the tally), pages.py (the HTML), handler.py (HTTP), running.py (the task).
"""
