#!/bin/sh
# Run by the postgres image's entrypoint once, on an empty data directory, as the superuser inside the container.
# The SQL is shared with Kubernetes (deploy/compose/postgres/bootstrap.sql); the passwords come from the environment
# (deploy/.env, dev-only defaults in docker-compose.yml) through psql variables, so no secret is in a file.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --file /opt/blog/bootstrap.sql

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v auth_pw="$AUTH_DB_PASSWORD" \
  -v user_pw="$USER_DB_PASSWORD" \
  -v blog_pw="$BLOG_DB_PASSWORD" \
  -v post_pw="$POST_DB_PASSWORD" \
  -v visitor_pw="$VISITOR_DB_PASSWORD" \
  -v subscribe_pw="$SUBSCRIBE_DB_PASSWORD" \
  -v debezium_pw="$DEBEZIUM_DB_PASSWORD" <<'SQL'
ALTER ROLE auth_svc PASSWORD :'auth_pw';
ALTER ROLE user_svc PASSWORD :'user_pw';
ALTER ROLE blog_svc PASSWORD :'blog_pw';
ALTER ROLE post_svc PASSWORD :'post_pw';
ALTER ROLE visitor_svc PASSWORD :'visitor_pw';
ALTER ROLE subscribe_svc PASSWORD :'subscribe_pw';
ALTER ROLE debezium PASSWORD :'debezium_pw';
SQL
