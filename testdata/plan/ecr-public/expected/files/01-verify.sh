#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# ecr-public: public; kubelet pulls these anonymously, and so does this check.
pullwarden check public.ecr.aws/nginx/nginx:1.27 || fail 'pull from ecr-public (public.ecr.aws)'

exit "$status"
