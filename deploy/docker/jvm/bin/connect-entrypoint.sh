#!/bin/sh
# The distributed Kafka Connect worker from the debezium/connect image's variables (BOOTSTRAP_SERVERS, GROUP_ID,
# *_STORAGE_TOPIC, *_STORAGE_REPLICATION_FACTOR) plus CONNECT_* -> properties, with the converters and plugin path of
# deploy/local/connect-distributed.properties. Runs ConnectDistributed in the foreground.
set -eu
props=/opt/kafka/config/connect-distributed.properties
host=$(hostname)
{
  echo "bootstrap.servers=${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS is required}"
  echo "group.id=${GROUP_ID:?GROUP_ID is required}"
  echo "listeners=http://0.0.0.0:8083"
  echo "rest.advertised.host.name=${ADVERTISED_HOST_NAME:-$host}"
  echo "rest.advertised.port=8083"
  echo "config.storage.topic=${CONFIG_STORAGE_TOPIC:?}"
  echo "offset.storage.topic=${OFFSET_STORAGE_TOPIC:?}"
  echo "status.storage.topic=${STATUS_STORAGE_TOPIC:?}"
  echo "config.storage.replication.factor=${CONFIG_STORAGE_REPLICATION_FACTOR:-1}"
  echo "offset.storage.replication.factor=${OFFSET_STORAGE_REPLICATION_FACTOR:-1}"
  echo "status.storage.replication.factor=${STATUS_STORAGE_REPLICATION_FACTOR:-1}"
  echo "offset.storage.partitions=5"
  echo "status.storage.partitions=1"
  echo "key.converter=org.apache.kafka.connect.storage.StringConverter"
  echo "value.converter=org.apache.kafka.connect.json.JsonConverter"
  echo "value.converter.schemas.enable=false"
  echo "plugin.path=/opt/kafka/plugins"
  echo "plugin.discovery=service_load"
  /opt/kafka/bin/env-to-properties.sh CONNECT HEAP_OPTS
} >"$props"
KAFKA_HEAP_OPTS=${CONNECT_HEAP_OPTS:--Xms256m -Xmx768m} \
  exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.connect.cli.ConnectDistributed "$props"
