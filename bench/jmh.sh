#!/usr/bin/env bash
# JMH benchmarks of the data plane's hot path (key check with 10,000 accounts) and of the other
# benches in src/test/java/dev/bulwark/bench (e.g. EnvelopeBench: envelope encryption, bench/envelope.md).
# Usage: bench/jmh.sh [JMH args, e.g. KeyCheckBenchmark -f 1]
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/find-jdk.sh
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
mkdir -p bench/results
# Pkcs11WrapBench loads SoftHSM2 into the JVM, which reads its configuration from this variable
# only; the SoftHsm fixture writes the file (its own token directory beside it).
export SOFTHSM2_CONF="${SOFTHSM2_CONF:-$PWD/target/softhsm-bench/softhsm2.conf}"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main \
  -rf text -rff bench/results/jmh-latest.txt "${@:-KeyCheckBenchmark}"
