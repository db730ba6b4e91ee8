# Sourced by ./mvnw, ./bulwark and .ci/run: sets JAVA_HOME to a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, then the newest JDK under /usr/lib/jvm.
bulwark_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
bulwark_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(bulwark_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  best=""; best_v=0
  case $- in *f*) bulwark_noglob=1; set +f ;; *) bulwark_noglob=0 ;; esac
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(bulwark_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ "$bulwark_noglob" = 1 ]; then set -f; fi
  if [ -z "$best" ]; then
    echo "bulwark: no JDK 21 or newer found (looked at JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm/*)." >&2
    echo "bulwark: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK, or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME="$best"; export JAVA_HOME
}
bulwark_find_jdk || exit 1
# Maven's own Guice/Guava call sun.misc.Unsafe; on JDK 24+ that prints warnings on every build.
if [ "$(bulwark_java_major "$JAVA_HOME")" -ge 24 ]; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;; esac
fi
