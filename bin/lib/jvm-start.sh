# Sourced by bin/avps and bin/avps-lsp: picks the JVM and keeps a start-up cache for it.
#
# Why a cache: most of a CLI run is the JVM loading and linking the same few thousand classes
# (Xtext, EMF, Guice, FreeMarker) every time. The JDK can store them once, already parsed and
# linked: the AOT cache on JDK 25 (JEP 483/514) or a dynamic CDS archive on older JDKs.
#
# Where it lives: next to the jar it was made from (a jvm-cache/ directory in that module's
# target/), or in $AVPS_CACHE_DIR. A cache is only valid for one jar and one JDK build, so it
# belongs with the build output: `mvn clean` removes it and every clone has its own.
# It is made on the first run after a build, by a fixed training run (not the user's command, so
# `avps --help` as a first command cannot leave a poor cache behind). The file name carries a
# checksum of the jar(s) and the JDK, so a rebuilt jar or another JDK makes a new cache and never
# uses an old one. Anything going wrong (unwritable directory, failed training, a corrupt file)
# means a run without the cache, never a failed run. AVPS_CACHE=off turns the cache off.

# Sets java_bin and java_major. JDK 25 when present (its AOT cache is the bigger win); the
# language and CLI are compiled for 17, so any `java` from 17 on runs them too.
avps_pick_java() {
  local jdk25=/usr/lib/jvm/temurin-25-jdk-amd64 home version
  if [[ -n "${AVPS_JAVA:-}" ]]; then
    java_bin="$AVPS_JAVA"
  elif [[ -x "$jdk25/bin/java" ]]; then
    java_bin="$jdk25/bin/java"
  else
    java_bin="$(command -v java || true)"
  fi
  if [[ -z "$java_bin" ]]; then
    echo "$avps_name: no java found (install a JDK 17 or later, or set AVPS_JAVA)" >&2
    exit 2
  fi
  java_bin="$(command -v "$java_bin")"
  java_home="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
  # The release file tells the version without starting a JVM (which would cost what we save).
  version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)"
  java_major="${version:-0}"
}

# avps_cache_opts JAR [CLASS-PATH JAR...]  Sets cache_file (empty: no cache possible here) and
# cache_opts (the JVM options that use an existing cache; empty while there is none). A corrupt
# cache is not detected here (that would cost a JVM start); the JVM skips it, and it stays until
# the jar or JDK changes or someone deletes it.
avps_cache_opts() {
  cache_file=""
  cache_opts=()
  [[ "${AVPS_CACHE:-on}" == off ]] && return 0
  local kind
  if ((java_major >= 25)); then kind=aot
  elif ((java_major >= 13)); then kind=jsa
  else return 0
  fi
  local dir="${AVPS_CACHE_DIR:-$(dirname "$1")/jvm-cache}"
  mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]] || return 0
  # Size and mtime of every jar on the class path and of the JDK's module image: cheap to read,
  # and the JVM itself rejects a cache whose jars changed, so this only has to pick the name.
  local key
  key="$( { stat -L -c '%n %s %Y' "$@" "$java_home/lib/modules"; echo "$java_bin"; } 2>/dev/null \
          | cksum | cut -d' ' -f1)"
  cache_file="$dir/$avps_name-$java_major-$key.$kind"
  if [[ -s "$cache_file" ]]; then
    if [[ $kind == aot ]]; then
      cache_opts=("-XX:AOTCache=$cache_file")
    else
      cache_opts=("-XX:SharedArchiveFile=$cache_file" "-Xshare:auto")
    fi
    # A cache the JVM cannot use (corrupt, or made by another JDK build) is skipped by the JVM;
    # its warnings would go to stdout, which the language server's protocol owns, so they go off.
    cache_opts+=("-Xlog:cds=off" "-Xlog:class+path=off")
    if [[ $kind == aot ]]; then
      cache_opts+=("-Xlog:aot=off") # a log tag JDK 17 does not know
    fi
  fi
}

# avps_train CMD...  Runs CMD (a java command line whose first word is the JVM) once with the
# options that write the cache, into a temporary file renamed into place only when complete, so
# a concurrent run never sees half a cache. Quiet; on any failure there is simply no cache.
avps_train() {
  [[ -n "$cache_file" && ! -s "$cache_file" ]] || return 0
  local tmp="$cache_file.tmp.$$" opt
  if [[ "$cache_file" == *.aot ]]; then opt="-XX:AOTCacheOutput=$tmp"
  else opt="-XX:ArchiveClassesAtExit=$tmp"
  fi
  echo "$avps_name: preparing the JVM start-up cache once for this build (a few seconds)" >&2
  # avps_train_cmd, when set, names a function that drives the JVM (a scripted LSP session).
  if ${avps_train_cmd:-} "$1" "$opt" -Xlog:all=off "${@:2}" </dev/null >/dev/null 2>&1 && [[ -s "$tmp" ]]; then
    # Older caches of the same jar name are dead weight once a new one exists.
    find "$(dirname "$cache_file")" -maxdepth 1 -name "$avps_name-$java_major-*" ! -name "$(basename "$tmp")" \
      -type f -delete 2>/dev/null || true
    mv -f "$tmp" "$cache_file" 2>/dev/null || true
  fi
  rm -f "$tmp" "$tmp.config" 2>/dev/null || true
  avps_cache_opts "${cache_jars[@]}"
}
