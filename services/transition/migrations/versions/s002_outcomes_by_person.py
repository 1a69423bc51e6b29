"""transition: outcome statistics by sex, nationality group and care arrangement too

Revision ID: s002_outcomes_by_person
Revises: s001_statistics
Depends on: 0003_outcome_categories
Create Date: 2026-11-22

Replaces `national_statistics` (same signature, so its grant and its callers stay) with one
that also groups by the categories transition now keeps of a child. The nationality is
stored as its group already, so no code list is passed in. A child settled before those
categories were kept is counted under UNKNOWN. The downgrade restores s001's function.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "s002_outcomes_by_person"
down_revision: str | None = "s001_statistics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0003_outcome_categories"

_TEMPLATE = r"""
create or replace function transition.national_statistics(
    p_measure text,
    p_dimensions text[],
    p_own text,
    p_age_bounds int[]
) returns table (keys text[], size bigint, own bigint, value double precision)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
-- Behind the row-level security policies the planner expects few rows and sorts them to
-- group (on disk, at national scale); hashing is what fits a few hundred groups.
set enable_sort = off
as $fn$
declare
    expressions text[] := '{}';
    expression text;
    dimension text;
begin
    if p_measure <> 'OUTCOME_EDUCATION_OR_WORK_RATE' then
        raise exception 'unknown measure %', p_measure using errcode = '22023';
    end if;
    -- The service asks for at most four dimensions and the year: no finer tables exist.
    if coalesce(array_length(p_dimensions, 1), 0) > 5 then
        raise exception 'at most five dimensions' using errcode = '22023';
    end if;
    foreach dimension in array p_dimensions loop
        expression := case dimension
            when 'MUNICIPALITY' then 'o.tenant_id::text'
            when 'COUNTY' then 'left(o.tenant_id, 2)'
            when 'YEAR' then 'date_part(''year'', o.recorded_on)::int::text'
            when 'AGE_BAND' then 'width_bucket(date_part(''year'', '
                || 'age(o.recorded_on, c.date_of_birth))::int, $2)::text'
{person_dimensions}            when 'OUTCOME_MILESTONE' then 'o.milestone_years::text'
        end;
        if expression is null then
            raise exception 'unknown dimension %', dimension using errcode = '22023';
        end if;
        expressions := expressions || expression;
    end loop;
    -- The owner's policy reads every municipality only while this is set (transaction-local,
    -- undone below and by any error); setting it does nothing for any other role.
    perform set_config('havn.statistics', 'national', true);
    return query execute format(
        'select array[%s]::text[], count(*), count(*) filter (where o.tenant_id = $1), '
        'avg((o.status in (''EDUCATION'', ''WORK''))::int)::float8 '
        'from transition.outcomes o join transition.children c on c.id = o.child_id '
        'group by 1',
        coalesce(array_to_string(expressions, ', '), ''))
    using p_own, p_age_bounds;
    perform set_config('havn.statistics', '', true);
end
$fn$
"""
# What this revision adds to the function; without it, the template is s001's function.
_PERSON_DIMENSIONS = """\
            when 'SEX' then 'coalesce(c.sex, ''UNKNOWN'')::text'
            when 'NATIONALITY' then 'coalesce(c.nationality_group, ''UNKNOWN'')::text'
            when 'CARE_ARRANGEMENT' then 'coalesce(c.care_arrangement, ''UNKNOWN'')::text'
"""
FUNCTION = _TEMPLATE.replace("{person_dimensions}", _PERSON_DIMENSIONS)
# s001_statistics's function, as it was: what the downgrade puts back.
PREVIOUS_FUNCTION = _TEMPLATE.replace("{person_dimensions}", "")


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute(PREVIOUS_FUNCTION)
