-- Havn's roles and database on a fresh PostgreSQL, run once by the postgres image from
-- /docker-entrypoint-initdb.d (as the superuser, with psql). On a managed server, run it
-- yourself: `psql -v ON_ERROR_STOP=1 -f init-roles.sql` with the variables below set.
--
-- havn_owner owns the database and every schema, and runs `havn migrate`.
-- havn_app is what the services connect as for requests: it owns nothing and is neither
-- superuser nor BYPASSRLS, so the forced row-level security policies bind it.
-- havn_system (HAVN_DATABASE_SYSTEM_URL) is havn_app plus the right to see every tenant's
-- event rows in a transaction that asks for it: the outbox relays, consumers, schedulers.
-- havn_statistics (HAVN_DATABASE_STATISTICS_URL) may only call the national statistics
-- functions, which count before the service suppresses small cells.
-- havn_web (HAVN_DATABASE_WEB_URL) is the staff web client's: it alone uses schema `web`
-- (its sessions hold users' tokens) and nothing of the services'.
-- Run this before the first `havn migrate`: the migrations grant to these roles.
-- Every role signs in with a password: keep pg_hba.conf at scram-sha-256, never trust.
--
-- Passwords come from the environment (psql's \getenv, PostgreSQL 15 or later):
-- HAVN_OWNER_PASSWORD, HAVN_APP_PASSWORD, HAVN_SYSTEM_PASSWORD, HAVN_STATISTICS_PASSWORD,
-- HAVN_WEB_PASSWORD.

\set ON_ERROR_STOP on
\getenv owner_password HAVN_OWNER_PASSWORD
\getenv app_password HAVN_APP_PASSWORD
\getenv system_password HAVN_SYSTEM_PASSWORD
\getenv statistics_password HAVN_STATISTICS_PASSWORD
\getenv web_password HAVN_WEB_PASSWORD

\if :{?owner_password}
\else
  do $$ begin raise exception 'set HAVN_OWNER_PASSWORD'; end $$;
\endif
\if :{?app_password}
\else
  do $$ begin raise exception 'set HAVN_APP_PASSWORD'; end $$;
\endif
\if :{?system_password}
\else
  do $$ begin raise exception 'set HAVN_SYSTEM_PASSWORD'; end $$;
\endif
\if :{?statistics_password}
\else
  do $$ begin raise exception 'set HAVN_STATISTICS_PASSWORD'; end $$;
\endif
\if :{?web_password}
\else
  do $$ begin raise exception 'set HAVN_WEB_PASSWORD'; end $$;
\endif

create role havn_owner login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'owner_password';
create role havn_app login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'app_password';
create role havn_system login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'system_password';
grant havn_app to havn_system;
create role havn_statistics login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'statistics_password';
create role havn_web login nosuperuser nobypassrls nocreatedb nocreaterole
  password :'web_password';

create database havn owner havn_owner;
-- Only Havn's roles connect to its database.
revoke all on database havn from public;
grant connect on database havn to havn_app, havn_system, havn_statistics, havn_web;
