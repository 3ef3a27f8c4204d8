"""The public and family pages: asking for an EHC needs assessment, and following a case.

Not a Django app of its own: its models live in ehc.models (requests.py) and its templates
under ehc/templates/family/.
"""
