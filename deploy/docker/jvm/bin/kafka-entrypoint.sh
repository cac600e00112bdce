#!/bin/sh
# The KRaft broker from KAFKA_* variables (as the apache/kafka image reads them: KAFKA_NODE_ID -> node.id, ...):
# formats the log directory with CLUSTER_ID once, then runs kafka.Kafka in the foreground.
set -eu
: "${CLUSTER_ID:?CLUSTER_ID is required}"
props=/opt/kafka/config/server.properties
/opt/kafka/bin/env-to-properties.sh KAFKA HEAP_OPTS OPTS >"$props"
data=$(sed -n 's/^log\.dirs=//p' "$props")
if [ ! -f "${data:-/var/lib/kafka/data}/meta.properties" ]; then
  KAFKA_HEAP_OPTS=-Xmx256m /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool format -t "$CLUSTER_ID" \
    -c "$props" --ignore-formatted
fi
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$props"
