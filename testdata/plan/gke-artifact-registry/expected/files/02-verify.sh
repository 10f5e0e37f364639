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

# gar: the nodes pull with their cloud identity, which only they hold (its grant is checked above). A token of
# the same kind from your own gcloud login checks that each listed image exists and the registry serves it.
gcloud auth print-access-token |
  pullwarden check europe-west1-docker.pkg.dev/acme-prod/apps/api:2.0 --username=oauth2accesstoken --password-stdin ||
  fail 'pull from gar (europe-west1-docker.pkg.dev)'

exit "$status"
