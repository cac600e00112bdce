-- Bootstrap of the `blog` database, run once by a superuser when the database is created:
--   * one schema per service, owned by that service's login role `<service>_svc`, closed to everyone else
--     (the user service's schema is `users`: `user` is a reserved word);
--   * each schema's `outbox` table (Debezium reads the inserts from the WAL; rows are deleted in the same transaction);
--   * the `debezium` replication role, the `debezium.heartbeat` table and the publication the connector streams.
-- Idempotent, plain SQL (no psql meta-commands), so the same file serves the compose init script and CloudNativePG's
-- postInitApplicationSQLRefs (deploy/k8s is rendered from it). Passwords are set elsewhere: never in this file.

DO $$
DECLARE
  svc record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'debezium') THEN
    CREATE ROLE debezium LOGIN REPLICATION;
  END IF;
  -- Only the roles below may connect to this database.
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO debezium', current_database());

  FOR svc IN
    SELECT * FROM (VALUES
      -- render:begin schemas (npm run render, from libs/catalog)
      ('auth', 'auth_svc'),
      ('users', 'user_svc'),
      ('blog', 'blog_svc'),
      ('post', 'post_svc'),
      ('visitor', 'visitor_svc'),
      ('subscribe', 'subscribe_svc')
      -- render:end schemas
    ) AS t(schema_name, role_name)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = svc.role_name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', svc.role_name);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), svc.role_name);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', svc.schema_name, svc.role_name);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', svc.schema_name);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', svc.role_name, svc.schema_name);

    EXECUTE format(
      'CREATE TABLE IF NOT EXISTS %I.outbox (
         id uuid PRIMARY KEY,
         aggregatetype text NOT NULL,
         aggregateid text NOT NULL,
         type text NOT NULL,
         payload bytea NOT NULL,
         content_type text NOT NULL DEFAULT ''application/json'',
         traceparent text,
         saga_id text,
         created_at timestamptz NOT NULL DEFAULT now()
       )', svc.schema_name);
    EXECUTE format('ALTER TABLE %I.outbox OWNER TO %I', svc.schema_name, svc.role_name);

    -- Debezium reads the outbox (table metadata and, for an ad-hoc snapshot, rows) and nothing else.
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO debezium', svc.schema_name);
    EXECUTE format('GRANT SELECT ON %I.outbox TO debezium', svc.schema_name);
  END LOOP;
END
$$;

-- The public schema is nobody's: services live in their own schemas only.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
-- template1 admits every role by default: a service role there could make temporary tables (and, before PostgreSQL
-- 15, objects in its public schema that every database created later copies). The maintenance database `postgres`
-- stays as the platform leaves it: operators (CloudNativePG) connect to it with roles of their own.
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;

-- Written by the connector's heartbeat.action.query so the replication slot advances while the outboxes are quiet.
CREATE SCHEMA IF NOT EXISTS debezium AUTHORIZATION debezium;
CREATE TABLE IF NOT EXISTS debezium.heartbeat (
  id integer PRIMARY KEY,
  beat_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE debezium.heartbeat OWNER TO debezium;

-- Created here (by a superuser) because the connector runs with publication.autocreate.mode=disabled:
-- the debezium role owns none of the outbox tables, so it could not create a publication over them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'debezium_outbox') THEN
    CREATE PUBLICATION debezium_outbox FOR TABLE
      -- render:begin publication (npm run render, from libs/catalog)
      auth.outbox, users.outbox, blog.outbox, post.outbox, visitor.outbox, subscribe.outbox, debezium.heartbeat;
      -- render:end publication
  END IF;
END
$$;
