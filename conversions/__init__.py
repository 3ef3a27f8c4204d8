"""Statements of SEN and LDAs: the local transition timetable and transfer reviews."""
