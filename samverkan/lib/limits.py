"""Lengths of the texts users and systems send, in characters: one table for the API schemas
(stated as maxLength in the OpenAPI) and the forms alike. Text columns have no limit of their
own, and SQLite enforces none, so these are the limits."""

NAME_MAX = 100  # a person's given or family name (the column's length)
LINE_MAX = 200  # a one-line value: a code, an HSA-id, a place
SHORT_TEXT_MAX = 300  # a reason, a comment
ADL_NOTE_MAX = 500  # a note on one ADL item
CHECKLIST_TEXT_MAX = 500  # a text item of the discharge checklist (assistive devices, transport)
MESSAGE_MAX = 2_000  # a question, an answer, an answer to a care request
ACCOUNT_MAX = 4_000  # a fuller account: care request content, planned support, a need, a plan
