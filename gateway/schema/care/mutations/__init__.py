"""Care's mutations, a module per noun: contact person, interpreter need, care plan,
assessments, notes, health, education, meetings and the assessment schedule."""

from __future__ import annotations

from gateway.schema.care.mutations.assessment_schedule import AssessmentScheduleMutation
from gateway.schema.care.mutations.assessments import AssessmentMutation
from gateway.schema.care.mutations.care_plan import CarePlanMutation
from gateway.schema.care.mutations.contact_person import ContactPersonMutation
from gateway.schema.care.mutations.education import EducationMutation
from gateway.schema.care.mutations.follow_up_notes import FollowUpNoteMutation
from gateway.schema.care.mutations.health import HealthMutation
from gateway.schema.care.mutations.interpreter import InterpreterMutation
from gateway.schema.care.mutations.meetings import MeetingMutation

# In the order the schema lists them.
MUTATIONS = (
    ContactPersonMutation,
    InterpreterMutation,
    CarePlanMutation,
    AssessmentMutation,
    FollowUpNoteMutation,
    HealthMutation,
    EducationMutation,
    MeetingMutation,
    AssessmentScheduleMutation,
)
