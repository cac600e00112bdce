#!/bin/sh
# Creates the Secrets the dev overlay references, with random passwords, in namespace blog-dev (or $1).
# Nothing here is committed: the passwords exist only in the cluster. Re-running keeps existing Secrets.
# Hex passwords are URL-safe, as DATABASE_URL needs (the pods build it from the password).
set -eu
ns="${1:-blog-dev}"
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f -

basic_auth() { # name username
  if kubectl -n "$ns" get secret "$1" > /dev/null 2>&1; then
    echo "secret/$1 exists, kept"
  else
    kubectl -n "$ns" create secret generic "$1" --type=kubernetes.io/basic-auth \
      --from-literal=username="$2" --from-literal=password="$(openssl rand -hex 24)"
  fi
}

for svc in auth user blog post visitor subscribe; do basic_auth "blog-db-$svc" "${svc}_svc"; done
basic_auth blog-db-debezium debezium
