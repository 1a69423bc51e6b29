"""transition: national statistics of outcomes, grouped in SQL by a function the app may call

Revision ID: s001_statistics
Revises: 0001
Create Date: 2026-11-22

As in intake: `national_statistics` runs as the owner (SECURITY DEFINER) and returns only
grouped shares; the owner reads every municipality's rows only while it runs.
"""

from collections.abc import Sequence

from alembic import op

from havn.db import APP_ROLE

revision: str = "s001_statistics"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("transition.children", "transition.outcomes")
SIGNATURE = "transition.national_statistics(text, text[], text, int[])"

FUNCTION = r"""
create function transition.national_statistics(
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
            when 'OUTCOME_MILESTONE' then 'o.milestone_years::text'
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


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"create policy national_statistics on {table} for select to current_user "
            "using ((select current_setting('havn.statistics', true)) = 'national')"
        )
    op.execute(FUNCTION)
    op.execute(f"revoke all on function {SIGNATURE} from public")
    op.execute(f"grant execute on function {SIGNATURE} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {SIGNATURE}")
    for table in TABLES:
        op.execute(f"drop policy national_statistics on {table}")
