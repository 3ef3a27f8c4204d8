"""The public and family pages: asking for an EHC needs assessment, and following a case.

Its models live in the core (ehc/models/requests.py): a request becomes a case there.
"""
