"""The domain's names, defined once: every module, SQL parameter and test imports them from here.

Only names live here, never words: what a name is called in French or English is in the
catalogues beside the templates (`templates/words/<lang>.toml`, read by `jumelage.words`).
The values are the strings stored in the warehouse (README, SPEC §10), so they never change;
an enum member compares equal to its string, so rows read back need no conversion.
"""

from __future__ import annotations

from enum import StrEnum

LANGUAGES = ("fr", "en")


class Role(StrEnum):
    """The two sides of a pair; French role words are mapped to these on reading (SPEC §3)."""

    MENTOR = "mentor"
    MENTEE = "mentee"


class Component(StrEnum):
    """Score components (SPEC §5), in the order of `proposals.score_<component>` columns."""

    GOALS = "goals"
    INTERESTS = "interests"
    EXPERIENCE = "experience"
    AVAILABILITY = "availability"
    CROSS_ORGANIZATION = "cross_organization"
    PREFERENCE = "preference"


COMPONENTS: tuple[Component, ...] = tuple(Component)


class ProposalStatus(StrEnum):
    """`pending_approval` waits for the committee, `proposed` for the mentee."""

    PENDING_APPROVAL = "pending_approval"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


#: A proposal still waiting for an answer (from the committee or the mentee).
PENDING: tuple[ProposalStatus, ...] = (ProposalStatus.PENDING_APPROVAL, ProposalStatus.PROPOSED)


class RelationshipStatus(StrEnum):
    """A relationship is active from the acceptance until `relationship_ended`; an ended one
    stays, for the report and so that the pair is never proposed again."""

    ACTIVE = "active"
    ENDED = "ended"


class ParticipantStatus(StrEnum):
    """Only `active` people are in the pool; the others wait for an event or a coordinator."""

    ACTIVE = "active"
    ABSENT = "absent"
    WITHDRAWN = "withdrawn"
    UNRESPONSIVE = "unresponsive"
    REMOVED = "removed"


class EmailStatus(StrEnum):
    """The outbox's states: `sending` is committed before SMTP, so a crash leaves `uncertain`;
    `bounced` when a delivery status notification came back (answers by email)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    BOUNCED = "bounced"


class EmailKind(StrEnum):
    """The emails of SPEC §6, each with its templates `templates/emails/<kind>.<lang>.*`."""

    PROPOSAL = "proposal"
    PROPOSAL_REMINDER = "proposal_reminder"
    CONFIRMATION = "confirmation"
    FIRST_MEETING_REMINDER = "first_meeting_reminder"
    FOLLOWUP = "followup"
    MIDPOINT_REVIEW = "midpoint_review"
    FINAL_REVIEW = "final_review"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    DAILY_REPORT = "daily_report"
    RUN_FAILED = "run_failed"  # to the operators: a night failed or was interrupted


class DismissKind(StrEnum):
    """What `jumelage dismiss` can take off « à traiter » (table `dismissals`)."""

    FLAG = "flag"
    QUARANTINE = "quarantine"
    EMAIL = "email"


class FlagKind(StrEnum):
    """Follow-up flags (SPEC §7); `unreachable` when an email to the person bounced."""

    FIRST_MEETING_OVERDUE = "first_meeting_overdue"
    STALE = "stale"
    MIDPOINT_REVIEW_DUE = "midpoint_review_due"
    FINAL_REVIEW_DUE = "final_review_due"
    CONFLICT = "conflict"
    NO_RESPONSE = "no_response"
    UNREACHABLE = "unreachable"


class PairRule(StrEnum):
    """The hard constraints of SPEC §4, in the order `broken_rule` (sql/rules/macros.sql) tests
    them: why a pair may not be (or stay) matched.

    One code per rule, shared by eligibility, withdrawals, conflicts and the report.
    """

    PARTNER_REMOVED = "partner_removed"
    PARTNER_WITHDRAWN = "partner_withdrawn"
    PARTNER_ABSENT = "partner_absent"
    PARTNER_INACTIVE = "partner_inactive"
    SAME_PERSON = "same_person"
    NO_SHARED_LANGUAGE = "no_shared_language"
    INCOMPATIBLE_MEETING_MODE = "incompatible_meeting_mode"
    LEVEL_GAP = "level_gap"
    HIERARCHICAL_LINK = "hierarchical_link"
    EXCLUDED = "excluded"
    DECLINED_OR_ENDED = "declined_or_ended"


class UnmatchedReason(StrEnum):
    """Why a waiting mentee got no proposal tonight (`unmatched.reason`), in the order the
    filters are tested."""

    NO_ACTIVE_MENTOR = "no_active_mentor"
    NO_SHARED_LANGUAGE = "no_shared_language"
    NO_COMPATIBLE_MEETING_MODE = "no_compatible_meeting_mode"
    NO_MENTOR_AT_SUFFICIENT_LEVEL = "no_mentor_at_sufficient_level"
    HIERARCHICAL_LINK_ONLY = "hierarchical_link_only"
    DECLINED_OR_EXCLUDED_ONLY = "declined_or_excluded_only"
    ALL_COMPATIBLE_MENTORS_FULL = "all_compatible_mentors_full"
    BELOW_MIN_SCORE = "below_min_score"
    TAKEN_BY_OTHERS = "taken_by_others"


class Obstacle(StrEnum):
    """What keeps a mentor from a mentee left waiting, in the report's nearest candidates
    (`sql/nearest/nearest_candidates.sql`): each pair may have several."""

    FULL = "full"
    BELOW_MIN_SCORE = "below_min_score"
    LEVEL_GAP = "level_gap"
    OTHER_REGION = "other_region"
    MENTOR_REMOTE_ONLY = "mentor_remote_only"
    MENTOR_IN_PERSON_ONLY = "mentor_in_person_only"
    NO_SHARED_LANGUAGE = "no_shared_language"


class QuarantineCode(StrEnum):
    """What is wrong with a quarantined row (`quarantine.reason_codes`). The column it is
    about travels beside the code (`field`), with the values the words need."""

    # a cell of a registration or event row
    MISSING_DATE = "missing_date"
    UNREADABLE_DATETIME = "unreadable_datetime"
    UNREADABLE_DATE = "unreadable_date"
    MISSING_ROLE = "missing_role"
    UNKNOWN_ROLE = "unknown_role"
    ROLE_OUTSIDE_PROGRAM = "role_outside_program"
    MISSING_FIRST_NAME = "missing_first_name"
    MISSING_LAST_NAME = "missing_last_name"
    MISSING_EMAIL = "missing_email"
    UNREADABLE_EMAIL = "unreadable_email"
    UNREADABLE_ADDRESS = "unreadable_address"
    UNKNOWN_LANGUAGE = "unknown_language"
    MISSING_ORGANIZATION = "missing_organization"
    UNREADABLE_MANAGER_EMAIL = "unreadable_manager_email"
    MISSING_MANAGER_EMAIL = "missing_manager_email"  # org chart: every employee has one
    DUPLICATE_EMPLOYEE = "duplicate_employee"  # org chart: one row per employee
    MISSING_LEVEL = "missing_level"
    UNREADABLE_LEVEL = "unreadable_level"
    UNKNOWN_MEETING_MODE = "unknown_meeting_mode"
    MISSING_COMPETENCIES = "missing_competencies"
    MISSING_GOALS = "missing_goals"
    UNREADABLE_EXPERIENCE = "unreadable_experience"
    UNREADABLE_CAPACITY = "unreadable_capacity"
    UNREADABLE_DURATION = "unreadable_duration"
    MISSING_CONSENT = "missing_consent"
    CONSENT_NOT_GIVEN = "consent_not_given"
    MISSING_EVENT_TYPE = "missing_event_type"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    UNREADABLE_PARTNER_EMAIL = "unreadable_partner_email"
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    CAPACITY_OUT_OF_RANGE = "capacity_out_of_range"
    DURATION_OUT_OF_RANGE = "duration_out_of_range"
    PARTNER_REQUIRED = "partner_required"
    PROPOSAL_REQUIRED = "proposal_required"
    NEW_ORGANIZATION_REQUIRED = "new_organization_required"
    NEW_LEVEL_REQUIRED = "new_level_required"
    UNREADABLE_NEW_LEVEL = "unreadable_new_level"
    # the row as a whole
    TOO_MANY_CELLS = "too_many_cells"
    CELL_TOO_LONG = "cell_too_long"
    # the file as a whole (row_number 0)
    UNREADABLE_ENCODING = "unreadable_encoding"
    BINARY_FILE = "binary_file"
    UNREADABLE_CSV = "unreadable_csv"
    EMPTY_FILE = "empty_file"
    UNREADABLE_XLSX = "unreadable_xlsx"
    EMPTY_WORKBOOK = "empty_workbook"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_COLUMNS = "missing_columns"
    # an event that names an unknown person, proposal or relationship (apply stage)
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_PROPOSAL = "unknown_proposal"
    NO_PROPOSAL_BETWEEN = "no_proposal_between"
    PROPOSAL_NOT_OPEN = "proposal_not_open"
    SEVERAL_ACTIVE_RELATIONSHIPS = "several_active_relationships"
    NO_ACTIVE_RELATIONSHIP = "no_active_relationship"
    NO_ACTIVE_RELATIONSHIP_WITH = "no_active_relationship_with"
    MENTEE_AND_MENTOR_NEEDED = "mentee_and_mentor_needed"
    # a reason written as text only, before migration 008
    RECORDED_AS_TEXT = "recorded_as_text"


#: Reasons no correction can lift (a person refused consent; a role the program does not
#: have): such rows are reported the night they arrive, then kept out of « à traiter ».
UNFIXABLE: tuple[QuarantineCode, ...] = (
    QuarantineCode.CONSENT_NOT_GIVEN,
    QuarantineCode.ROLE_OUTSIDE_PROGRAM,
)


#: Pseudo-fields of quarantine reasons that are not a column: the whole file, the whole row.
FILE = "file"
ROW = "row"
#: `unknown_values.field` of a file's column that was not understood and is ignored (its
#: header is the value, row_number 0): listed once, in the report of the night it is read.
COLUMN = "column"


class InboundOutcome(StrEnum):
    """What became of a message read from the program mailbox (`inbound_messages.outcome`)."""

    RECORDED = "recorded"  # an answer, recorded as an event (source 'email')
    TO_CHECK = "to_check"  # never applied: listed in the report, moved to the review folder
    AUTO_REPLY = "auto_reply"
    BOUNCED = "bounced"


class AnswerIssue(StrEnum):
    """Why a message is to check rather than applied (`inbound_messages.reason`)."""

    UNKNOWN_SENDER = "unknown_sender"
    BAD_TOKEN = "bad_token"
    NO_CONTEXT = "no_context"  # neither a token nor a reply to what jumelage sent them
    NO_ANSWER = "no_answer"
    AMBIGUOUS = "ambiguous"
    DOES_NOT_FIT = "does_not_fit"  # an answer the email it replies to does not ask for
    NOT_PENDING = "not_pending"  # the proposal is no longer waiting for an answer
    NOT_ACTIVE = "not_active"  # the relationship has ended, or is not theirs
