#!/usr/bin/env bash
# The project stands alone: no file may cite the design brief or the shared folder it came from
# (docs name their publications instead). Fails listing every offending line.
# usage: no_outside_citations.sh SOURCE_DIR
set -euo pipefail
cd "$1"
# Source, docs, tests, tools, scenarios and data notes; not build folders or VCS metadata.
hits=$(grep -rnIiE "the brief|design brief|brief §|brief's|shared project folder|\.\./shared|/work/shared" \
         --exclude-dir=.git --exclude-dir=build --exclude-dir=out --exclude-dir=node_modules \
         --exclude=no_outside_citations.sh . || true)
if [ -n "$hits" ]; then
  echo "files cite the design brief or the shared folder; cite the publication, or write 'assumption: ...':"
  echo "$hits"
  exit 1
fi
echo "no file cites the brief or the shared folder"
