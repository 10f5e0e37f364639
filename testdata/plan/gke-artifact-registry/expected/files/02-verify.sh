#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# gar: roles/artifactregistry.reader for gke-nodes@acme-prod.iam.gserviceaccount.com.
gcloud projects get-iam-policy acme-prod --flatten 'bindings[].members' --filter 'bindings.role:roles/artifactregistry.reader AND bindings.members:serviceAccount:gke-nodes@acme-prod.iam.gserviceaccount.com' --format 'value(bindings.role)' | grep -q artifactregistry.reader || fail 'roles/artifactregistry.reader for gke-nodes@acme-prod.iam.gserviceaccount.com'

exit "$status"
