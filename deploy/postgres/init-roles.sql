-- Havn's roles and database on a fresh PostgreSQL, run once by the postgres image from
-- /docker-entrypoint-initdb.d (as the superuser, with psql). On a managed server, run it
-- yourself: `psql -v ON_ERROR_STOP=1 -f init-roles.sql` with the two variables below set.
--
-- havn_owner owns the database and every schema, and runs `havn migrate`.
-- havn_app is what the services connect as: it owns nothing and is neither superuser nor
-- BYPASSRLS, so the forced row-level security policies bind it.
--
-- Passwords come from the environment (psql's \getenv, PostgreSQL 15 or later):
-- HAVN_OWNER_PASSWORD and HAVN_APP_PASSWORD.

\set ON_ERROR_STOP on
\getenv owner_password HAVN_OWNER_PASSWORD
\getenv app_password HAVN_APP_PASSWORD

\if :{?owner_password}
\else
  do $$ begin raise exception 'set HAVN_OWNER_PASSWORD'; end $$;
\endif
\if :{?app_password}
\else
  do $$ begin raise exception 'set HAVN_APP_PASSWORD'; end $$;
\endif

create role havn_owner login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'owner_password';
create role havn_app login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'app_password';

create database havn owner havn_owner;
-- Only Havn's roles connect to its database.
revoke all on database havn from public;
grant connect on database havn to havn_app;
