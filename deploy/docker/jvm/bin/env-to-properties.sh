#!/bin/sh
# env-to-properties.sh PREFIX [SKIP...]: every PREFIX_A_B=value of the environment as a.b=value (the apache/kafka
# image's rule: _ -> ., __ -> _, ___ -> -), except the variables named after the prefix.
set -eu
prefix=$1
shift
env | grep "^${prefix}_" | while IFS= read -r line; do
  name=${line%%=*}
  value=${line#*=}
  short=${name#"${prefix}_"}
  skip=false
  for s in "$@"; do [ "$short" = "$s" ] && skip=true; done
  $skip && continue
  key=$(printf '%s' "$short" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  printf '%s=%s\n' "$key" "$value"
done
