#!/bin/sh
# kafka-run-class.sh MAIN_CLASS ARGS...: java on the image's one classpath, heap from $KAFKA_HEAP_OPTS.
set -eu
main=$1
shift
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
  -Djava.awt.headless=true -Dlog4j2.configurationFile=file:/opt/kafka/config/log4j2.properties \
  ${KAFKA_OPTS:-} -cp '/opt/kafka/lib/*' "$main" "$@"
