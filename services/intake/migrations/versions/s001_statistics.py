"""intake: national statistics, grouped in SQL by a function the application role may only call

Revision ID: s001_statistics
Revises: 0001
Create Date: 2026-11-22

The application role never reads another municipality's rows: `national_statistics` runs as
the owner (SECURITY DEFINER), returns only grouped counts and medians, and the owner reads
every municipality's rows only while that function runs (it sets `havn.statistics` for
the transaction and clears it before it returns; the policy is for the owner alone, so
setting it does nothing for the application role).
"""

from collections.abc import Sequence

from alembic import op

from havn.db import APP_ROLE

revision: str = "s001_statistics"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("intake.children", "intake.referrals")
SIGNATURE = "intake.national_statistics(text, text[], text, int[], text[], text[])"

FUNCTION = r"""
create function intake.national_statistics(
    p_measure text,
    p_dimensions text[],
    p_own text,
    p_age_bounds int[],
    p_nationality_codes text[],
    p_nationality_groups text[]
) returns table (keys text[], size bigint, own bigint, value double precision)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
-- Behind the row-level security policies the planner expects few rows and sorts them to
-- group (on disk, at national scale); hashing is what fits a few hundred groups.
set enable_sort = off
as $fn$
declare
    source text;
    on_date text;
    aggregate text;
    expressions text[] := '{}';
    expression text;
    dimension text;
begin
    if p_measure = 'SETTLED_CHILDREN' then
        source := 'intake.children c';
        on_date := 'c.settled_on';
        aggregate := 'count(*)::float8';
    elsif p_measure = 'REFERRALS' then
        source := 'intake.referrals c';
        on_date := '(c.created_at at time zone ''Europe/Oslo'')::date';
        aggregate := 'count(*)::float8';
    elsif p_measure = 'DAYS_REFERRAL_TO_ARRIVAL' then
        source := 'intake.children c join intake.referrals r on r.id = c.referral_id';
        on_date := 'c.settled_on';
        aggregate := 'percentile_cont(0.5) within group (order by '
            || '(c.settled_on - (r.created_at at time zone ''Europe/Oslo'')::date))';
    else
        raise exception 'unknown measure %', p_measure using errcode = '22023';
    end if;
    if 'NATIONALITY' = any(p_dimensions) then
        source := source || ' left join unnest($3, $4) as g(code, grp) on g.code = c.nationality';
    end if;
    -- The service asks for at most four dimensions and the year: no finer tables exist.
    if coalesce(array_length(p_dimensions, 1), 0) > 5 then
        raise exception 'at most five dimensions' using errcode = '22023';
    end if;
    foreach dimension in array p_dimensions loop
        expression := case dimension
            when 'MUNICIPALITY' then 'c.tenant_id::text'
            when 'COUNTY' then 'left(c.tenant_id, 2)'
            when 'YEAR' then format('date_part(''year'', %s)::int::text', on_date)
            when 'AGE_BAND' then format(
                'width_bucket(date_part(''year'', age(%s, c.date_of_birth))::int, $2)::text',
                on_date)
            when 'SEX' then 'c.sex::text'
            when 'NATIONALITY' then 'coalesce(g.grp, ''OTHER'')'
            when 'CARE_ARRANGEMENT' then 'coalesce(c.care_arrangement, ''UNDECIDED'')::text'
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
        'select array[%s]::text[], count(*), count(*) filter (where c.tenant_id = $1), %s '
        'from %s group by 1',
        coalesce(array_to_string(expressions, ', '), ''), aggregate, source)
    using p_own, p_age_bounds, p_nationality_codes, p_nationality_groups;
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
