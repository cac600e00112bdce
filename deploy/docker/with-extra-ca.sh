#!/bin/sh
# with-extra-ca.sh COMMAND...: runs a build step's download (npm, Maven) trusting the extra CA certificates of the
# build secret `build_extra_ca` as well, when it is given and not empty: a host whose HTTPS goes through an
# intercepting proxy (corporate or sandbox egress) names its bundle in BUILD_EXTRA_CA_FILE (see deploy/README.md).
# The certificates stay in the secret mount: nothing is written into an image layer.
set -eu
ca=/run/secrets/build_extra_ca
if [ -s "$ca" ]; then
  export NODE_EXTRA_CA_CERTS="$ca"
  if command -v java >/dev/null 2>&1; then
    # Java reads no PEM bundle: the extra certificates plus the image's own, as a PKCS12 trust store in /tmp.
    store=$(mktemp -d)/truststore.p12
    cat /etc/ssl/certs/ca-certificates.crt "$ca" 2>/dev/null |
      openssl pkcs12 -export -nokeys -jdktrust anyExtendedKeyUsage -passout pass:changeit -out "$store"
    export MAVEN_OPTS="${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=$store -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit"
  fi
fi
exec "$@"
