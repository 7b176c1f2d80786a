#!/usr/bin/env bash
# Oracle: ketaprint info/convert against live nibabel on nibabel's test images and test-data/nifti.
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ -z "${KETAPRINT_JAR:-}" ]; then
  # pick the jar by its own name (a path containing "tests" must not hide it)
  for j in target/ketaprint-*.jar; do
    case "$(basename "$j")" in *sources*|*tests*) ;; *) export KETAPRINT_JAR="$PWD/$j" ;; esac
  done
fi
# many short JVM runs: favour start-up time
export KETAPRINT_JAVA_OPTS="${KETAPRINT_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
exec /usr/bin/python3 scripts/oracle/nifti_conformance.py "$@"
