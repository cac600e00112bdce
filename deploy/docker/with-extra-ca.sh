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
    # Java reads no PEM bundle: the certificates of the bundle that the image's own Java trust store lacks are
    # imported into a copy of it in /tmp (usually only the proxy's CA; the rest are the same public roots).
    work=$(mktemp -d)
    cp /etc/ssl/certs/java/cacerts "$work/cacerts"
    split_pem() { awk -v out="$2" '/BEGIN CERT/ { n++; f = out n ".pem" } f { print > f } /END CERT/ { close(f); f = "" }' "$1"; }
    split_pem /etc/ssl/certs/ca-certificates.crt "$work/own-"
    split_pem "$ca" "$work/extra-"
    for f in "$work"/own-*.pem; do openssl x509 -noout -fingerprint -sha256 -in "$f"; done >"$work/known"
    for f in "$work"/extra-*.pem; do
      [ -f "$f" ] || continue
      grep -qxF "$(openssl x509 -noout -fingerprint -sha256 -in "$f")" "$work/known" && continue
      keytool -importcert -noprompt -alias "build-extra-$(basename "$f" .pem)" -file "$f" \
        -keystore "$work/cacerts" -storepass changeit >/dev/null
    done
    export MAVEN_OPTS="${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=$work/cacerts -Djavax.net.ssl.trustStorePassword=changeit"
  fi
fi
exec "$@"
