#!/bin/sh
# The KRaft broker from KAFKA_* variables (as the apache/kafka image reads them: KAFKA_NODE_ID -> node.id, ...):
# formats the log directory with CLUSTER_ID once, then runs kafka.Kafka in the foreground.
set -eu
: "${CLUSTER_ID:?CLUSTER_ID is required}"
props=/opt/kafka/config/server.properties
/opt/kafka/bin/env-to-properties.sh KAFKA HEAP_OPTS OPTS >"$props"
data=$(sed -n 's/^log\.dirs=//p' "$props")
# The admin's client settings, for the healthcheck (kafka-broker-api-versions.sh --command-config).
: "${ADMIN_KAFKA_PASSWORD:?ADMIN_KAFKA_PASSWORD is required}"
umask 077
printf '%s\n' 'security.protocol=SASL_PLAINTEXT' 'sasl.mechanism=SCRAM-SHA-512' \
  "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$ADMIN_KAFKA_PASSWORD\";" \
  >/opt/kafka/config/admin-client.properties
if [ ! -f "${data:-/var/lib/kafka/data}/meta.properties" ]; then
  # Every <USER>_KAFKA_PASSWORD becomes the SCRAM user <user> (BLOG_TOOLS -> blog-tools), made with the storage.
  set --
  for var in $(env | sed -n 's/^\([A-Z0-9_]*\)_KAFKA_PASSWORD=.*/\1/p'); do
    user=$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')
    eval "password=\${${var}_KAFKA_PASSWORD}"
    set -- "$@" --add-scram "SCRAM-SHA-512=[name=$user,password=$password]"
  done
  KAFKA_HEAP_OPTS=-Xmx256m /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool format -t "$CLUSTER_ID" \
    -c "$props" --ignore-formatted "$@"
fi
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$props"
